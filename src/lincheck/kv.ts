// The key-value model: string keys and values, get/put/append, a missing key reads as "".
//
// Why a custom state rather than an immutable.js Map: appends make values grow (hundreds
// of characters in lin-data's c50 files), and the memo table hashes and keeps every new
// state. Hashing the strings from scratch dominated the search, and the Map's internal nodes
// dominated memory. So a state is a small sorted array of cells (one per non-empty key;
// partitioned checks have a single key), each value carries a polynomial hash that an append
// extends in O(length of the appended text), and the state's hash is the sum of per-cell
// hashes. Equality still compares the strings, so a collision costs time, never correctness.
import type { Operation } from "./history.ts";
import type { Model } from "./models.ts";
import { hashString as hashStringImport, mix32 as mix32Import, showValue } from "./values.ts";

// Local aliases: hot-path calls through an import binding cost a getter call under some
// loaders (tsx, vite-node).
const hashString = hashStringImport;
const mix32 = mix32Import;

interface Cell {
  readonly key: string;
  readonly s: string;
  /** Polynomial hash of `s`: continuing it over more characters hashes `s + more`. */
  readonly h: number;
  /** This cell's share of the state hash. */
  readonly share: number;
}

export class KvState {
  constructor(
    /** Sorted by key; keys holding "" are left out, so equal contents give equal arrays. */
    readonly cells: readonly Cell[],
    readonly hash: number,
  ) {}

  get(key: string): string {
    return this.find(key)?.s ?? "";
  }

  find(key: string): Cell | undefined {
    for (const c of this.cells) if (c.key === key) return c;
    return undefined;
  }

  entries(): [string, string][] {
    return this.cells.map((c): [string, string] => [c.key, c.s]);
  }
}

const B = 0x9e3779b1 | 0;

function extend(h: number, more: string): number {
  for (let i = 0; i < more.length; i++) h = (Math.imul(h, B) + more.charCodeAt(i)) | 0;
  return h;
}

function cell(key: string, s: string, h: number): Cell {
  return { key, s, h, share: mix32(hashString(key) ^ mix32(h ^ s.length)) };
}

/** The state with `key` set to `s` (whose polynomial hash is `h`). */
function write(st: KvState, key: string, s: string, h: number): KvState {
  // Hand-rolled copy-with-update: this runs on every step, and filter/splice allocated twice.
  const old = st.cells;
  const fresh = s === "" ? undefined : cell(key, s, h);
  const cells: Cell[] = [];
  let hash = st.hash;
  let placed = fresh === undefined;
  for (const c of old) {
    if (!placed && key < c.key) {
      cells.push(fresh!);
      placed = true;
    }
    if (c.key === key) hash = (hash - c.share) | 0;
    else cells.push(c);
  }
  if (!placed) cells.push(fresh!);
  return new KvState(cells, fresh === undefined ? hash : (hash + fresh.share) | 0);
}

const EMPTY = new KvState([], 0);

// Polynomial hashes of get outputs, per op. Comparing hashes first spares V8 from flattening
// a long appended (rope) string just to find that it differs, which is the common case: the
// search tries each get in many wrong states.
const outputHashes = new WeakMap<Operation, number>();

function reads(c: Cell | undefined, op: Operation): boolean {
  const out = op.output as string;
  if (c === undefined) return out === "";
  let h = outputHashes.get(op);
  if (h === undefined) {
    h = extend(0, out);
    outputHashes.set(op, h);
  }
  return c.h === h && c.s.length === out.length && c.s === out;
}

/**
 * A string key-value store with get/put/append; a missing key reads as "". Partitioned per
 * key: each key is an independent object, and linearizability is local.
 */
export function kv(): Model<KvState> {
  return {
    name: "kv",
    init: () => EMPTY,
    step(st, op) {
      const key = op.key as string;
      if (op.f === "get") return { ok: op.status !== "ok" || reads(st.find(key), op), next: st };
      if (op.status === "fail") return { ok: true, next: st };
      const v = op.input as string;
      if (op.f === "put") return { ok: true, next: write(st, key, v, extend(0, v)) };
      const cur = st.find(key);
      const next = cur ? write(st, key, cur.s + v, extend(cur.h, v)) : write(st, key, v, extend(0, v));
      return { ok: true, next };
    },
    hash: (st) => st.hash,
    equal(a, b) {
      if (a === b) return true;
      if (a.hash !== b.hash || a.cells.length !== b.cells.length) return false;
      return a.cells.every((c, i) => c.key === b.cells[i]!.key && c.s === b.cells[i]!.s);
    },
    validate(op) {
      if (!["get", "put", "append"].includes(op.f)) return `kv has no operation ${op.f} (expected get/put/append)`;
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
      `{${st
        .entries()
        .map(([k, v]) => `${JSON.stringify(k)} ${JSON.stringify(v)}`)
        .join(", ")}}`,
  };
}
