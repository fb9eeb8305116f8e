// 64-bit structural fingerprints of state values, computed by walking the value.
//
// The hash is two 32-bit lanes (murmur3-style mixing with different constants), so it needs no
// BigInt and no allocation on the hot path. Every object, array and collection is the sum of
// its entries' terms (see `pair`): unordered ones (plain-object keys, immutable Set and Map) sum
// them as they are, which makes the result independent of key or insertion order without
// sorting, and ordered ones key each term by its position. The walk also validates the value.
//
// immutable.js collections cannot change, so their fingerprints are cached on them: a
// successor usually shares most of its collections with its parent, and those are not walked
// again. Plain objects and arrays can be mutated, so they are always walked (and the engine checks
// that a state it expanded still has its fingerprint: `unchangedSinceBase`).
import { Record as ImmutableRecord } from "immutable";
import { kindOf, ValueKind } from "./value-kind.ts";
import { SpecError } from "../errors/spec-error.ts";
import { explainInvalidValue } from "./validate.ts";

/** A fingerprint as two unsigned 32-bit halves. */
export interface Fingerprint {
  readonly hi: number;
  readonly lo: number;
}

// Result registers of the walk: every hash function leaves its result here.
let rHi = 0;
let rLo = 0;

const SEED_HI = 0x9747b28c | 0;
const SEED_LO = 0x2f5a7c31 | 0;

// Type tags keep values of different kinds apart ([1] vs List([1]) vs Set([1])).
const TAG_NULL = 1;
const TAG_FALSE = 2;
const TAG_TRUE = 3;
const TAG_INT = 4;
const TAG_FLOAT = 5;
const TAG_STRING = 6;
const TAG_BIGINT = 7;
const TAG_ARRAY = 8;
const TAG_OBJECT = 9;
const TAG_LIST = 10;
const TAG_MAP = 11;
const TAG_ORDERED_MAP = 12;
const TAG_SET = 13;
const TAG_ORDERED_SET = 14;
const TAG_STACK = 15;
const TAG_RECORD = 16;

const MAX_DEPTH = 2_000;

