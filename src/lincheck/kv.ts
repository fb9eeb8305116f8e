// The key-value model: string keys and values, get/put/append, a missing key reads as "".
//
// Why a custom state rather than an immutable.js Map: appends make values grow (hundreds
// of characters in lin-data's c50 files), and the memo table hashes and keeps every new
// state. Hashing the strings from scratch dominated the search, and the Map's internal nodes
// dominated memory. So a state is a linked list of entries sorted by key (`null` when every
// key is empty), one object per non-empty key: partitioned checks have a single key, so one
// allocation per state. Each value carries a polynomial hash that an append extends in
// O(length of the appended text); the state's hash is the sum of per-entry shares, kept in
// the head. Equality still compares the strings, so a collision costs time, never a verdict.
import type { Operation } from "./history.ts";
import type { Model, StepResult } from "./models.ts";
import { hashString as hashStringImport, mix32 as mix32Import, showValue } from "./values.ts";

// Local aliases: hot-path calls through an import binding cost a getter call under some
// loaders (tsx, vite-node).
const hashString = hashStringImport;
const mix32 = mix32Import;

export class KvEntry {
  /** This entry's share of the state hash. */
  readonly share: number;
  /** Hash of the whole state from this entry on. */
  readonly hash: number;

  constructor(
    readonly key: string,
    /** Never "": a key holding "" is left out, so equal contents give equal lists. */
    readonly s: string,
    /** Polynomial hash of `s`: continuing it over more characters hashes `s + more`. */
    readonly h: number,
    readonly next: KvEntry | null,
  ) {
    this.share = mix32(hashString(key) ^ mix32(h ^ s.length));
    this.hash = (this.share + (next === null ? 0 : next.hash)) | 0;
  }
}

/** A key-value store state: entries sorted by key, `null` for the empty store. */
export type KvState = KvEntry | null;

function find(st: KvState, key: string): KvEntry | null {
  for (let e = st; e !== null; e = e.next) if (e.key === key) return e;
  return null;
}

function entries(st: KvState): [string, string][] {
  const out: [string, string][] = [];
  for (let e = st; e !== null; e = e.next) out.push([e.key, e.s]);
  return out;
}

const B = 0x9e3779b1 | 0;

function extend(h: number, more: string): number {
  for (let i = 0; i < more.length; i++) h = (Math.imul(h, B) + more.charCodeAt(i)) | 0;
  return h;
}

/** The state with `key` set to `s` (whose polynomial hash is `h`); shares the tail. */
function write(st: KvState, key: string, s: string, h: number): KvState {
  if (st === null || key < st.key) return s === "" ? st : new KvEntry(key, s, h, st);
  if (st.key === key) return s === "" ? st.next : new KvEntry(key, s, h, st.next);
  return new KvEntry(st.key, st.s, st.h, write(st.next, key, s, h));
}

// Polynomial hashes of get outputs, per op. Comparing hashes first spares V8 from flattening
// a long appended (rope) string just to find that it differs, which is the common case: the
// search tries each get in many wrong states.
const outputHashes = new WeakMap<Operation, number>();

function reads(e: KvEntry | null, op: Operation): boolean {
  const out = op.output as string;
  if (e === null) return out === "";
  let h = outputHashes.get(op);
  if (h === undefined) {
    h = extend(0, out);
    outputHashes.set(op, h);
  }
  return e.h === h && e.s.length === out.length && e.s === out;
}

// `next` is meaningless when `ok` is false, so one shared object serves every rejection.
const REJECTED: StepResult<KvState> = Object.freeze({ ok: false, next: null });

/**
 * A string key-value store with get/put/append; a missing key reads as "". Partitioned per
 * key: each key is an independent object, and linearizability is local.
 */
export function kv(): Model<KvState> {
  return {
    name: "kv",
    init: () => null,
    step(st, op) {
      const key = op.key as string;
      if (op.f === "get") {
        return op.status !== "ok" || reads(find(st, key), op) ? { ok: true, next: st } : REJECTED;
      }
      if (op.status === "fail") return { ok: true, next: st };
      const v = op.input as string;
      if (op.f === "put") return { ok: true, next: write(st, key, v, extend(0, v)) };
      const cur = find(st, key);
      const next = cur
        ? write(st, key, cur.s + v, extend(cur.h, v))
        : write(st, key, v, extend(0, v));
      return { ok: true, next };
    },
    hash: (st) => (st === null ? 0 : st.hash),
    readOnly: (op) => op.f === "get" || op.status === "fail",
    equal(a, b) {
      if (a !== null && b !== null && a.hash !== b.hash) return false;
      for (; a !== null && b !== null; a = a.next, b = b.next) {
        if (a === b) return true; // shared tail
        if (a.key !== b.key || a.s !== b.s) return false;
      }
      return a === b;
    },
    validate(op) {
      if (!["get", "put", "append"].includes(op.f))
        return `kv has no operation ${op.f} (expected get/put/append)`;
      if (op.key === undefined) return `kv ${op.f} needs a key`;
      if (op.f !== "get" && typeof op.input !== "string") return `kv ${op.f} needs a string value`;
      if (op.f === "get" && op.status === "ok" && typeof op.output !== "string") {
        return `kv get must return a string, got ${showValue(op.output)}`;
      }
      return undefined;
    },
    partition(ops: readonly Operation[]) {
      const byKey = new Map<string, Operation[]>();
      for (const op of ops) {
        const key = op.key as string;
        const group = byKey.get(key);
        if (group) group.push(op);
        else byKey.set(key, [op]);
      }
      return [...byKey.values()];
    },
    showState: (st) =>
      `{${entries(st)
        .map(([k, v]) => `${JSON.stringify(k)} ${JSON.stringify(v)}`)
        .join(", ")}}`,
  };
}
