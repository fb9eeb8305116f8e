// 64-bit structural fingerprints of state values, computed by walking the value.
//
// The hash is two independent 32-bit lanes (murmur3-style mixing with different constants), so
// it needs no BigInt and no allocation on the hot path. Unordered collections (plain-object
// keys, immutable Set and Map) combine their entries by addition, which makes the result
// independent of key or insertion order without sorting. The walk also validates the value.
//
// immutable.js collections cannot change, so their fingerprints are cached on them: a
// successor usually shares most of its collections with its parent, and those are not walked
// again. Plain objects and arrays can be mutated, so they are always walked (the engine
// detects a spec that mutates a state by fingerprinting it again after expanding it).
import { Record as ImmutableRecord } from "immutable";
import { kindOf, ValueKind } from "./value-kind.ts";
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

const floatView = new Float64Array(1);
const floatWords = new Int32Array(floatView.buffer);

// Leaves hashed once: small non-negative integers (ids, counters, ballots) and booleans/null.
const SMALL_INTS = 1024;
const smallIntHi = new Int32Array(SMALL_INTS);
const smallIntLo = new Int32Array(SMALL_INTS);
for (let i = 0; i < SMALL_INTS; i++) {
  setLeaf(TAG_INT, i, 0);
  smallIntHi[i] = rHi;
  smallIntLo[i] = rLo;
}
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
  let hi = mixHi(SEED_HI, type.hi);
  let lo = mixLo(SEED_LO, type.lo);
  const keys = type.keys;
  for (let i = 0; i < keys.length; i++) {
    hashAny((rec as unknown as { get(k: string): unknown }).get(keys[i]!));
    hi = mixLo(mixHi(hi, rHi), rLo);
    lo = mixHi(mixLo(lo, rLo), rHi);
  }
  rHi = finalize(hi);
  rLo = finalizeLo(lo);
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

function addEntry(v: unknown, k: unknown): void {
  hashAny(k);
  const kHi = rHi;
  const kLo = rLo;
  hashAny(v);
  accHi = (accHi + finalize(mixHi(mixHi(SEED_HI, kHi), rHi))) | 0;
  accLo = (accLo + finalizeLo(mixLo(mixLo(SEED_LO, kLo), rLo))) | 0;
}

function addElement(v: unknown): void {
  hashAny(v);
  accHi = (accHi + rHi) | 0;
  accLo = (accLo + rLo) | 0;
}

function mixValue(v: unknown): void {
  const hi = accHi;
  const lo = accLo;
  hashAny(v);
  accHi = mixLo(mixHi(hi, rHi), rLo);
  accLo = mixHi(mixLo(lo, rLo), rHi);
}

function mixEntry(v: unknown, k: unknown): void {
  mixValue(k);
  mixValue(v);
}

// Hashes an unordered collection: the sum of its entries' (or elements') hashes.
function hashUnordered(c: ImmutableIterable, tag: number, keyed: boolean): void {
  const savedHi = accHi;
  const savedLo = accLo;
  accHi = 0;
  accLo = 0;
  c.forEach(keyed ? addEntry : addElement);
  setLeafPair(tag, c.size, accHi, accLo);
  accHi = savedHi;
  accLo = savedLo;
}

function hashOrdered(c: ImmutableIterable, tag: number, keyed: boolean): void {
  const savedHi = accHi;
  const savedLo = accLo;
  accHi = mixHi(SEED_HI, tag);
  accLo = mixLo(SEED_LO, tag);
  c.forEach(keyed ? mixEntry : mixValue);
  rHi = finalize(accHi ^ c.size);
  rLo = finalizeLo(accLo ^ c.size);
  accHi = savedHi;
  accLo = savedLo;
}

// The cached fingerprint of an immutable collection, kept on the collection itself (a
// symbol-keyed property is a fast, shape-stable load; immutable.js never copies it).
const CACHE: unique symbol = Symbol("protomc.fingerprint");
interface Cached {
  [CACHE]?: number;
  [CACHE_LO]?: number;
}
const CACHE_LO: unique symbol = Symbol("protomc.fingerprint.lo");

function setLeafPair(tag: number, size: number, a: number, b: number): void {
  rHi = finalize(mixHi(mixHi(mixHi(mixHi(SEED_HI, tag), size), a), b));
  rLo = finalizeLo(mixLo(mixLo(mixLo(mixLo(SEED_LO, tag), size), b), a));
}

function hashArray(a: readonly unknown[]): void {
  let hi = mixHi(SEED_HI, TAG_ARRAY);
  let lo = mixLo(SEED_LO, TAG_ARRAY);
  const n = a.length;
  for (let i = 0; i < n; i++) {
    const v = a[i];
    if (v === undefined) throw invalid;
    hashAny(v);
    hi = mixLo(mixHi(hi, rHi), rLo);
    lo = mixHi(mixLo(lo, rLo), rHi);
  }
  rHi = finalize(hi ^ n);
  rLo = finalizeLo(lo ^ n);
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
  setLeafPair(TAG_OBJECT, size, sumHi, sumLo);
}

// Incremental fingerprints of successors. A successor is mostly its parent with a field or two
// replaced, and an object's fingerprint is a sum of per-field terms: with the parent's terms
// kept, each field the successor shares with it by reference costs one comparison. Plain
// objects can be mutated, but a mutated parent is caught after its expansion (the engine walks
// it in full again and compares), so a stale term never goes unnoticed.
const baseKeys: string[] = [];
const baseValues: unknown[] = [];
let baseTermsHi = new Int32Array(16);
let baseTermsLo = new Int32Array(16);
let baseSize = -1;

