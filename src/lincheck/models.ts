// Sequential specifications: what each operation does to the object when run alone.
//
// A model is a pure object. The checkers call `step` on states they got from `init` or an
// earlier `step`, never mutate them, and memoise on (`hash`, `equal`), so states must be
// immutable values with a cheap structural hash: primitives for registers, a small persistent
// map with an incrementally maintained hash for the key-value store.
//
// How statuses are read (see history.ts): an `ok` op must be legal with its recorded output;
// an `info` op's output is unknown, so any output is fine but it must still be a possible
// effect (an incomplete cas that takes effect must have succeeded; "it had no effect" is the
// checker's option of never linearizing it); a kept `fail` op had no effect, and what it
// tells us is model-specific (a failed cas saw a value other than its expected one).
//
// The key-value model lives in kv.ts.
import type { Operation } from "./history.ts";
import { kv } from "./kv.ts";
import { hashValue, showValue, valueEquals as valueEqualsImport, type Value } from "./values.ts";

// A local alias: hot-path calls through an import binding cost a getter call under some
// loaders (tsx, vite-node).
const valueEquals = valueEqualsImport;

export interface StepResult<St> {
  /** Whether the op may run now with its recorded outcome. */
  readonly ok: boolean;
  /** The state after the op (meaningful only when `ok`). */
  readonly next: St;
}

export interface Model<St = unknown> {
  readonly name: string;
  init(): St;
  step(state: St, op: Operation): StepResult<St>;
  /** Any 32-bit hash consistent with `equal`. */
  hash(state: St): number;
  equal(a: St, b: St): boolean;
  /**
   * Optional, and a promise when true: `step(s, op)` returns `s` itself in every state `s`,
   * whether or not the op is legal there (reads, gets, failed ops). The searches commit to a
   * legal read-only op without branching, so a wrong `true` can give wrong verdicts. An op
   * that merely happens to leave one state unchanged (writing the current value) is not
   * read-only: committing to it early could lose a history where it ran later, on another
   * value.
   */
  readOnly?(op: Operation): boolean;
  /** A reason why the op is meaningless for this model, checked before any search. */
  validate?(op: Operation): string | undefined;
  /**
   * Splits a history into independent sub-histories (P-compositionality). Only sound for
   * linearizability, which is local; sequential consistency never partitions.
   */
  partition?(ops: readonly Operation[]): Operation[][];
  showState?(state: St): string;
}

type RegisterKind = "register" | "cas-register";

// `next` is meaningless when `ok` is false, so one shared object serves every rejection.
const REJECTED: StepResult<Value> = Object.freeze({ ok: false, next: null });

function registerModel(name: RegisterKind, initial: Value = null): Model<Value> {
  const allowed = name === "cas-register" ? ["read", "write", "cas"] : ["read", "write"];
  return {
    name,
    init: () => initial,
    step(st, op) {
      if (op.f === "read") {
        const ok = op.status !== "ok" || valueEquals(op.output ?? null, st);
        return ok ? { ok, next: st } : REJECTED;
      }
      if (op.status === "fail") {
        // A failed write did nothing; a failed cas also proves the value differed.
        const ok = op.f !== "cas" || !valueEquals(st, casArgs(op)[0]);
        return ok ? { ok, next: st } : REJECTED;
      }
      if (op.f === "write") return { ok: true, next: op.input };
      const [from, to] = casArgs(op);
      return valueEquals(st, from) ? { ok: true, next: to } : REJECTED;
    },
    hash: hashValue,
    equal: valueEquals,
    readOnly: (op) => op.f === "read" || op.status === "fail",
    validate(op) {
      if (!allowed.includes(op.f))
        return `${name} has no operation ${op.f} (expected ${allowed.join("/")})`;
      if (op.f === "cas" && !(Array.isArray(op.input) && op.input.length === 2)) {
        return `cas expects [expected new] as input, got ${showValue(op.input)}`;
      }
      return undefined;
    },
    showState: showValue,
  };
}

function casArgs(op: Operation): readonly [Value, Value] {
  return op.input as readonly [Value, Value];
}

/** A single read/write register, initially `initial` (nil by default). */
export function register(initial: Value = null): Model<Value> {
  return registerModel("register", initial);
}

/** A register with compare-and-set: cas [from to] succeeds iff the value equals `from`. */
export function casRegister(initial: Value = null): Model<Value> {
  return registerModel("cas-register", initial);
}

export type ModelName = "register" | "cas-register" | "kv";

/**
 * Ready-made instances, by the names used in lin-data's verdicts.tsv. Typed with unknown
 * states so that `models[name]` works for any ModelName; the factories (`register()`, ...)
 * give precisely typed models.
 */
export const models: Readonly<Record<ModelName, Model<unknown>>> = {
  register: register(),
  "cas-register": casRegister(),
  kv: kv(),
};

export function isModelName(name: string): name is ModelName {
  return Object.hasOwn(models, name);
}

export { kv };
