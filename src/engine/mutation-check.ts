// Detects a spec that mutates a state it was given. Freezing every state would make specs
// several times slower (V8's frozen objects are slow to copy), so instead the engine checks
// each state after expanding it against what it recorded before (`SearchContext.unchanged`:
// the same fields and elements by reference, and nested plain objects hashed again); on a
// difference, this finds the action.
import { SpecError } from "../errors/spec-error.ts";
import type { SearchContext } from "./search-context.ts";

export function mutationError<S>(ctx: SearchContext<S>, id: number): SpecError {
  let culprit = "an action";
  try {
    // A fresh copy of the state, rebuilt from the initial state.
    const trace = ctx.rebuildTrace(id);
    const state = trace[trace.length - 1]!.state;
    ctx.fingerprint(state);
    const hi = ctx.fp[0];
    const lo = ctx.fp[1];
    const changed = (): boolean => {
      ctx.fingerprint(state);
      return ctx.fp[0] !== hi || ctx.fp[1] !== lo;
    };
    // Looked at after each successor and after each action instance (one that mutates the
    // state and then returns no successor is caught by the latter).
    const look = (): void => {
      if (culprit === "an action" && changed()) culprit = `action ${ctx.currentLabel()}`;
    };
    ctx.expander.expand(state, look, look);
  } catch {
    // The rebuild itself may trip over the mutation; the generic message still holds.
  }
  return new SpecError(
    "PMC004",
    `${culprit} mutated the state it was given (a state must not change once produced)`,
    "Build the next state with spread syntax or immutable.js updates instead of assigning " +
      "into the one you were given.",
  );
}