function mixHi(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function mixLo(h: number, k: number): number {
  k = Math.imul(k, 0x85ebca77);
  k = (k << 13) | (k >>> 19);
  k = Math.imul(k, 0x9e3779b1);
  h ^= k;
  h = (h << 17) | (h >>> 15);
  return (Math.imul(h, 0x27d4eb2f) + 0x165667b1) | 0;
}

function finalize(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function finalizeLo(h: number): number {
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  return h ^ (h >>> 15);
}

function setLeaf(tag: number, a: number, b: number): void {
  rHi = finalize(mixHi(mixHi(mixHi(SEED_HI, tag), a), b));
  rLo = finalizeLo(mixLo(mixLo(mixLo(SEED_LO, tag), a), b));
}

// A term: a value's hash combined with a key (a field name's or map key's hash, a position in
// a sequence, a collection's tag and size). For a given key it is a bijection of the value's
// 64 bits, so two values under one key never share a term. Collections and objects sum their
// terms, which keeps each term independent of the others: a successor that changes one field
// or one element changes the sum by that term alone, and the terms of a long sequence need no
// chain of dependent mixing steps.
function pair(kHi: number, kLo: number, vHi: number, vLo: number): void {
  const x = (vHi + Math.imul((kHi << 13) | (kHi >>> 19), 0x2c1b3c6d)) | 0;
  const y = (vLo + Math.imul((kLo << 17) | (kLo >>> 15), 0x297a2d39)) | 0;
  const u = (x + Math.imul(y, 0x9e3779b1)) | 0;
  rHi = finalize(u);
  rLo = finalizeLo((y + Math.imul(u, 0x85ebca77)) | 0);
}

/** The leaf hashes of (tag, i) for i from 0 to count - 1, as (hi, lo) tables. */
function leafTables(tag: number, count: number): [Int32Array, Int32Array] {
  const hi = new Int32Array(count);
  const lo = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    setLeaf(tag, i, 0);
    hi[i] = rHi;
    lo[i] = rLo;
  }
  return [hi, lo];
}

// Keys of the positions in a sequence (array elements, List entries, record fields).
const TAG_POSITION = 17;
const POSITIONS = 1024;
const [positionHi, positionLo] = leafTables(TAG_POSITION, POSITIONS);

/** The term of a value at position `i` of a sequence. */
function positionTerm(i: number, vHi: number, vLo: number): void {
  if (i < POSITIONS) {
    pair(positionHi[i]!, positionLo[i]!, vHi, vLo);
  } else {
    setLeaf(TAG_POSITION, i, 0);
    pair(rHi, rLo, vHi, vLo);
  }
}

/** The hash of a collection of kind `tag` with `size` entries whose terms sum to `sum`. */
function collectionTerm(tag: number, size: number, sumHi: number, sumLo: number): void {
  pair(Math.imul(tag, 0x9e3779b1) + size, Math.imul(size + 1, 0x85ebca77) ^ tag, sumHi, sumLo);
}

const floatView = new Float64Array(1);
const floatWords = new Int32Array(floatView.buffer);

// Leaves hashed once: small non-negative integers (ids, counters, ballots) and booleans/null.
const SMALL_INTS = 1024;
const [smallIntHi, smallIntLo] = leafTables(TAG_INT, SMALL_INTS);
setLeaf(TAG_TRUE, 0, 0);
const TRUE_HI = rHi;
const TRUE_LO = rLo;
setLeaf(TAG_FALSE, 0, 0);
const FALSE_HI = rHi;
const FALSE_LO = rLo;
setLeaf(TAG_NULL, 0, 0);
const NULL_HI = rHi;
const NULL_LO = rLo;

function hashNumber(n: number): void {
  if ((n | 0) === n) {
    if (n >= 0 && n < SMALL_INTS) {
      rHi = smallIntHi[n]!;
      rLo = smallIntLo[n]!;
      return;
    }
    setLeaf(TAG_INT, n, 0);
    return;
  }
  // -0 is 0 and every NaN is the same value, as for Immutable.is.
  floatView[0] = n === 0 ? 0 : Number.isNaN(n) ? NaN : n;
  setLeaf(TAG_FLOAT, floatWords[0] ?? 0, floatWords[1] ?? 0);
}

// Hashes of strings (field names, enum-like values) are looked up rather than recomputed: a
// state holds the same few strings over and over. The cache is direct-mapped on a cheap mix
// of the length and two characters, and compares by identity first (field names and literals
// are interned), so a hit costs a few loads.
const STRING_SLOTS = 4096;
const stringKeys: (string | undefined)[] = new Array<string | undefined>(STRING_SLOTS);
const stringHi = new Int32Array(STRING_SLOTS);
const stringLo = new Int32Array(STRING_SLOTS);

function hashStringCached(s: string): void {
  const n = s.length;
  if (n === 0 || n > 64) {
    hashString(s, TAG_STRING);
    return;
  }
  // The length and three characters, multiplied so that each reaches the top bits
  // ("rmState" and "tmState" must not share a slot).
  const slot =
    Math.imul(
      n ^ (s.charCodeAt(0) << 6) ^ (s.charCodeAt(n >> 1) << 13) ^ (s.charCodeAt(n - 1) << 20),
      0x9e3779b1,
    ) >>> 20;
  if (stringKeys[slot] === s) {
    rHi = stringHi[slot]!;
    rLo = stringLo[slot]!;
    return;
  }
  hashString(s, TAG_STRING);
  stringKeys[slot] = s;
  stringHi[slot] = rHi;
  stringLo[slot] = rLo;
}

function hashString(s: string, tag: number): void {
  let hi = mixHi(SEED_HI, tag);
  let lo = mixLo(SEED_LO, tag);
  const n = s.length;
  let i = 0;
  // Two UTF-16 units per mixing round halves the work on typical short names.
  for (; i + 1 < n; i += 2) {
    const k = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16);
    hi = mixHi(hi, k);
    lo = mixLo(lo, k);
  }
  if (i < n) {
    hi = mixHi(hi, s.charCodeAt(i));
    lo = mixLo(lo, s.charCodeAt(i));
  }
  rHi = finalize(hi ^ n);
  rLo = finalizeLo(lo ^ n);
}

