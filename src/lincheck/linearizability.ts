// Linearizability: Wing & Gong's search with Lowe's memoisation, in the shape Porcupine uses.
//
// Every op contributes a call entry and (if it returned) a return entry to a doubly linked
// list sorted by position. Walking the list from its head, a call entry is a candidate to
// linearize next; meeting a return entry means that op should already have been linearized,
// so the current attempt is a dead end and we backtrack. Linearizing an op "lifts" both its
// entries out of the list; backtracking puts them back (dancing-links style, which is exact
// because undo happens in reverse order). Incomplete ops have no return entry, so they may
// be linearized anywhere after their call or never: the search succeeds as soon as every
// completed op is linearized.
//
// The search is iterative with an explicit stack: histories have thousands of ops.
import type { History, Operation } from "./history.ts";
import { Memo, OpSet } from "./memo.ts";
import type { Model } from "./models.ts";
import { Budget, type CheckOptions, type CheckResult, type Explanation } from "./result.ts";
import { checkInputs } from "./validate.ts";

export function checkLinearizability<St>(
  history: History,
  model: Model<St>,
  opts: CheckOptions = {},
): CheckResult<St> {
  checkInputs(history, model);
  const budget = new Budget(opts);
  const parts = opts.partition !== false && model.partition ? model.partition(history) : [history];
  // Partitions run round-robin in slices that double each round, so one partition that is
  // quick to refute ends the check even when another would take ages to exhaust (lin-data's
  // c50-bad has such partitions). Porcupine gets the same effect by running them in parallel
  // and stopping at the first failure.
  let active = parts.map((part) => new PartitionSearch(part, model));
  for (let slice = 1024; active.length > 0; slice *= 2) {
    const unfinished: typeof active = [];
    for (const search of active) {
      const result = search.run(slice, budget);
      if (result === undefined) unfinished.push(search);
      else if (result.ok !== true) return result;
    }
    active = unfinished;
  }
  return { ok: true };
}

/**
 * The search over one partition, resumable so that partitions can take turns. The hot loop
 * works on locals and saves them back when its slice runs out: V8 optimises that far better
 * than a generator or field accesses in the loop.
 */
class PartitionSearch<St> {
  private readonly list: CallList;
  private readonly done: OpSet;
  private readonly memo: Memo<St>;
  private readonly stackNode: Int32Array;
  private readonly stackState: St[] = [];
  private depth = 0;
  private state: St;
  private remaining: number;
  private node: number;
  private best: Explanation<St> | undefined;

  constructor(
    private readonly ops: readonly Operation[],
    private readonly model: Model<St>,
  ) {
    const n = ops.length;
    this.list = buildList(ops);
    this.done = new OpSet(n);
    this.memo = new Memo(model, n);
    this.stackNode = new Int32Array(n);
    this.state = model.init();
    this.remaining = ops.reduce((k, op) => k + (op.status === "info" ? 0 : 1), 0);
    this.node = this.list.next[0]!;
  }

  /** Runs at most `slice` steps; `undefined` means "not finished yet". */
  run(slice: number, budget: Budget): CheckResult<St> | undefined {
    const { ops, model, done, memo, stackNode, stackState } = this;
    const { next, prev, opOf, match } = this.list;
    let { depth, state, remaining, node } = this;
    try {
      while (remaining > 0) {
        if (!budget.tick()) return { ok: "unknown", reason: budget.exceeded! };
        if (--slice < 0) return undefined;
        if (node !== 0 && match[node] !== -1) {
          // A call entry: try to linearize its op here.
          const i = opOf[node]!;
          const op = ops[i]!;
          const r = model.step(state, op);
          if (r.ok) {
            done.add(i);
            if (memo.add(done, r.next)) {
              stackNode[depth] = node;
              stackState[depth] = state;
              depth++;
              state = r.next;
              // Lift: unlink the call entry and its return entry, if any.
              next[prev[node]!] = next[node]!;
              prev[next[node]!] = prev[node]!;
              const ret = match[node]!;
              if (ret !== 0) {
                next[prev[ret]!] = next[ret]!;
                prev[next[ret]!] = prev[ret]!;
              }
              if (op.status !== "info") remaining--;
              node = next[0]!;
              continue;
            }
            done.remove(i);
          }
          node = next[node]!;
          continue;
        }
        // A return entry (or, defensively, the end of the list): backtrack.
        if (node !== 0 && (this.best === undefined || depth > this.best.prefix.length)) {
          const prefix = Array.from(stackNode.subarray(0, depth), (c) => ops[opOf[c]!]!);
          this.best = { prefix, blocked: ops[opOf[node]!]!, state };
        }
        if (depth === 0) return { ok: false, explanation: this.best ?? fallback(ops, state) };
        depth--;
        const c = stackNode[depth]!;
        const i = opOf[c]!;
        state = stackState[depth]!;
        done.remove(i);
        // Unlift, in the reverse order of the lift.
        const ret = match[c]!;
        if (ret !== 0) {
          next[prev[ret]!] = ret;
          prev[next[ret]!] = ret;
        }
        next[prev[c]!] = c;
        prev[next[c]!] = c;
        if (ops[i]!.status !== "info") remaining++;
        node = next[c]!;
      }
      return { ok: true };
    } finally {
      Object.assign(this, { depth, state, remaining, node });
    }
  }
}

// Only reachable if the list invariants break; kept so the result type stays honest.
function fallback<St>(ops: readonly Operation[], state: St): Explanation<St> {
  return { prefix: [], blocked: ops.find((op) => op.status !== "info")!, state };
}

interface CallList {
  /** Circular list over nodes 1..2n with sentinel 0. */
  readonly next: Int32Array;
  readonly prev: Int32Array;
  readonly opOf: Int32Array;
  /** For a call node: its return node, or 0 if the op never returned. For a return node: -1. */
  readonly match: Int32Array;
}

function buildList(ops: readonly Operation[]): CallList {
  const entries: { time: number; isReturn: boolean; op: number }[] = [];
  ops.forEach((op, i) => {
    entries.push({ time: op.call, isReturn: false, op: i });
    if (op.ret !== Infinity) entries.push({ time: op.ret, isReturn: true, op: i });
  });
  // Calls sort before returns at equal positions: touching intervals are concurrent.
  entries.sort((a, b) => a.time - b.time || Number(a.isReturn) - Number(b.isReturn));
  const m = entries.length;
  const next = new Int32Array(m + 1);
  const prev = new Int32Array(m + 1);
  const opOf = new Int32Array(m + 1);
  const match = new Int32Array(m + 1);
  const callNode = new Int32Array(ops.length);
  entries.forEach((e, k) => {
    const node = k + 1;
    next[node] = (node + 1) % (m + 1);
    prev[node] = node - 1;
    opOf[node] = e.op;
    if (e.isReturn) {
      match[node] = -1;
      match[callNode[e.op]!] = node;
    } else callNode[e.op] = node;
  });
  next[0] = m === 0 ? 0 : 1;
  prev[0] = m;
  return { next, prev, opOf, match };
}
