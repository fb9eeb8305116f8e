// The seen-set of the parallel search: the same open-addressing table as FingerprintSet (pairs
// of 32-bit halves, linear probing from `lo % capacity`, growth by half at 80% load), but over
// a SharedArrayBuffer, so that every worker thread reads it without a copy.
//
// Only the main thread writes, and only between BFS levels, while every worker waits for its
// next message; workers only read during a level. postMessage orders the two (the writes
// happen before the message that starts the next level is sent), so no atomics are needed.
// Growing allocates a new buffer; the workers get it with the next level's message.

const MAX_LOAD = 0.8;
const GROWTH = 1.5;

/** What a worker needs to read the table: the buffer and its capacity in slots. */
export interface SharedTable {
  readonly buffer: SharedArrayBuffer;
  readonly capacity: number;
}

/** Read-only lookups in a shared table (one per worker and level). */
export function tableHas(t: Uint32Array, capacity: number, hi: number, lo: number): boolean {
  let i = (lo >>> 0) % capacity;
  for (;;) {
    const j = i << 1;
    const sHi = t[j]!;
    const sLo = t[j + 1]!;
    if (sHi === 0 && sLo === 0) return false;
    if (sHi === hi >>> 0 && sLo === lo >>> 0) return true;
    if (++i === capacity) i = 0;
  }
}

/** The writable side, owned by the main thread. */
export class SharedFingerprintSet {
  private table: Uint32Array;
  private capacity: number;
  private count = 0;
  private limit: number;

  constructor(expected = 1 << 16) {
    this.capacity = Math.max(16, Math.ceil(expected / MAX_LOAD));
    this.table = allocate(this.capacity);
    this.limit = Math.floor(this.capacity * MAX_LOAD);
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.table.byteLength;
  }

  /** The current buffer, to send to the workers (it changes when the table grows). */
  get shared(): SharedTable {
    return { buffer: this.table.buffer as SharedArrayBuffer, capacity: this.capacity };
  }

  /** Adds a fingerprint; returns true if it was not there. (0, 0) marks empty slots. */
  add(hi: number, lo: number): boolean {
    if (this.count >= this.limit) this.grow();
    const t = this.table;
    const cap = this.capacity;
    let i = (lo >>> 0) % cap;
    for (;;) {
      const j = i << 1;
      const sHi = t[j]!;
      const sLo = t[j + 1]!;
      if (sHi === 0 && sLo === 0) {
        t[j] = hi;
        t[j + 1] = lo;
        this.count++;
        return true;
      }
      if (sHi === hi >>> 0 && sLo === lo >>> 0) return false;
      if (++i === cap) i = 0;
    }
  }

  has(hi: number, lo: number): boolean {
    return tableHas(this.table, this.capacity, hi, lo);
  }

  /** Grows now, if needed, so that `n` more fingerprints fit without growing. */
  ensureRoom(n: number): void {
    while (this.count + n > this.limit) this.grow();
  }

  /** Calls `fn` with the fingerprints held, as (hi, lo) pairs, at most `max` at a time. */
  forEachSlice(max: number, fn: (pairs: Uint32Array) => void): void {
    const out = new Uint32Array(2 * Math.max(1, max));
    const t = this.table;
    let n = 0;
    for (let j = 0; j < t.length; j += 2) {
      if (t[j] === 0 && t[j + 1] === 0) continue;
      out[n++] = t[j]!;
      out[n++] = t[j + 1]!;
      if (n === out.length) {
        fn(out);
        n = 0;
      }
    }
    if (n > 0) fn(out.subarray(0, n));
  }

  private grow(): void {
    const old = this.table;
    this.capacity = Math.ceil(this.capacity * GROWTH);
    this.table = allocate(this.capacity);
    this.limit = Math.floor(this.capacity * MAX_LOAD);
    this.count = 0;
    for (let j = 0; j < old.length; j += 2) {
      const hi = old[j]!;
      const lo = old[j + 1]!;
      if (hi !== 0 || lo !== 0) this.add(hi, lo);
    }
  }
}

function allocate(capacity: number): Uint32Array {
  return new Uint32Array(new SharedArrayBuffer(capacity * 8));
}