interface RecordType {
  readonly hi: number;
  readonly lo: number;
  readonly keys: readonly string[];
}

type AnyRecord = InstanceType<ReturnType<typeof ImmutableRecord>>;

// Per record type (prototype): its field names, and a tag hashed once from its name and fields.
const recordTypes = new WeakMap<object, RecordType>();

function recordType(rec: AnyRecord): RecordType {
  const proto = Object.getPrototypeOf(rec) as object;
  let type = recordTypes.get(proto);
  if (type === undefined) {
    const keys = rec.toSeq().keySeq().toArray() as string[];
    hashString(
      ImmutableRecord.getDescriptiveName(rec) + "\u0001" + keys.join("\u0000"),
      TAG_RECORD,
    );
    type = { hi: rHi, lo: rLo, keys };
    recordTypes.set(proto, type);
  }
  return type;
}

function hashRecord(rec: AnyRecord): void {
  const type = recordType(rec);
  const keys = type.keys;
  let sumHi = 0;
  let sumLo = 0;
  for (let i = 0; i < keys.length; i++) {
    hashAny((rec as unknown as { get(k: string): unknown }).get(keys[i]!));
    positionTerm(i, rHi, rLo);
    sumHi = (sumHi + rHi) | 0;
    sumLo = (sumLo + rLo) | 0;
  }
  pair(type.hi, type.lo, sumHi, sumLo);
}

interface ImmutableIterable {
  readonly size: number;
  forEach(fn: (v: unknown, k: unknown) => unknown): number;
}

let depth = 0;

// Accumulators for the static forEach callbacks below (no closure is allocated per
// collection); a nested collection saves and restores them around its own iteration.
let accHi = 0;
let accLo = 0;
let accIndex = 0;

// hashAny for the entries of a collection, which are often immutable values already hashed
// (messages in a network set): their cached fingerprint is read before anything else. This
// load sees the few kinds of entry a spec's collections hold, so it stays fast, where hashAny
// first classifies the object by its prototype (a call into the runtime).
function hashEntry(v: unknown): void {
  if (typeof v === "object" && v !== null) {
    const cHi = (v as Cached)[CACHE];
    if (cHi !== undefined) {
      rHi = cHi;
      rLo = (v as Cached)[CACHE_LO]!;
      return;
    }
  }
  hashAny(v);
}

/** The term of a map entry: its value's hash keyed by its key's. */
function entryTerm(v: unknown, k: unknown): void {
  hashEntry(k);
  const kHi = rHi;
  const kLo = rLo;
  hashEntry(v);
  pair(kHi, kLo, rHi, rLo);
}

function addEntry(v: unknown, k: unknown): void {
  entryTerm(v, k);
  accHi = (accHi + rHi) | 0;
  accLo = (accLo + rLo) | 0;
}

function addElement(v: unknown): void {
  hashEntry(v);
  accHi = (accHi + rHi) | 0;
  accLo = (accLo + rLo) | 0;
}

function addAtPosition(v: unknown): void {
  hashEntry(v);
  positionTerm(accIndex++, rHi, rLo);
  accHi = (accHi + rHi) | 0;
  accLo = (accLo + rLo) | 0;
}

function addEntryAtPosition(v: unknown, k: unknown): void {
  entryTerm(v, k);
  positionTerm(accIndex++, rHi, rLo);
  accHi = (accHi + rHi) | 0;
  accLo = (accLo + rLo) | 0;
}

