// The set of seen states: 64-bit fingerprints in one Uint32Array with open addressing
// (linear probing). Eight bytes a slot and no JavaScript object per state; the table grows by
// half when it is 80% full, so it holds between 10 and 15 bytes per distinct state.
import {
  forEachSlice,
  GROWTH,
  isEmptySlot,
  MAX_LOAD,
  slotOf,
  tableAdd,
  tableHas,
} from "./fingerprint-table.ts";
import { MemoryExhausted } from "./memory.ts";

// Most lookups are of states seen moments before: a state reached along two paths is usually
// generated twice within a few expansions (two orders of two independent steps, from siblings
// that sit next to each other in the frontier). A small direct-mapped cache of the fingerprints
// recently added or found answers those lookups from the processor's cache; the table itself,
// tens of megabytes and probed at random, costs a memory access per lookup. The cache only
// ever holds fingerprints the table holds, so a hit is always right. (On two-phase commit with
// 7 RMs it answers 99% of the 1.4 million lookups of states already seen.)
const RECENT_SLOTS = 1 << 15;
const RECENT_MASK = RECENT_SLOTS - 1;

export class FingerprintSet {
  private table: Uint32Array;
  /** An optional 32-bit value per slot (the state id), for strategies that need fp → id. */
  private values: Uint32Array | null;
  private capacity: number;
  private count = 0;
  private limit: number;
  private readonly recent = new Uint32Array(RECENT_SLOTS * 2);
  /** Called with the bytes a growth is about to allocate; may throw to refuse it. */
  onGrow: ((bytes: number) => void) | null = null;

  constructor(expected = 1 << 16, withValues = false) {
    this.capacity = Math.max(16, Math.ceil(expected / MAX_LOAD));
    this.table = new Uint32Array(this.capacity * 2);
    this.values = withValues ? new Uint32Array(this.capacity) : null;
    this.limit = Math.floor(this.capacity * MAX_LOAD);
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.table.byteLength + (this.values?.byteLength ?? 0);
  }

  /**
   * Adds a fingerprint; returns true if it was not there. (0, 0) is reserved for empty slots;
   * the fingerprint functions never produce it.
   */
  add(hi: number, lo: number): boolean {
    const r = (hi & RECENT_MASK) << 1;
    const recent = this.recent;
    if (recent[r] === hi >>> 0 && recent[r + 1] === lo >>> 0) return false;
    if (this.count >= this.limit) this.grow();
    const added = tableAdd(this.table, this.capacity, hi, lo);
    recent[r] = hi;
    recent[r + 1] = lo;
    if (added) this.count++;
    return added;
  }

  /**
   * For a set built with values: the value stored with the fingerprint, or -1 after inserting
   * it with `value`.
   */
  getOrAdd(hi: number, lo: number, value: number): number {
    if (this.count >= this.limit) this.grow();
    const t = this.table;
    const i = slotOf(t, this.capacity, hi, lo);
    if (!isEmptySlot(t, i)) return this.values![i]!;
    t[i << 1] = hi;
    t[(i << 1) + 1] = lo;
    this.values![i] = value;
    this.count++;
    return -1;
  }

  has(hi: number, lo: number): boolean {
    return tableHas(this.table, this.capacity, hi, lo);
  }

  /** Grows now, if needed, so that `n` more fingerprints fit without growing. */
  ensureRoom(n: number): void {
    while (this.count + n > this.limit) this.grow();
  }

  /** Calls `fn` with the fingerprints held, as (hi, lo) pairs, a slice of at most `max` at a time. */
  forEachSlice(max: number, fn: (pairs: Uint32Array) => void): void {
    forEachSlice(this.table, max, fn);
  }

  private grow(): void {
    const old = this.table;
    const oldValues = this.values;
    const capacity = Math.ceil(this.capacity * GROWTH);
    this.onGrow?.(capacity * (oldValues === null ? 8 : 12));
    try {
      this.table = new Uint32Array(capacity * 2);
      this.values = oldValues === null ? null : new Uint32Array(capacity);
    } catch (e) {
      this.table = old;
      if (e instanceof RangeError) {
        throw new MemoryExhausted(`cannot allocate a fingerprint table of ${capacity} slots`);
      }
      throw e;
    }
    this.capacity = capacity;
    this.limit = Math.floor(this.capacity * MAX_LOAD);
    // Straight into the new table (`add` would skip the ones in the recent cache); the count
    // stays what it was.
    const table = this.table;
    const values = this.values;
    for (let j = 0; j < old.length; j += 2) {
      const hi = old[j]!;
      const lo = old[j + 1]!;
      if (hi === 0 && lo === 0) continue;
      const i = slotOf(table, capacity, hi, lo);
      table[i << 1] = hi;
      table[(i << 1) + 1] = lo;
      if (values !== null) values[i] = oldValues![j >> 1]!;
    }
  }
}
