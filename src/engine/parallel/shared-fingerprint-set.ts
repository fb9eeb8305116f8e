// The seen-set of the parallel search: the same open-addressing table as FingerprintSet
// (../fingerprint-table.ts), but over a SharedArrayBuffer, so that every worker thread reads it
// without a copy.
//
// Only the main thread writes, and only between BFS levels, while every worker waits for its
// next message; workers only read during a level. postMessage orders the two (the writes
// happen before the message that starts the next level is sent), so no atomics are needed.
// Growing allocates a new buffer; the workers get it with the next level's message.
import { forEachSlice, GROWTH, MAX_LOAD, tableAdd, tableHas } from "../fingerprint-table.ts";
import { MemoryExhausted } from "../memory.ts";

/** What a worker needs to read the table: the buffer and its capacity in slots. */
export interface SharedTable {
  readonly buffer: SharedArrayBuffer;
  readonly capacity: number;
}

/** The writable side, owned by the main thread. */
export class SharedFingerprintSet {
  private table: Uint32Array;
  private capacity: number;
  private count = 0;
  private limit: number;
  /** Called with the bytes a growth is about to allocate; may throw to refuse it. */
  onGrow: ((bytes: number) => void) | null = null;

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
    if (!tableAdd(this.table, this.capacity, hi, lo)) return false;
    this.count++;
    return true;
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
    forEachSlice(this.table, max, fn);
  }

  private grow(): void {
    const old = this.table;
    const capacity = Math.ceil(this.capacity * GROWTH);
    this.onGrow?.(capacity * 8);
    try {
      this.table = allocate(capacity);
    } catch (e) {
      if (e instanceof RangeError) {
        throw new MemoryExhausted(`cannot allocate a fingerprint table of ${capacity} slots`);
      }
      throw e;
    }
    this.capacity = capacity;
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
