// The action instances enabled in a concrete state, found by re-executing the spec on it.
import type { SearchContext } from "../engine/search-context.ts";

export interface Instance {
  /** The step label, `Name` or `Name(arg)`. */
  readonly label: string;
  /** The action's index in the model. */
  readonly action: number;
}

/** The instances with a step out of `state` that changes it (TLA+'s ENABLED <<A>>_vars). */
export function enabledAt<S>(ctx: SearchContext<S>, state: S): Map<string, Instance> {
  ctx.fingerprint(state);
  const hi = ctx.fp[0]!;
  const lo = ctx.fp[1]!;
  const out = new Map<string, Instance>();
  ctx.expander.expand(state, (next) => {
    if (next === state) return;
    ctx.fingerprint(next);
    if (ctx.fp[0] === hi && ctx.fp[1] === lo) return;
    const label = ctx.currentLabel();
    if (!out.has(label)) out.set(label, { label, action: ctx.expander.actionIndex });
  });
  return out;
}
