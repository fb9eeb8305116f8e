// A list of states read by index, in chunks that go to disk when memory is short: a worker of
// the parallel search holds its frontier and its candidates in these. Unlike a Frontier (a
// queue read once), a list is read in several passes (invariants, then expansion; an export,
// then adoption), each in increasing index order, so it keeps one spilled chunk decoded at a
// time and decodes it again if a later pass comes back to it.
import { StateDecoder } from "../values/codec-decode.ts";
import { SpillFile } from "./spill-file.ts";
import type { SpillStore } from "./spill-store.ts";

interface Chunk<S> {
  /** In memory: the states (null once spilled). */
  states: S[] | null;
  count: number;
  /** Spilled: where in the list's file. */
  offset: number;
  bytes: number;
}

export class StateList<S> {
  private readonly chunks: Chunk<S>[] = [];
  private count = 0;
  /** The spilled chunk decoded last, and its states. */
  private loaded = -1;
  private loadedStates: readonly S[] = [];
  private readonly file: SpillFile;

  constructor(private readonly store: SpillStore) {
    this.file = new SpillFile(store);
    store.track(this);
  }

  get length(): number {
    return this.count;
  }

  push(state: S): void {
    const size = this.store.chunkStates;
    let tail = this.chunks[this.chunks.length - 1];
    if (tail === undefined || tail.count === size) {
      tail = { states: [], count: 0, offset: -1, bytes: 0 };
      this.chunks.push(tail);
    }
    tail.states!.push(state);
    tail.count++;
    this.count++;
    this.store.counted();
  }

  get(i: number): S {
    const size = this.store.chunkStates;
    const c = Math.floor(i / size);
    const chunk = this.chunks[c];
    if (chunk === undefined || i < 0 || i >= this.count) {
      throw new RangeError(`state list: no state ${i} of ${this.count}`);
    }
    if (chunk.states !== null) return chunk.states[i - c * size]!;
    if (this.loaded !== c) this.load(c, chunk);
    return this.loadedStates[i - c * size]!;
  }

  /** Writes every full chunk held in memory to disk (called by the store when memory is short). */
  spillAll(): void {
    const size = this.store.chunkStates;
    for (const chunk of this.chunks) {
      if (chunk.states !== null && chunk.count === size) this.spill(chunk);
    }
  }

  /** Releases the states and the spill file. */
  close(): void {
    this.chunks.length = 0;
    this.count = 0;
    this.loaded = -1;
    this.loadedStates = [];
    this.file.close();
    this.store.forget(this);
  }

  private spill(chunk: Chunk<S>): void {
    if (this.store.governor.exhausted !== null) return;
    const encoder = this.store.encoder;
    encoder.reset();
    for (const s of chunk.states!) encoder.encode(s);
    const bytes = encoder.bytes();
    const offset = this.file.append(bytes, chunk.count);
    if (offset < 0) return;
    chunk.offset = offset;
    chunk.bytes = bytes.length;
    chunk.states = null;
  }

  private load(c: number, chunk: Chunk<S>): void {
    const decoder = new StateDecoder(this.file.read(chunk.offset, chunk.bytes));
    const states: S[] = new Array<S>(chunk.count);
    for (let i = 0; i < chunk.count; i++) states[i] = decoder.decode() as S;
    this.loaded = c;
    this.loadedStates = states;
  }
}
