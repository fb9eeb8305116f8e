// fast-check generators of small well-formed histories. A history is produced by simulating
// clients: each action picks a process, which either invokes a new op (if idle) or completes
// its pending one, with a random outcome (ok with a random output, fail, or a crash that
// leaves the op incomplete and retires the process). Outputs are drawn from small domains so
// that both verdicts are common.
import fc from "fast-check";
import {
  historyFromOps,
  type History,
  type OpSpec,
  type OpStatus,
  type Value,
} from "../../src/lincheck/index.ts";
import type { RefModelName } from "./reference.ts";

const MAX_OPS = 7;

interface Action {
  readonly p: number;
  readonly pick: number;
  readonly a: number;
  readonly b: number;
  readonly out: number;
  /** 0: crash (incomplete), 1: fail, otherwise ok. */
  readonly outcome: number;
}

const REG_VALUES: readonly Value[] = [null, 0, 1, 2];
const KV_KEYS = ["a", "b"];
const KV_VALUES = ["x", "y"];
const KV_OUTPUTS = ["", "x", "y", "xy", "yx", "xx"];

function invoke(model: RefModelName, a: Action): Omit<OpSpec, "call"> {
  if (model === "kv") {
    const f = (["get", "put", "append"] as const)[a.pick % 3]!;
    const key = KV_KEYS[a.a % KV_KEYS.length]!;
    return { process: a.p, f, key, input: f === "get" ? null : KV_VALUES[a.b % KV_VALUES.length]! };
  }
  const kinds = model === "cas-register" ? ["read", "write", "cas"] : ["read", "write"];
  const f = kinds[a.pick % kinds.length]!;
  if (f === "read") return { process: a.p, f, input: null };
  if (f === "write") return { process: a.p, f, input: 1 + (a.a % 2) };
  return { process: a.p, f, input: [REG_VALUES[a.a % 4]!, a.b % 3] };
}

function output(model: RefModelName, op: Omit<OpSpec, "call">, a: Action): Value {
  if (op.f === "read") return REG_VALUES[a.out % REG_VALUES.length]!;
  if (op.f === "get") return KV_OUTPUTS[a.out % KV_OUTPUTS.length]!;
  return model === "kv" ? null : (op.input ?? null);
}

function simulate(model: RefModelName, actions: readonly Action[], crashes: boolean): History {
  let time = 0;
  let started = 0;
  const pending = new Map<number, OpSpec>();
  const retired = new Set<number>();
  const specs: OpSpec[] = [];
  for (const a of actions) {
    if (retired.has(a.p)) continue;
    const open = pending.get(a.p);
    if (open) {
      pending.delete(a.p);
      if (crashes && a.outcome === 0) {
        specs.push({ ...open, ret: null });
        retired.add(a.p);
        continue;
      }
      // Only cas failures say something; other kinds rarely fail in practice but are allowed.
      const status: OpStatus = a.outcome === 1 ? "fail" : "ok";
      specs.push({ ...open, ret: time++, status, output: output(model, open, a) });
    } else if (started < MAX_OPS) {
      pending.set(a.p, { ...invoke(model, a), call: time++ });
      started++;
    }
  }
  for (const open of pending.values()) specs.push({ ...open, ret: null });
  specs.sort((x, y) => x.call - y.call);
  return historyFromOps(specs, "keep");
}

const action = fc.record({
  p: fc.nat(2),
  pick: fc.nat(5),
  a: fc.nat(11),
  b: fc.nat(11),
  out: fc.nat(11),
  outcome: fc.nat(7),
});

/** Histories of at most 7 ops over 3 processes for the given model. */
export function historyArb(model: RefModelName, crashes = true): fc.Arbitrary<History> {
  return fc
    .array(action, { minLength: 6, maxLength: 24 })
    .map((actions) => simulate(model, actions, crashes));
}

/**
 * The same history with positions halved (rounded down): distinct events may then share a
 * position, which exercises the rule that touching intervals are concurrent. Program order can
 * break, so this is for linearizability only.
 */
export function coarsen(h: History): History {
  return historyFromOps(
    h.map((op) => ({
      ...op,
      call: Math.floor(op.call / 2),
      ret: op.ret === Infinity ? null : Math.floor(op.ret / 2),
    })),
    "keep",
  );
}
