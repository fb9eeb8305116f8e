// A deliberately naive reference checker for differential tests: it tries every subset of the
// incomplete ops and every permutation of the chosen ops, keeps the orders that respect the
// required precedence (real time, or program order), and replays them against reference
// sequential specifications written independently of src/lincheck/models.ts. Exponential,
// so only for histories of a handful of ops.
import type { History, Operation } from "../../src/lincheck/index.ts";

export type Order = "real-time" | "program";
export type RefModelName = "register" | "cas-register" | "kv";

type RefState = unknown;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Applies one op; `undefined` when the op cannot happen in this state with its outcome. */
function apply(model: RefModelName, st: RefState, op: Operation): { next: RefState } | undefined {
  if (model === "kv") {
    const map = st as Readonly<Record<string, string>>;
    const key = op.key!;
    const cur = map[key] ?? "";
    if (op.f === "get") return op.status !== "ok" || op.output === cur ? { next: map } : undefined;
    if (op.status === "fail") return { next: map };
    const v = op.input as string;
    return { next: { ...map, [key]: op.f === "put" ? v : cur + v } };
  }
  if (op.f === "read") return op.status !== "ok" || same(op.output, st) ? { next: st } : undefined;
  if (op.f === "write") return { next: op.status === "fail" ? st : op.input };
  if (op.f === "cas" && model === "cas-register") {
    const [from, to] = op.input as [unknown, unknown];
    if (op.status === "fail") return same(st, from) ? undefined : { next: st };
    return same(st, from) ? { next: to } : undefined;
  }
  throw new Error(`reference ${model} cannot run ${op.f}`);
}

function mustPrecede(order: Order, a: Operation, b: Operation): boolean {
  return order === "real-time" ? a.ret < b.call : a.process === b.process && a.call < b.call;
}

function* permutations<T>(items: readonly T[]): Generator<T[]> {
  if (items.length <= 1) {
    yield [...items];
    return;
  }
  for (let i = 0; i < items.length; i++) {
    const rest = [...items.slice(0, i), ...items.slice(i + 1)];
    for (const p of permutations(rest)) yield [items[i]!, ...p];
  }
}

/** True iff some order of all completed ops plus some incomplete ops is valid and legal. */
export function bruteForce(history: History, model: RefModelName, order: Order): boolean {
  const complete = history.filter((op) => op.status !== "info");
  const incomplete = history.filter((op) => op.status === "info");
  for (let mask = 0; mask < 1 << incomplete.length; mask++) {
    const chosen = [...complete, ...incomplete.filter((_, i) => (mask & (1 << i)) !== 0)];
    for (const perm of permutations(chosen)) {
      const respects = perm.every((b, j) =>
        perm.slice(j + 1).every((a) => !mustPrecede(order, a, b)),
      );
      if (!respects) continue;
      let st: RefState = model === "kv" ? {} : null;
      let legal = true;
      for (const op of perm) {
        const r = apply(model, st, op);
        if (r === undefined) {
          legal = false;
          break;
        }
        st = r.next;
      }
      if (legal) return true;
    }
  }
  return false;
}