function fieldTerm(key: string, v: unknown): void {
  hashStringCached(key);
  const kHi = rHi;
  const kLo = rLo;
  hashAny(v);
  keyed(kHi, kLo);
}

// For a base field holding a plain array (per-process state, say), its elements' hashes too:
// a successor usually replaces such an array by a copy with one element changed.
const baseElemStart: number[] = [];
let baseElemHi = new Int32Array(256);
let baseElemLo = new Int32Array(256);
let baseElemUsed = 0;
const NO_ELEMENTS = -1;
const MAX_BASE_ARRAY = 256;

function isPlainArray(v: unknown): v is readonly unknown[] {
  return Array.isArray(v) && Object.getPrototypeOf(v) === Array.prototype;
}

/** Hashes a base field's array, keeping its elements' hashes at `baseElemUsed`. */
function hashBaseArray(a: readonly unknown[]): void {
  const n = a.length;
  if (baseElemUsed + n > baseElemHi.length) {
    const size = Math.max(baseElemHi.length * 2, baseElemUsed + n);
    const hi = new Int32Array(size);
    hi.set(baseElemHi);
    baseElemHi = hi;
    const lo = new Int32Array(size);
    lo.set(baseElemLo);
    baseElemLo = lo;
  }
  let hi = mixHi(SEED_HI, TAG_ARRAY);
  let lo = mixLo(SEED_LO, TAG_ARRAY);
  for (let i = 0; i < n; i++) {
    const v = a[i];
    if (v === undefined) throw invalid;
    hashAny(v);
    baseElemHi[baseElemUsed + i] = rHi;
    baseElemLo[baseElemUsed + i] = rLo;
    hi = mixLo(mixHi(hi, rHi), rLo);
    lo = mixHi(mixLo(lo, rLo), rHi);
  }
  rHi = finalize(hi ^ n);
  rLo = finalizeLo(lo ^ n);
}

/** Hashes `a` as hashArray does, reusing the hashes of elements it shares with base field j. */
function hashArrayFromBase(a: readonly unknown[], base: readonly unknown[], start: number): void {
  let hi = mixHi(SEED_HI, TAG_ARRAY);
  let lo = mixLo(SEED_LO, TAG_ARRAY);
  const n = a.length;
  for (let i = 0; i < n; i++) {
    const v = a[i];
    if (v === base[i]) {
      rHi = baseElemHi[start + i]!;
      rLo = baseElemLo[start + i]!;
    } else {
      if (v === undefined) throw invalid;
      hashAny(v);
    }
    hi = mixLo(mixHi(hi, rHi), rLo);
    lo = mixHi(mixLo(lo, rLo), rHi);
  }
  rHi = finalize(hi ^ n);
  rLo = finalizeLo(lo ^ n);
}

function keyed(kHi: number, kLo: number): void {
  rHi = finalize(mixHi(mixHi(SEED_HI, kHi), rHi));
  rLo = finalizeLo(mixLo(mixLo(SEED_LO, kLo), rLo));
}

function setBase(o: Record<string, unknown>): void {
  baseSize = 0;
  baseElemUsed = 0;
  for (const key in o) {
    const v = o[key];
    if (v === undefined) continue;
    let start = NO_ELEMENTS;
    if (isPlainArray(v) && v.length <= MAX_BASE_ARRAY) {
      hashStringCached(key);
      const kHi = rHi;
      const kLo = rLo;
      start = baseElemUsed;
      if (++depth > MAX_DEPTH) throw invalid;
      hashBaseArray(v);
      depth--;
      baseElemUsed += v.length;
      keyed(kHi, kLo);
    } else {
      fieldTerm(key, v);
    }
    if (baseSize === baseTermsHi.length) {
      const hi = new Int32Array(baseSize * 2);
      hi.set(baseTermsHi);
      baseTermsHi = hi;
      const lo = new Int32Array(baseSize * 2);
      lo.set(baseTermsLo);
      baseTermsLo = lo;
    }
    baseKeys[baseSize] = key;
    baseValues[baseSize] = v;
    baseElemStart[baseSize] = start;
    baseTermsHi[baseSize] = rHi;
    baseTermsLo[baseSize] = rLo;
    baseSize++;
  }
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
      const start = baseElemStart[j]!;
      if (base === v) {
        rHi = baseTermsHi[j]!;
        rLo = baseTermsLo[j]!;
      } else if (
        start !== NO_ELEMENTS &&
        isPlainArray(v) &&
        v.length === (base as readonly unknown[]).length
      ) {
        hashStringCached(key);
        const kHi = rHi;
        const kLo = rLo;
        if (++depth > MAX_DEPTH) throw invalid;
        hashArrayFromBase(v, base as readonly unknown[], start);
        depth--;
        keyed(kHi, kLo);
      } else {
        fieldTerm(key, v);
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
  setLeafPair(TAG_OBJECT, size, sumHi, sumLo);
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
      hashOrdered(v as ImmutableIterable, TAG_LIST, false);
      break;
    case ValueKind.Stack:
      hashOrdered(v as ImmutableIterable, TAG_STACK, false);
      break;
    case ValueKind.Map:
      hashUnordered(v as ImmutableIterable, TAG_MAP, true);
      break;
    case ValueKind.OrderedMap:
      hashOrdered(v as ImmutableIterable, TAG_ORDERED_MAP, true);
      break;
    case ValueKind.Set:
      hashUnordered(v as ImmutableIterable, TAG_SET, false);
      break;
    case ValueKind.OrderedSet:
      hashOrdered(v as ImmutableIterable, TAG_ORDERED_SET, false);
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
  baseSize = -1;
  if (typeof parent !== "object" || parent === null || kindOf(parent) !== ValueKind.PlainObject) {
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
