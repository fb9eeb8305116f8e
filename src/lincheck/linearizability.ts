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
  /** Whether the current configuration has not been scanned for a forced op yet. */
  private fresh = true;
  /** Per stack level: 1 if that op was forced (the only branch of its configuration). */
  private readonly forced: Uint8Array;
  /** Per op: 1 if the model promises it is read-only (see Model.readOnly). */
  private readonly readOnly: Uint8Array;
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
    this.forced = new Uint8Array(n);
    this.readOnly = Uint8Array.from(ops, (op) => ((model.readOnly?.(op) ?? false) ? 1 : 0));
    this.state = model.init();
    this.remaining = ops.reduce((k, op) => k + (op.status === "info" ? 0 : 1), 0);
    this.node = this.list.next[0]!;
  }

  /** Runs at most `slice` steps; `undefined` means "not finished yet". */
  run(slice: number, budget: Budget): CheckResult<St> | undefined {
    const { ops, model, done, memo, stackNode, stackState, forced, readOnly } = this;
    const { next, prev, opOf, match } = this.list;
    let { depth, state, remaining, node, fresh } = this;
    // Linearizes the op of call entry `c`, leading to state `st`, if that configuration is new.
    const push = (c: number, st: St, isForced: boolean): boolean => {
      const i = opOf[c]!;
      done.add(i);
      if (!memo.add(done, st)) {
        done.remove(i);
        return false;
      }
      stackNode[depth] = c;
      stackState[depth] = state;
      forced[depth] = isForced ? 1 : 0;
      depth++;
      state = st;
      // Lift: unlink the call entry and its return entry, if any.
      next[prev[c]!] = next[c]!;
      prev[next[c]!] = prev[c]!;
      const ret = match[c]!;
      if (ret !== 0) {
        next[prev[ret]!] = next[ret]!;
        prev[next[ret]!] = prev[ret]!;
      }
      if (ops[i]!.status !== "info") remaining--;
      node = next[0]!;
      fresh = true;
      return true;
    };
    try {
      while (remaining > 0) {
        if (--slice < 0) return undefined;
        if (!budget.tick()) return { ok: "unknown", reason: budget.exceeded! };
        let dead = false;
        if (fresh) {
          // Partial-order reduction: if some candidate is read-only (it never changes any
          // state: a read, a failed cas) and legal here, committing to it loses nothing. In
          // any valid continuation it can be moved to the front: nothing it must follow is
          // pending, it is legal now, and removing it from its later place changes no state.
          // So it is the only branch to explore at this configuration. (For an op that only
          // happens to keep this state, such as writing the current value, the argument
          // fails: later, on another value, it would have changed the state.)
          fresh = false;
          for (let e = next[0]!; e !== 0 && match[e] !== -1; e = next[e]!) {
            if (readOnly[opOf[e]!] === 0) continue;
            const r = model.step(state, ops[opOf[e]!]!);
            if (r.ok) {
              // Already explored means it failed, and then so does this configuration.
              dead = !push(e, state, true);
              break;
            }
          }
          if (fresh) continue;
        }
        if (!dead && node !== 0 && match[node] !== -1) {
          // A call entry: try to linearize its op here.
          const r = model.step(state, ops[opOf[node]!]!);
          if (!(r.ok && push(node, r.next, false))) node = next[node]!;
          continue;
        }
        // A return entry (or the configuration is dead): backtrack.
        if (!dead && node !== 0 && (this.best === undefined || depth > this.best.prefix.length)) {
          const prefix = Array.from(stackNode.subarray(0, depth), (c) => ops[opOf[c]!]!);
          this.best = { prefix, blocked: ops[opOf[node]!]!, state };
        }
        let c: number;
        do {
          if (depth === 0) return { ok: false, explanation: this.best ?? fallback(ops, state) };
          depth--;
          c = stackNode[depth]!;
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
          // A forced op failing means its configuration fails too: keep backtracking.
        } while (forced[depth] === 1);
        node = next[c]!;
      }
      return { ok: true };
    } finally {
      Object.assign(this, { depth, state, remaining, node, fresh });
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
