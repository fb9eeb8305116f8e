// The open-addressing table both seen-sets are made of (FingerprintSet, and the parallel
// search's SharedFingerprintSet): a Uint32Array of (hi, lo) pairs, linear probing from
// `lo % capacity`, (0, 0) marking an empty slot. The fingerprint functions never produce
// (0, 0).

/** Tables grow by half when they are this full. */
export const MAX_LOAD = 0.8;
export const GROWTH = 1.5;

/** The slot that holds (hi, lo), or else the empty slot where it belongs. */
export function slotOf(t: Uint32Array, capacity: number, hi: number, lo: number): number {
  let i = (lo >>> 0) % capacity;
  for (;;) {
    const j = i << 1;
    const sHi = t[j]!;
    const sLo = t[j + 1]!;
    if ((sHi === 0 && sLo === 0) || (sHi === hi >>> 0 && sLo === lo >>> 0)) return i;
    if (++i === capacity) i = 0;
  }
}

export function isEmptySlot(t: Uint32Array, i: number): boolean {
  return t[i << 1] === 0 && t[(i << 1) + 1] === 0;
}

/** Puts (hi, lo) in its slot unless the table holds it already; returns whether it did. */
export function tableAdd(t: Uint32Array, capacity: number, hi: number, lo: number): boolean {
  const i = slotOf(t, capacity, hi, lo);
  if (!isEmptySlot(t, i)) return false;
  t[i << 1] = hi;
  t[(i << 1) + 1] = lo;
  return true;
}

export function tableHas(t: Uint32Array, capacity: number, hi: number, lo: number): boolean {
  return !isEmptySlot(t, slotOf(t, capacity, hi, lo));
}

/** Calls `fn` with the pairs `t` holds, a slice of at most `max` pairs at a time. */
export function forEachSlice(t: Uint32Array, max: number, fn: (pairs: Uint32Array) => void): void {
  const out = new Uint32Array(2 * Math.max(1, max));
  let n = 0;
  for (let j = 0; j < t.length; j += 2) {
    const hi = t[j]!;
    const lo = t[j + 1]!;
    if (hi === 0 && lo === 0) continue;
    out[n++] = hi;
    out[n++] = lo;
    if (n === out.length) {
      fn(out);
      n = 0;
    }
  }
  if (n > 0) fn(out.subarray(0, n));
}