// Hashes a collection as the sum of its entries' (or elements') terms: unordered collections
// sum the terms themselves, ordered ones sum them keyed by position.
function hashCollection(
  c: ImmutableIterable,
  tag: number,
  fn: (v: unknown, k: unknown) => void,
): void {
  const savedHi = accHi;
  const savedLo = accLo;
  const savedIndex = accIndex;
  accHi = 0;
  accLo = 0;
  accIndex = 0;
  c.forEach(fn);
  collectionTerm(tag, c.size, accHi, accLo);
  accHi = savedHi;
  accLo = savedLo;
  accIndex = savedIndex;
}

// The cached fingerprint of an immutable collection, kept on the collection itself (a
// symbol-keyed property is a fast, shape-stable load; immutable.js never copies it).
const CACHE: unique symbol = Symbol("protomc.fingerprint");
interface Cached {
  [CACHE]?: number;
  [CACHE_LO]?: number;
}
const CACHE_LO: unique symbol = Symbol("protomc.fingerprint.lo");

function hashArray(a: readonly unknown[]): void {
  let sumHi = 0;
  let sumLo = 0;
  const n = a.length;
  for (let i = 0; i < n; i++) {
    const v = a[i];
    if (v === undefined) throw invalid;
    hashAny(v);
    positionTerm(i, rHi, rLo);
    sumHi = (sumHi + rHi) | 0;
    sumLo = (sumLo + rLo) | 0;
  }
  collectionTerm(TAG_ARRAY, n, sumHi, sumLo);
}

function hashObject(o: Record<string, unknown>): void {
  let sumHi = 0;
  let sumLo = 0;
  let size = 0;
  for (const key in o) {
    const v = o[key];
    // An absent key and a key holding undefined are the same value (optional fields).
    if (v === undefined) continue;
    fieldTerm(key, v);
    sumHi = (sumHi + rHi) | 0;
    sumLo = (sumLo + rLo) | 0;
    size++;
  }
  collectionTerm(TAG_OBJECT, size, sumHi, sumLo);
}

/** The term of an object's field: its value's hash keyed by its name's. */
function fieldTerm(key: string, v: unknown): void {
  hashStringCached(key);
  const kHi = rHi;
  const kLo = rLo;
  hashAny(v);
  pair(kHi, kLo, rHi, rLo);
}

// Incremental fingerprints of successors. A successor is mostly its parent with a field or two
// replaced, and an object's fingerprint is a sum of per-field terms: with the parent's terms
// kept, each field the successor shares with it by reference costs one comparison. Plain
// objects can be mutated, but a mutated parent is caught after its expansion
// (`unchangedSinceBase`), so a stale term never goes unnoticed.
const baseKeys: string[] = [];
const baseValues: unknown[] = [];
let baseKeyHi = new Int32Array(16);
let baseKeyLo = new Int32Array(16);
let baseTermsHi = new Int32Array(16);
let baseTermsLo = new Int32Array(16);
let baseSumHi = new Int32Array(16);
let baseSumLo = new Int32Array(16);
let baseSize = -1;
// The base's own fingerprint, from its terms.
let baseFpHi = 0;
let baseFpLo = 0;
let baseObject: object | null = null;

// For a base field holding a plain array (per-process state, say), its elements' terms too:
// a successor usually replaces such an array by a copy with one element changed, and the
// array's sum of terms then changes by that element's term alone.
const baseElemStart: number[] = [];
const baseElems: unknown[] = [];
const baseLength: number[] = [];
let baseElemHi = new Int32Array(256);
let baseElemLo = new Int32Array(256);
let baseElemUsed = 0;
const NO_ELEMENTS = -1;
const MAX_BASE_ARRAY = 256;

function isPlainArray(v: unknown): v is readonly unknown[] {
  return Array.isArray(v) && Object.getPrototypeOf(v) === Array.prototype;
}

