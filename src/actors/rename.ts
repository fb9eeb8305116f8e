// Renames process ids throughout a system state, for symmetry reduction: wherever one of the
// renamed ids appears as a whole string (map keys, sets, envelopes, the fields of process
// states and messages), it is replaced. A value that contains no renamed id is returned as it
// is, so that its cached fingerprint and hash are kept.
import {
  List,
  Map as ImmutableMap,
  OrderedMap,
  OrderedSet,
  Set as ImmutableSet,
  Stack,
  type Record as ImmutableRecord,
} from "immutable";
import { kindOf, ValueKind } from "../values/value-kind.ts";
import { envelope, isEnvelope } from "./envelope.ts";

// The renaming in progress (the walk is recursive; module variables avoid a closure per call).
let renamed: ReadonlyMap<string, string> = new Map();
let memo: WeakMap<object, unknown> = new WeakMap();

/**
 * `value` with every string that is a key of `renaming` replaced by its value. Results for
 * immutable values are remembered in `cache`, which must belong to this one renaming: states
 * share most of their collections and records, which are then renamed once.
 */
export function renameIds(
  value: unknown,
  renaming: ReadonlyMap<string, string>,
  cache: WeakMap<object, unknown> = new WeakMap(),
): unknown {
  const savedRenamed = renamed;
  const savedMemo = memo;
  renamed = renaming;
  memo = cache;
  try {
    return walk(value);
  } finally {
    renamed = savedRenamed;
    memo = savedMemo;
  }
}

function walk(v: unknown): unknown {
  if (typeof v === "string") return renamed.get(v) ?? v;
  if (typeof v !== "object" || v === null) return v;
  const kind = kindOf(v);
  if (kind === ValueKind.PlainObject) return walkObject(v as Readonly<Record<string, unknown>>);
  if (kind === ValueKind.Array) return walkArray(v as readonly unknown[]);
  let out = memo.get(v);
  if (out === undefined) {
    out = walkImmutable(v, kind);
    memo.set(v, out);
  }
  return out;
}

function walkArray(a: readonly unknown[]): readonly unknown[] {
  let out: unknown[] | null = null;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = walk(x);
    if (y !== x && out === null) out = a.slice(0, i);
    if (out !== null) out.push(y);
  }
  return out ?? a;
}

function walkObject(o: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const k in o) {
    const x = o[k];
    const k2 = renamed.get(k) ?? k;
    const y = walk(x);
    if (k2 !== k || y !== x) changed = true;
    out[k2] = y;
  }
  return changed ? out : o;
}

function walkImmutable(v: object, kind: ValueKind): unknown {
  switch (kind) {
    case ValueKind.List:
      return walkValues(v as List<unknown>, List);
    case ValueKind.Stack:
      return walkValues(v as Stack<unknown>, Stack);
    case ValueKind.Set:
      return walkValues(v as ImmutableSet<unknown>, ImmutableSet);
    case ValueKind.OrderedSet:
      return walkValues(v as OrderedSet<unknown>, OrderedSet);
    case ValueKind.Map:
      return walkEntries(v as ImmutableMap<unknown, unknown>, ImmutableMap);
    case ValueKind.OrderedMap:
      return walkEntries(v as OrderedMap<unknown, unknown>, OrderedMap);
    case ValueKind.Record:
      return walkRecord(v as ImmutableRecord<Record<string, unknown>>);
    default:
      return v;
  }
}

function walkValues<C extends { toArray(): unknown[] }>(c: C, make: (xs: unknown[]) => C): C {
  const xs = c.toArray();
  const ys = walkArray(xs);
  return ys === xs ? c : make(ys as unknown[]);
}

function walkEntries<C extends { entrySeq(): { toArray(): [unknown, unknown][] } }>(
  c: C,
  make: (es: [unknown, unknown][]) => C,
): C {
  const es = c.entrySeq().toArray();
  let changed = false;
  const out = es.map(([k, x]): [unknown, unknown] => {
    const k2 = walk(k);
    const y = walk(x);
    if (k2 !== k || y !== x) changed = true;
    return [k2, y];
  });
  return changed ? make(out) : c;
}

function walkRecord(r: ImmutableRecord<Record<string, unknown>>): unknown {
  if (isEnvelope(r)) {
    const from = walk(r.from) as string;
    const to = walk(r.to) as string;
    const msg = walk(r.msg);
    return from === r.from && to === r.to && msg === r.msg ? r : envelope(from, to, msg);
  }
  let out = r;
  for (const [k, x] of r.toSeq().entries()) {
    const y = walk(x);
    if (y !== x) out = out.set(k, y);
  }
  return out;
}
