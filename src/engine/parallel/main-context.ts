// The main thread's search context in a parallel search: the shared seen-set instead of the
// sequential one, figures set by the level merge, and traces rebuilt against the shared set.
import type { Model } from "../../spec/model.ts";
import type { CheckOptions } from "../options.ts";
import { collisionProbability, type Stats, type TraceStep } from "../result.ts";
import { estimateTotal, nondeterministic, SearchContext } from "../search-context.ts";
import { NO_PARENT } from "../state-records.ts";
import { SharedFingerprintSet } from "./shared-fingerprint-set.ts";

export class MainContext<S> extends SearchContext<S> {
  readonly table = new SharedFingerprintSet(1 << 16);
  /** The distinct count to report, when it is not the size of the seen-set. */
  distinct: number | null = null;

  constructor(model: Model<S>, options: CheckOptions) {
    super(model, options);
  }

  override stats(): Stats {
    const distinct = this.distinct ?? this.table.size;
    return {
      generated: this.generated,
      distinct,
      queue: this.queue,
      depth: this.depth,
      elapsedMs: performance.now() - this.startedAt + this.priorElapsedMs,
      fingerprintBytes: this.table.bytes,
      collisionProbability: collisionProbability(distinct),
      estimate: estimateTotal(this.levelSizes, distinct),
    };
  }

  override rebuildTrace(id: number): TraceStep<S>[] {
    const path = this.records.pathTo(id);
    const first = path[0]!;
    if (this.records.parent(first) !== NO_PARENT) throw new Error("trace does not start at init");
    const init = this.initialStates()[this.records.ordinal(first)];
    if (init === undefined) throw nondeterministic("init", "returned fewer initial states");
    const steps: TraceStep<S>[] = [{ label: "Init", state: init }];
    let state: S = init;
    for (let k = 1; k < path.length; k++) {
      const step = this.successor(state, this.records.ordinal(path[k]!));
      if (step === null)
        throw nondeterministic(`the successors of step ${k - 1}`, "are fewer than before");
      this.fingerprint(step.state);
      if (!this.table.has(this.fp[0]!, this.fp[1]!))
        throw nondeterministic(`action ${step.label}`, "produced a state never seen before");
      steps.push(step);
      state = step.state;
    }
    return steps;
  }

  /** Successor number `ordinal` of `state` (re-executing the actions), with its label. */
  successor(state: S, ordinal: number): TraceStep<S> | null {
    let i = 0;
    let found: TraceStep<S> | null = null;
    this.expander.expand(state, (next) => {
      if (i++ === ordinal) found = { label: this.currentLabel(), state: next };
    });
    return found;
  }
}