/** Hashes a base field's array, keeping its elements and their terms at `baseElemUsed`. */
function hashBaseArray(a: readonly unknown[]): void {
  const n = a.length;
  if (baseElemUsed + n > baseElemHi.length) {
    const size = Math.max(baseElemHi.length * 2, baseElemUsed + n);
    baseElemHi = grown(baseElemHi, size);
    baseElemLo = grown(baseElemLo, size);
  }
  let sumHi = 0;
  let sumLo = 0;
  for (let i = 0; i < n; i++) {
    const v = a[i];
    if (v === undefined) throw invalid;
    hashAny(v);
    positionTerm(i, rHi, rLo);
    baseElems[baseElemUsed + i] = v;
    baseElemHi[baseElemUsed + i] = rHi;
    baseElemLo[baseElemUsed + i] = rLo;
    sumHi = (sumHi + rHi) | 0;
    sumLo = (sumLo + rLo) | 0;
  }
  rHi = sumHi;
  rLo = sumLo;
}

function grown(a: Int32Array<ArrayBuffer>, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

// Consecutive parents are usually siblings, which share most of their fields (and most elements
// of their array fields) by reference: a new base is made from the previous one when it has the
// same fields in the same order and arrays of the same lengths, hashing only what differs.
// Shared values are not walked again; a value mutated since it was first recorded is still
// caught, by `unchangedSinceBase` after the expansion (it compares with what was recorded).
function setBase(o: Record<string, unknown>): void {
  if (!(baseSize > 0 && setBaseFromPrevious(o))) setBaseFully(o);
  if (baseFpHi === 0 && baseFpLo === 0) baseFpLo = 1;
}

function setBaseFromPrevious(o: Record<string, unknown>): boolean {
  let sumHi = 0;
  let sumLo = 0;
  let j = 0;
  for (const key in o) {
    const v = o[key];
    if (v === undefined) continue;
    if (j >= baseSize || baseKeys[j] !== key) return false;
    if (baseValues[j] !== v) {
      if (baseElemStart[j] !== NO_ELEMENTS) {
        if (!isPlainArray(v) || v.length !== (baseValues[j] as readonly unknown[]).length) {
          return false;
        }
        if (++depth > MAX_DEPTH) throw invalid;
        hashArrayFromBase(v, j, true);
        depth--;
      } else {
        if (isPlainArray(v) && v.length <= MAX_BASE_ARRAY) return false;
        hashAny(v);
      }
      pair(baseKeyHi[j]!, baseKeyLo[j]!, rHi, rLo);
      baseValues[j] = v;
      baseTermsHi[j] = rHi;
      baseTermsLo[j] = rLo;
    }
    sumHi = (sumHi + baseTermsHi[j]!) | 0;
    sumLo = (sumLo + baseTermsLo[j]!) | 0;
    j++;
  }
  if (j !== baseSize) return false;
  collectionTerm(TAG_OBJECT, baseSize, sumHi, sumLo);
  baseFpHi = rHi;
  baseFpLo = rLo;
  return true;
}

function setBaseFully(o: Record<string, unknown>): void {
  baseSize = 0;
  baseElemUsed = 0;
  let sumHi = 0;
  let sumLo = 0;
  for (const key in o) {
    const v = o[key];
    if (v === undefined) continue;
    if (baseSize === baseTermsHi.length) {
      const size = baseSize * 2;
      baseKeyHi = grown(baseKeyHi, size);
      baseKeyLo = grown(baseKeyLo, size);
      baseTermsHi = grown(baseTermsHi, size);
      baseTermsLo = grown(baseTermsLo, size);
      baseSumHi = grown(baseSumHi, size);
      baseSumLo = grown(baseSumLo, size);
    }
    hashStringCached(key);
    const kHi = rHi;
    const kLo = rLo;
    let start = NO_ELEMENTS;
    if (isPlainArray(v) && v.length <= MAX_BASE_ARRAY) {
      start = baseElemUsed;
      if (++depth > MAX_DEPTH) throw invalid;
      hashBaseArray(v);
      depth--;
      baseElemUsed += v.length;
      baseLength[baseSize] = v.length;
      baseSumHi[baseSize] = rHi;
      baseSumLo[baseSize] = rLo;
      collectionTerm(TAG_ARRAY, v.length, rHi, rLo);
    } else {
      hashAny(v);
    }
    pair(kHi, kLo, rHi, rLo);
    baseKeys[baseSize] = key;
    baseValues[baseSize] = v;
    baseElemStart[baseSize] = start;
    baseKeyHi[baseSize] = kHi;
    baseKeyLo[baseSize] = kLo;
    baseTermsHi[baseSize] = rHi;
    baseTermsLo[baseSize] = rLo;
    sumHi = (sumHi + rHi) | 0;
    sumLo = (sumLo + rLo) | 0;
    baseSize++;
  }
  collectionTerm(TAG_OBJECT, baseSize, sumHi, sumLo);
  baseFpHi = rHi;
  baseFpLo = rLo;
}

/** Whether a value can change in place: a plain object or array (not a primitive, not immutable). */
function isMutable(v: unknown): boolean {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null || proto === Array.prototype;
}

/** Identity, except that NaN is NaN (as it is as a state value). */
function same(a: unknown, b: unknown): boolean {
  return a === b || (a !== a && b !== b);
}

/** Whether `o` still holds what the base recorded (see `unchangedSinceBase`). */
function matchesBase(o: Record<string, unknown>): boolean {
  let j = 0;
  for (const key in o) {
    const v = o[key];
    if (v === undefined) continue;
    if (j >= baseSize || baseKeys[j] !== key || !same(baseValues[j], v)) return false;
    const start = baseElemStart[j]!;
    if (start !== NO_ELEMENTS) {
      const a = v as readonly unknown[];
      if (a.length !== baseLength[j]) return false;
      for (let i = 0; i < a.length; i++) {
        const e = a[i];
        if (!same(e, baseElems[start + i])) return false;
        if (isMutable(e)) {
          hashAny(e);
          positionTerm(i, rHi, rLo);
          if (rHi !== baseElemHi[start + i] || rLo !== baseElemLo[start + i]) return false;
        }
      }
    } else if (isMutable(v)) {
      hashAny(v);
      pair(baseKeyHi[j]!, baseKeyLo[j]!, rHi, rLo);
      if (rHi !== baseTermsHi[j] || rLo !== baseTermsLo[j]) return false;
    }
    j++;
  }
  return j === baseSize;
}

/**
 * Hashes `a` as hashArray does, given base field j's array of the same length: only the
 * elements it does not share with that array are hashed. With `keep`, `a` becomes field j's
 * array in the base (its new elements and their terms are recorded).
 */
function hashArrayFromBase(a: readonly unknown[], j: number, keep: boolean): void {
  const start = baseElemStart[j]!;
  let sumHi = baseSumHi[j]!;
  let sumLo = baseSumLo[j]!;
  const n = a.length;
  for (let i = 0; i < n; i++) {
    const v = a[i];
    if (v === baseElems[start + i]) continue;
    if (v === undefined) throw invalid;
    hashAny(v);
    positionTerm(i, rHi, rLo);
    sumHi = (sumHi + rHi - baseElemHi[start + i]!) | 0;
    sumLo = (sumLo + rLo - baseElemLo[start + i]!) | 0;
    if (keep) {
      baseElems[start + i] = v;
      baseElemHi[start + i] = rHi;
      baseElemLo[start + i] = rLo;
    }
  }
  if (keep) {
    baseSumHi[j] = sumHi;
    baseSumLo[j] = sumLo;
  }
  collectionTerm(TAG_ARRAY, n, sumHi, sumLo);
}

function hashObjectFromBase(o: Record<string, unknown>): void {
  let sumHi = 0;
  let sumLo = 0;
  let size = 0;
  // The parent's field at the same position (keys come in the same order when the successor
  // was built like its parent); -1 once the orders part.
  let j = 0;
  for (const key in o) {
    const v = o[key];
    if (v === undefined) continue;
    if (j >= 0 && j < baseSize && baseKeys[j] === key) {
      const base = baseValues[j];
      if (base === v) {
        rHi = baseTermsHi[j]!;
        rLo = baseTermsLo[j]!;
      } else {
        if (
          baseElemStart[j] !== NO_ELEMENTS &&
          isPlainArray(v) &&
          v.length === (base as readonly unknown[]).length
        ) {
          if (++depth > MAX_DEPTH) throw invalid;
          hashArrayFromBase(v, j, false);
          depth--;
        } else {
          hashAny(v);
        }
        pair(baseKeyHi[j]!, baseKeyLo[j]!, rHi, rLo);
      }
      j++;
    } else {
      j = -1;
      fieldTerm(key, v);
    }
    sumHi = (sumHi + rHi) | 0;
    sumLo = (sumLo + rLo) | 0;
    size++;
  }
  collectionTerm(TAG_OBJECT, size, sumHi, sumLo);
}

// Thrown inside the walk; the public entry point turns it into a located error.
const invalid = new Error("invalid state value");

function hashAny(v: unknown): void {
  switch (typeof v) {
    case "number":
      hashNumber(v);
      return;
    case "string":
      hashStringCached(v);
      return;
    case "boolean":
      rHi = v ? TRUE_HI : FALSE_HI;
      rLo = v ? TRUE_LO : FALSE_LO;
      return;
    case "bigint":
      hashString(v.toString(16), TAG_BIGINT);
      return;
    case "object":
      if (v === null) {
        rHi = NULL_HI;
        rLo = NULL_LO;
        return;
      }
      break;
    default:
      throw invalid;
  }
  if (++depth > MAX_DEPTH) throw invalid;
  const kind = kindOf(v);
  switch (kind) {
    case ValueKind.PlainObject:
      hashObject(v as Record<string, unknown>);
      depth--;
      return;
    case ValueKind.Array:
      hashArray(v as unknown[]);
      depth--;
      return;
    case ValueKind.Foreign:
    case ValueKind.UnsupportedImmutable:
      throw invalid;
  }
  const cached = v as Cached;
  const cHi = cached[CACHE];
  if (cHi !== undefined) {
    rHi = cHi;
    rLo = cached[CACHE_LO]!;
    depth--;
    return;
  }
  switch (kind) {
    case ValueKind.List:
      hashCollection(v as ImmutableIterable, TAG_LIST, addAtPosition);
      break;
    case ValueKind.Stack:
      hashCollection(v as ImmutableIterable, TAG_STACK, addAtPosition);
      break;
    case ValueKind.Map:
      hashCollection(v as ImmutableIterable, TAG_MAP, addEntry);
      break;
    case ValueKind.OrderedMap:
      hashCollection(v as ImmutableIterable, TAG_ORDERED_MAP, addEntryAtPosition);
      break;
    case ValueKind.Set:
      hashCollection(v as ImmutableIterable, TAG_SET, addElement);
      break;
    case ValueKind.OrderedSet:
      hashCollection(v as ImmutableIterable, TAG_ORDERED_SET, addAtPosition);
      break;
    case ValueKind.Record:
      hashRecord(v as AnyRecord);
      break;
  }
  // A collection inside withMutations can still change: never cache one.
  if ((v as { __ownerID?: unknown }).__ownerID === undefined) {
    cached[CACHE] = rHi;
    cached[CACHE_LO] = rLo;
  }
  depth--;
}

/**
 * Computes the fingerprint of a state value into `out[offset]` (high half) and
 * `out[offset + 1]` (low half), validating it on the way. Never returns 0/0, which
 * the seen-set reserves for empty slots.
 * @throws InvalidValueError naming the path inside the value that cannot be part of a state.
 */
export function fingerprintInto(value: unknown, out: Uint32Array, offset: number): void {
  depth = 0;
  try {
    hashAny(value);
  } catch (e) {
    if (e === invalid) throw explainInvalidValue(value);
    throw e;
  }
  if (rHi === 0 && rLo === 0) rLo = 1;
  out[offset] = rHi;
  out[offset + 1] = rLo;
}

/**
 * Makes `parent` the base of `fingerprintSuccessorInto`: its fields' terms are computed and
 * kept. The base holds references to the parent's fields until the next call.
 * @throws InvalidValueError as fingerprintInto.
 */
export function setFingerprintBase(parent: unknown): void {
  baseObject = null;
  if (typeof parent !== "object" || parent === null || kindOf(parent) !== ValueKind.PlainObject) {
    baseSize = -1;
    return;
  }
  depth = 0;
  try {
    setBase(parent as Record<string, unknown>);
  } catch (e) {
    baseSize = -1;
    if (e === invalid) throw explainInvalidValue(parent);
    throw e;
  }
  baseObject = parent;
}

/**
 * Whether `state` still has the fingerprint (hi, lo). For the state last given to
 * `setFingerprintBase` this costs a few comparisons when it still holds what was recorded then
 * (the same fields, the same values by reference, the same elements in its arrays, and plain
 * objects and arrays among them that hash as they did); otherwise it is walked in full. This is
 * the check that the expansion of `state` did not mutate it.
 */
export function unchangedSinceBase(state: unknown, hi: number, lo: number): boolean {
  if (
    state === baseObject &&
    baseSize >= 0 &&
    baseFpHi >>> 0 === hi >>> 0 &&
    baseFpLo >>> 0 === lo >>> 0 &&
    holdsBase(state as Record<string, unknown>)
  ) {
    return true;
  }
  // Something differs from the record (or there is none): whether the value changed is what
  // the full walk says, as for a value that holds equal copies of what it held (an array
  // replaced by an equal one, a getter that builds its value afresh).
  try {
    fingerprintInto(state, scratch, 0);
  } catch (e) {
    // It no longer is a valid state value: it changed.
    if (e instanceof SpecError) return false;
    throw e;
  }
  return scratch[0] === hi >>> 0 && scratch[1] === lo >>> 0;
}

function holdsBase(state: Record<string, unknown>): boolean {
  depth = 1;
  try {
    return matchesBase(state);
  } catch (e) {
    if (e === invalid) return false;
    throw e;
  }
}

/**
 * As fingerprintInto, for a successor of the state last given to `setFingerprintBase`: fields
 * that the successor shares with it by reference are not walked again. The result is the same
 * as fingerprintInto's, provided the base was not mutated since.
 */
export function fingerprintSuccessorInto(value: unknown, out: Uint32Array, offset: number): void {
  if (
    baseSize < 0 ||
    typeof value !== "object" ||
    value === null ||
    kindOf(value) !== ValueKind.PlainObject
  ) {
    fingerprintInto(value, out, offset);
    return;
  }
  depth = 1;
  try {
    hashObjectFromBase(value as Record<string, unknown>);
  } catch (e) {
    if (e === invalid) throw explainInvalidValue(value);
    throw e;
  }
  if (rHi === 0 && rLo === 0) rLo = 1;
  out[offset] = rHi;
  out[offset + 1] = rLo;
}

const scratch = new Uint32Array(2);

/** The fingerprint of a value, for tests and tools (the engine uses `fingerprintInto`). */
export function fingerprint(value: unknown): Fingerprint {
  fingerprintInto(value, scratch, 0);
  return { hi: scratch[0] ?? 0, lo: scratch[1] ?? 0 };
}

/** The fingerprint as 16 hex digits, as written in trace files. */
export function fingerprintHex(value: unknown): string {
  const f = fingerprint(value);
  return f.hi.toString(16).padStart(8, "0") + f.lo.toString(16).padStart(8, "0");
}
