// The values that appear as operation inputs and outputs, with structural equality, a cheap
// 32-bit hash (for the search's memo table) and a compact printer (for explanations).
//
// Values are deliberately JSON-like: both input formats (Jepsen/EDN and our JSON) map onto
// them without loss for the data protomc cares about, and primitives keep model states cheap.

export type Value = null | boolean | number | string | readonly Value[];

export function valueEquals(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b)) return false;
  const xs: readonly Value[] = a;
  const ys: readonly Value[] = b;
  if (xs.length !== ys.length) return false;
  for (let i = 0; i < xs.length; i++) {
    if (!valueEquals(xs[i] as Value, ys[i] as Value)) return false;
  }
  return true;
}

// murmur3's finaliser: spreads every input bit over the whole word, so nearby integers
// (register values 0..4) land in unrelated buckets.
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function hashString(s: string): number {
  // FNV-1a over UTF-16 code units; the tag keeps "1" apart from 1.
  let h = 0x811c9dc5 ^ 0x5bd1e995;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

export function hashValue(v: Value): number {
  if (v === null) return 0x6b43a9b5;
  if (v === true) return 0x1f0a2c3d;
  if (v === false) return 0x2e9b4c11;
  if (typeof v === "number") {
    return Number.isInteger(v) && Math.abs(v) < 2 ** 31
      ? mix32(v ^ 0x3c6ef372)
      : hashString(`#${v}`);
  }
  if (typeof v === "string") return hashString(v);
  let h = 0x7f4a7c15 ^ v.length;
  for (const x of v) h = mix32((Math.imul(h, 31) + hashValue(x)) | 0);
  return h;
}

/** EDN-like rendering: `nil`, `3`, `"x"`, `[1 2]`. Used only in messages. */
export function showValue(v: Value | undefined): string {
  if (v === undefined) return "?";
  if (v === null) return "nil";
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x: Value) => showValue(x)).join(" ")}]`;
  return String(v);
}

/** Checks that an arbitrary parsed JSON value is a `Value` (no objects, finite numbers). */
export function isValue(x: unknown): x is Value {
  if (x === null || typeof x === "boolean" || typeof x === "string") return true;
  if (typeof x === "number") return Number.isFinite(x);
  if (Array.isArray(x)) return x.every((y) => isValue(y));
  return false;
}
