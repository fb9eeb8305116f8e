// A BFS frontier: a FIFO of (state, id, fingerprint) entries held in chunks. A chunk stays in
// memory until the memory budget says otherwise; then it is encoded (frontier-chunk.ts) and
// appended to the frontier's spill file, and read back and decoded when the reader reaches
// it. Entries come out in the order they went in, whatever was spilled.
import { encodeChunk, decodeChunk, type ChunkEntries } from "./frontier-chunk.ts";
import { SpillFile } from "./spill-file.ts";
import type { SpillStore } from "./spill-store.ts";

interface Chunk<S> {
  count: number;
  /** In memory: the entries (null once spilled, or once read). */
  states: S[] | null;
  ids: Uint32Array | null;
  fps: Uint32Array | null;
  /** Spilled: where in the frontier's file. */
  offset: number;
  bytes: number;
}

const EMPTY_IDS = new Uint32Array(0);
const FIRST_CHUNK_STATES = 64;

export class Frontier<S> {
  /** The entry `take` read last. */
  state: S = undefined as S;
  id = 0;
  hi = 0;
  lo = 0;
  private readonly chunks: Chunk<S>[] = [];
  private tail: Chunk<S> | null = null;
  /** The chunk being read, and the next entry of it. */
  private reading: Chunk<S> | null = null;
  private readIndex = 0;
  private readPos = 0;
  private readCount = 0;
  private readStates: readonly S[] = [];
  private readIds: Uint32Array = EMPTY_IDS;
  private readFps: Uint32Array = EMPTY_IDS;
  private pushed = 0;
  private taken = 0;
  private readonly file: SpillFile;

  constructor(private readonly store: SpillStore) {
    this.file = new SpillFile(store);
  }

  /** Entries pushed in all. */
  get length(): number {
    return this.pushed;
  }

  /** Entries not taken yet. */
  get remaining(): number {
    return this.pushed - this.taken;
  }

  /** Entries held on disk rather than in memory. */
  get spilled(): number {
    let n = 0;
    for (let i = this.readIndex; i < this.chunks.length; i++) {
      const c = this.chunks[i]!;
      if (c.states === null && c !== this.reading) n += c.count;
    }
    return n;
  }

  push(state: S, id: number, hi: number, lo: number): void {
    let t = this.tail;
    if (t === null || t.count === t.ids!.length) t = this.roomInTail();
    const i = t.count++;
    t.states!.push(state);
    t.ids![i] = id;
    t.fps![2 * i] = hi;
    t.fps![2 * i + 1] = lo;
    this.pushed++;
    this.store.counted();
  }

  /** Reads the next entry into `state`, `id`, `hi`, `lo` (there must be one). */
  take(): void {
    if (this.readPos === this.readCount) this.advance();
    const i = this.readPos++;
    this.state = this.readStates[i]!;
    this.id = this.readIds[i]!;
    this.hi = this.readFps[2 * i]!;
    this.lo = this.readFps[2 * i + 1]!;
    this.taken++;
  }

  /** Spills every chunk held in memory but the one being read. */
  spillAll(): void {
    for (let i = this.readIndex; i < this.chunks.length; i++) {
      const c = this.chunks[i]!;
      if (c !== this.reading && c.states !== null && c.count > 0) this.spill(c);
    }
  }

  /**
   * Writes the entries not taken yet, in order, as chunks (for a checkpoint); returns how many
   * chunks it wrote.
   */
  writeRest(write: (bytes: Buffer) => void): number {
    let chunks = 0;
    for (let i = this.readIndex; i < this.chunks.length; i++) {
      const c = this.chunks[i]!;
      const from = c === this.reading ? this.readPos : 0;
      if (from >= c.count) continue;
      if (c.states !== null) {
        write(encodeChunk(c as ChunkEntries<S>, from, c.count, this.store.encoder));
      } else {
        write(this.file.read(c.offset, c.bytes));
      }
      chunks++;
    }
    return chunks;
  }

  /** Releases the frontier's memory and spill file. */
  close(): void {
    this.chunks.length = 0;
    this.tail = null;
    this.reading = null;
    this.file.close();
    this.store.forget(this);
  }

  /** A tail chunk with room for one more entry. */
  private roomInTail(): Chunk<S> {
    const full = this.tail;
    const max = this.store.chunkStates;
    // Chunks start small and grow to full size, so that the many small levels of some specs
    // cost little.
    if (full !== null && full.count < max) {
      const n = Math.min(max, 4 * full.count);
      const ids = new Uint32Array(n);
      ids.set(full.ids!);
      const fps = new Uint32Array(2 * n);
      fps.set(full.fps!);
      full.ids = ids;
      full.fps = fps;
      return full;
    }
    if (full !== null && full !== this.reading && this.store.governor.spilling) this.spill(full);
    const n = Math.min(max, FIRST_CHUNK_STATES);
    const t: Chunk<S> = {
      count: 0,
      states: [],
      ids: new Uint32Array(n),
      fps: new Uint32Array(2 * n),
      offset: -1,
      bytes: 0,
    };
    this.chunks.push(t);
    this.tail = t;
    return t;
  }

  private advance(): void {
    if (this.reading !== null) {
      this.reading.states = null;
      this.reading.ids = null;
      this.reading.fps = null;
      this.readIndex++;
    }
    let c = this.chunks[this.readIndex];
    while (c !== undefined && c.count === 0) c = this.chunks[++this.readIndex];
    if (c === undefined) throw new Error("take() on an empty frontier");
    if (c === this.tail) this.tail = null;
    if (c.states === null) {
      const entries = decodeChunk<S>(this.file.read(c.offset, c.bytes));
      c.states = entries.states as S[];
      c.ids = entries.ids;
      c.fps = entries.fps;
    }
    this.reading = c;
    this.readStates = c.states;
    this.readIds = c.ids!;
    this.readFps = c.fps!;
    this.readCount = c.count;
    this.readPos = 0;
  }

  private spill(c: Chunk<S>): void {
    if (this.store.governor.exhausted !== null) return;
    const bytes = encodeChunk(c as ChunkEntries<S>, 0, c.count, this.store.encoder);
    const offset = this.file.append(bytes, c.count);
    if (offset < 0) return;
    c.offset = offset;
    c.bytes = bytes.length;
    c.states = null;
    c.ids = null;
    c.fps = null;
    if (c === this.tail) this.tail = null;
  }
}
