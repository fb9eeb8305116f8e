// Consistency of the client history as state invariants: linearizability and sequential
// consistency against a sequential model (`register()`, `casRegister()`, `kv()` from the
// checker). A history is checked once per distinct history object: most steps do not touch
// the history, so a state usually shares it with its parent and the verdict is reused.
import {
  checkLinearizability,
  checkSequentialConsistency,
  formatExplanation,
  type CheckResult as HistoryCheckResult,
  type Model as SequentialModel,
} from "../lincheck/index.ts";
import { historyOps, type ClientHistory } from "./client-history.ts";

/** A state that may carry a client history (every system state does). */
export interface WithHistory {
  readonly history?: ClientHistory | undefined;
}

type Checker = <St>(
  ops: ReturnType<typeof historyOps>,
  m: SequentialModel<St>,
) => HistoryCheckResult<St>;

function cachedInvariant(check: Checker, model: SequentialModel): (s: WithHistory) => boolean {
  const verdicts = new WeakMap<ClientHistory, boolean>();
  return (s) => {
    const h = s.history;
    if (h === undefined) return true;
    let ok = verdicts.get(h);
    if (ok === undefined) {
      ok = check(historyOps(h), model).ok === true;
      verdicts.set(h, ok);
    }
    return ok;
  };
}

/**
 * An invariant: the client history is linearizable with respect to `model`. Operations still
 * pending (a crashed client, a lost reply) may or may not have taken effect.
 */
export function linearizable<St>(model: SequentialModel<St>): (s: WithHistory) => boolean {
  return cachedInvariant(checkLinearizability, model);
}

/** An invariant: the client history is sequentially consistent with respect to `model`. */
export function sequentiallyConsistent<St>(
  model: SequentialModel<St>,
): (s: WithHistory) => boolean {
  return cachedInvariant(checkSequentialConsistency, model);
}

/**
 * Why a state's history is not linearizable (the longest linearizable prefix and the operation
 * that cannot be placed), or null if it is.
 */
export function explainHistory<St>(s: WithHistory, model: SequentialModel<St>): string | null {
  if (s.history === undefined) return null;
  const r = checkLinearizability(historyOps(s.history), model);
  return r.ok === false ? formatExplanation(r.explanation, model) : null;
}
