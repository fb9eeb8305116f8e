// Sequential consistency: is there a legal sequential order of the ops that keeps each
// process's ops in program order? Real time between different processes is ignored.
//
// Program order is a union of chains, which an interval order (what the call/return list of
// linearizability.ts encodes) cannot express in general, so this search keeps one cursor per
// process instead: the candidates to run next are the first not-yet-ordered op of each
// process. Everything else is shared with the linearizability search: the same memo table of
// (ops done, state), the same budget, the same kind of explanation, iterative backtracking.
//
// Sequential consistency is not local, so the model's partitions are never used: every key
// can be sequentially consistent on its own while the whole history is not.
import { programOrder, type History, type Operation } from "./history.ts";
import { Memo, OpSet } from "./memo.ts";
import type { Model } from "./models.ts";
import { Budget, type CheckOptions, type CheckResult, type Explanation } from "./result.ts";
import { checkInputs } from "./validate.ts";

export function checkSequentialConsistency<St>(
  history: History,
  model: Model<St>,
  opts: CheckOptions = {},
): CheckResult<St> {
  checkInputs(history, model);
  const index = new Map<Operation, number>(history.map((op, i) => [op, i]));
  const chains = [...programOrder(history).values()].map((ops) => ops.map((op) => index.get(op)!));
  const budget = new Budget(opts);
  const ops = history;
  const n = ops.length;
  const done = new OpSet(n);
  const memo = new Memo(model, n);
  const pos = new Int32Array(chains.length);
  const stackProc = new Int32Array(n);
  const stackState: St[] = [];
  let depth = 0;
  let state = model.init();
  let remaining = ops.reduce((k, op) => k + (op.status === "info" ? 0 : 1), 0);
  let best: Explanation<St> | undefined;
  let tryFrom = 0;
  // Forced ops, as in linearizability.ts: a legal read-only op can run first in any valid
  // continuation (its process's earlier ops are done, and it changes no state wherever it
  // ran), so it is the only branch worth exploring at its configuration.
  let fresh = true;
  const forced = new Uint8Array(n);
  const readOnly = Uint8Array.from(ops, (op) => ((model.readOnly?.(op) ?? false) ? 1 : 0));

  const candidate = (p: number): number | undefined => chains[p]![pos[p]!];
  const push = (p: number, i: number, st: St, isForced: boolean): boolean => {
    done.add(i);
    if (!memo.add(done, st)) {
      done.remove(i);
      return false;
    }
    stackProc[depth] = p;
    stackState[depth] = state;
    forced[depth] = isForced ? 1 : 0;
    depth++;
    state = st;
    pos[p]!++;
    if (ops[i]!.status !== "info") remaining--;
    tryFrom = 0;
    fresh = true;
    return true;
  };

  search: while (remaining > 0) {
    if (!budget.tick()) return { ok: "unknown", reason: budget.exceeded! };
    let dead = false;
    if (fresh) {
      fresh = false;
      for (let p = 0; p < chains.length; p++) {
        const i = candidate(p);
        if (i === undefined || readOnly[i] === 0) continue;
        const r = model.step(state, ops[i]!);
        if (r.ok) {
          // Already explored means it failed, and then so does this configuration.
          dead = !push(p, i, state, true);
          break;
        }
      }
      if (fresh) continue;
    }
    if (!dead) {
      for (let p = tryFrom; p < chains.length; p++) {
        const i = candidate(p);
        if (i === undefined) continue;
        const r = model.step(state, ops[i]!);
        if (r.ok && push(p, i, r.next, false)) continue search;
      }
    }
    // Dead end: no process's next op can run here (or it leads somewhere already explored).
    if (best === undefined || (!dead && depth > best.prefix.length)) {
      best = { prefix: replayPrefix(stackProc, depth, chains, ops), blocked: blockedOp(), state };
    }
    do {
      if (depth === 0) return { ok: false, explanation: best };
      depth--;
      const p = stackProc[depth]!;
      pos[p]!--;
      const i = candidate(p)!;
      done.remove(i);
      state = stackState[depth]!;
      if (ops[i]!.status !== "info") remaining++;
      tryFrom = p + 1;
      // A forced op failing means its configuration fails too: keep backtracking.
    } while (forced[depth] === 1);
  }
  return { ok: true };

  // The op to blame: a process's next completed op that the model rejects outright, else
  // (every rejection came from the memo) the first pending completed op.
  function blockedOp(): Operation {
    let fallbackOp: Operation | undefined;
    for (let p = 0; p < chains.length; p++) {
      const i = candidate(p);
      if (i === undefined || ops[i]!.status === "info") continue;
      if (!model.step(state, ops[i]!).ok) return ops[i]!;
      fallbackOp ??= ops[i]!;
    }
    return fallbackOp!;
  }
}

function replayPrefix(
  stackProc: Int32Array,
  depth: number,
  chains: readonly (readonly number[])[],
  ops: History,
): Operation[] {
  // Level d ran the next op of process stackProc[d]; replaying the levels in order recovers
  // which op that was without storing op ids on the hot path.
  const seen = new Int32Array(chains.length);
  const prefix: Operation[] = [];
  for (let d = 0; d < depth; d++) {
    const p = stackProc[d]!;
    prefix.push(ops[chains[p]![seen[p]!]!]!);
    seen[p]!++;
  }
  return prefix;
}
