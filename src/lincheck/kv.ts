// The key-value model: string keys and values, get/put/append, a missing key reads as "".
//
// Why a custom state rather than a plain immutable Map: appends make values grow (hundreds
// of characters in lin-data's c50 files), and the memo table hashes every new state. Hashing
// the strings from scratch dominated the search, so each value carries a polynomial hash
// that an append extends in O(length of the appended text), and the state's hash is the sum
// of per-entry hashes, updated in O(1) per step. Equality still compares the strings, so a
// hash collision costs time, never correctness.
import { Map as ImmutableMap } from "immutable";
import type { Operation } from "./history.ts";
import type { Model } from "./models.ts";
import { hashString, mix32, showValue } from "./values.ts";

interface Cell {
  readonly s: string;
  /** Polynomial hash of `s`: continuing it over more characters hashes `s + more`. */
  readonly h: number;
}

export class KvState {
  constructor(
    /** Keys holding "" are absent, so equal contents give equal maps. */
    readonly map: ImmutableMap<string, Cell>,
    readonly hash: number,
  ) {}

  get(key: string): string {
    return this.map.get(key)?.s ?? "";
  }

  entries(): [string, string][] {
    return [...this.map.entries()]
      .map(([k, c]): [string, string] => [k, c.s])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

const B = 0x9e3779b1 | 0;

function extend(h: number, more: string): number {
  for (let i = 0; i < more.length; i++) h = (Math.imul(h, B) + more.charCodeAt(i)) | 0;
  return h;
}

function entryHash(key: string, cell: Cell): number {
  return mix32(hashString(key) ^ mix32(cell.h ^ cell.s.length));
}

function write(st: KvState, key: string, cell: Cell | undefined): KvState {
  const old = st.map.get(key);
  let hash = st.hash;
  if (old) hash = (hash - entryHash(key, old)) | 0;
  if (cell === undefined || cell.s === "") return new KvState(st.map.remove(key), hash);
  return new KvState(st.map.set(key, cell), (hash + entryHash(key, cell)) | 0);
}

const EMPTY = new KvState(ImmutableMap<string, Cell>(), 0);

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
      if (op.f === "get") return { ok: op.status !== "ok" || op.output === st.get(key), next: st };
      if (op.status === "fail") return { ok: true, next: st };
      const v = op.input as string;
      if (op.f === "put") return { ok: true, next: write(st, key, { s: v, h: extend(0, v) }) };
      const cur = st.map.get(key);
      const next = cur ? { s: cur.s + v, h: extend(cur.h, v) } : { s: v, h: extend(0, v) };
      return { ok: true, next: write(st, key, next) };
    },
    hash: (st) => st.hash,
    equal(a, b) {
      if (a === b) return true;
      if (a.hash !== b.hash || a.map.size !== b.map.size) return false;
      for (const [k, c] of a.map) if (b.map.get(k)?.s !== c.s) return false;
      return true;
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
