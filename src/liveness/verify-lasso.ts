// Re-checks a lasso on its concrete states, without the state graph: whether it violates a
// temporal property of the model, and whether it is fair (every fairness assumption holds on
// its cycle). For `protomc replay` and tests: a trace file's lasso can be confirmed against a
// changed spec without a new search.
import type { TraceStep } from "../engine/result.ts";
import { SearchContext } from "../engine/search-context.ts";
import type { Model, ModelProperty } from "../spec/model.ts";
import { enabledAt, type Instance } from "./enabled-instances.ts";

export interface LassoVerdict {
  /** The lasso, repeated forever from its loop index, violates the property. */
  readonly violates: boolean;
  /** Every fairness assumption of the model holds on the cycle. */
  readonly fair: boolean;
  /** The assumptions that do not hold on the cycle, as `WF(Name)` / `SF(Name(arg))`. */
  readonly unfair: readonly string[];
}

/**
 * Checks the lasso `trace` whose last state steps back to `trace[loopIndex]` by the step
 * labelled `closing` (null: the last state stutters forever).
 * @throws Error if the model has no temporal property `property`.
 */
export function verifyLasso<S>(
  model: Model<S>,
  property: string,
  trace: readonly TraceStep<S>[],
  loopIndex: number,
  closing: string | null,
): LassoVerdict {
  const prop = (model.properties ?? []).find((p) => p.name === property);
  if (prop === undefined) throw new Error(`the spec has no temporal property ${property}`);
  const violates = lassoViolates(
    prop,
    trace.map((s) => s.state),
    loopIndex,
  );
  const ctx = new SearchContext(model, {});
  const enabled = trace.slice(loopIndex).map((s) => enabledAt(ctx, s.state));
  const takenLabels = trace.slice(loopIndex + 1).map((s) => s.label);
  if (closing !== null) takenLabels.push(closing);
  const unfair = unfairOnCycle(model, enabled, takenLabels);
  return { violates, fair: unfair.length === 0, unfair };
}

/**
 * Whether the behaviour that runs through `states` and then repeats `states[loopIndex..]`
 * forever violates `prop`.
 */
export function lassoViolates<S>(
  prop: ModelProperty<S>,
  states: readonly S[],
  loopIndex: number,
): boolean {
  const cycle = states.slice(loopIndex);
  const p = prop.p;
  const q = prop.q ?? (() => false);
  switch (prop.form) {
    case "eventually":
      return !states.some(p);
    case "alwaysEventually":
      return !cycle.some(p);
    case "eventuallyAlways":
      return cycle.some((s) => !p(s));
    case "leadsTo": {
      // Some p-state after which q never holds: the cycle has no q, and a p-state follows the
      // last q-state of the prefix (or lies on the cycle).
      let lastQ = -1;
      states.forEach((s, i) => {
        if (q(s)) lastQ = i;
      });
      return lastQ < loopIndex && states.slice(lastQ + 1).some(p);
    }
  }
}

/**
 * The model's fairness assumptions that a cycle breaks, as `WF(Name)` / `SF(Name(arg))`: the
 * cycle's states have the instances `enabled` (see enabledAt), and its steps, the closing one
 * included, have the labels `taken`.
 */
export function unfairOnCycle<S>(
  model: Model<S>,
  enabled: readonly ReadonlyMap<string, Instance>[],
  taken: readonly string[],
): string[] {
  const actionOf = (label: string): number =>
    model.actions.findIndex((a) => label === a.name || label.startsWith(`${a.name}(`));
  const unfair: string[] = [];
  for (const f of model.fairness ?? []) {
    const name = model.actions[f.action]!.name;
    const k = f.kind === "weak" ? "WF" : "SF";
    // The instances this assumption covers: the action as a whole, or each label of it.
    const groups = new Map<string, (label: string) => boolean>();
    if (!f.each) groups.set(name, (l) => actionOf(l) === f.action);
    else {
      for (const m of enabled) {
        for (const i of m.values())
          if (i.action === f.action) groups.set(i.label, (l) => l === i.label);
      }
    }
    for (const [text, covers] of groups) {
      if (taken.some(covers)) continue;
      const on = enabled.map((m) => [...m.keys()].some(covers));
      const holds = f.kind === "weak" ? on.some((x) => !x) : on.every((x) => !x);
      if (!holds) unfair.push(`${k}(${text})`);
    }
  }
  return unfair;
}
