// Explains a lasso: which predicate fails where, and, by re-executing the spec on the cycle's
// states, which action instances are enabled there and which are taken. An instance enabled
// on the cycle but never taken is what a fairness assumption could rule out; when there is
// none, no fairness helps and the protocol itself fails the property.
import type { LivenessExplanation, TraceStep } from "../engine/result.ts";
import type { SearchContext } from "../engine/search-context.ts";
import type { ModelProperty } from "../spec/model.ts";
import { enabledAt, type Instance } from "./enabled-instances.ts";
import { formatFairness } from "./fairness.ts";

export function formula(prop: ModelProperty<unknown>): string {
  const p = prop.pName !== undefined && prop.pName !== "" ? prop.pName : "p";
  const q = prop.qName !== undefined && prop.qName !== "" ? prop.qName : "q";
  switch (prop.form) {
    case "eventually":
      return `<>${p}`;
    case "leadsTo":
      return `${p} ~> ${q}`;
    case "alwaysEventually":
      return `[]<>${p}`;
    case "eventuallyAlways":
      return `<>[]${p}`;
  }
}

export interface LassoFacts<S> {
  readonly trace: readonly TraceStep<S>[];
  readonly loopIndex: number;
  /** The label of the step back to `loopIndex`; null when the last state stutters. */
  readonly closing: { readonly label: string; readonly action: number } | null;
  /** The actions of the steps of the trace (by index; -1 for the initial state). */
  readonly actions: readonly number[];
  /** leadsTo: the step at which p held and q did not. */
  readonly entered: number;
  /** eventuallyAlways: a step on the cycle where p is false. */
  readonly rejecting: number;
}

export function explainLasso<S>(
  ctx: SearchContext<S>,
  prop: ModelProperty<unknown>,
  lasso: LassoFacts<S>,
): LivenessExplanation {
  const { trace, loopIndex, closing } = lasso;
  const n = trace.length - 1;
  const model = ctx.model;
  const p = prop.pName !== undefined && prop.pName !== "" ? prop.pName : "p";
  const q = prop.qName !== undefined && prop.qName !== "" ? prop.qName : "q";
  const cycleText =
    closing === null
      ? `and stays in step ${n} forever`
      : `and repeats steps ${loopIndex}–${n} forever`;
  let summary: string;
  switch (prop.form) {
    case "eventually":
      summary = `${p} is false in every state of this behaviour: steps 0–${n}, ${cycleText}.`;
      break;
    case "leadsTo":
      summary =
        `${p} holds at step ${lasso.entered} but ${q} holds in none of steps ` +
        `${lasso.entered}–${n}, ${cycleText}.`;
      break;
    case "alwaysEventually":
      summary = `${p} is false in every state from step ${loopIndex} on, ${cycleText}.`;
      break;
    case "eventuallyAlways":
      summary = `${p} is false at step ${lasso.rejecting}, which the behaviour reaches forever ${cycleText.replace(/^and /, "as it ")}.`;
      break;
  }

  // Enabled and taken instances on the cycle.
  const cycle = trace.slice(loopIndex);
  const enabled = cycle.map((step) => enabledAt(ctx, step.state));
  const taken = new Map<string, number>();
  for (let i = loopIndex + 1; i <= n; i++) taken.set(trace[i]!.label, lasso.actions[i]!);
  if (closing !== null) taken.set(closing.label, closing.action);
  const union = new Map<string, Instance>();
  for (const m of enabled) for (const [k, v] of m) union.set(k, v);
  const everywhere = (label: string): boolean => enabled.every((m) => m.has(label));

  const fairness: LivenessExplanation["fairness"][number][] = [];
  const fair = model.fairness ?? [];
  const statusOf = (
    isTaken: boolean,
    count: number,
  ): LivenessExplanation["fairness"][number]["status"] =>
    isTaken
      ? "taken"
      : count === 0
        ? "never enabled"
        : count < enabled.length
          ? "not always enabled"
          : "enabled, not taken";
  for (const f of fair) {
    const name = model.actions[f.action]!.name;
    if (!f.each) {
      const isTaken = [...taken.values()].includes(f.action);
      const count = enabled.filter((m) =>
        [...m.values()].some((i) => i.action === f.action),
      ).length;
      fairness.push({
        assumption: formatFairness({ ...f, action: name }),
        status: statusOf(isTaken, count),
      });
      continue;
    }
    const labels = new Set<string>();
    for (const [label, a] of taken) if (a === f.action) labels.add(label);
    for (const [label, i] of union) if (i.action === f.action) labels.add(label);
    for (const label of [...labels].sort()) {
      const count = enabled.filter((m) => m.has(label)).length;
      const k = f.kind === "weak" ? "WF" : "SF";
      fairness.push({ assumption: `${k}(${label})`, status: statusOf(taken.has(label), count) });
    }
  }

  const starved = [...union.values()]
    .filter((i) => !taken.has(i.label))
    .map((i) => ({
      action: i.label,
      enabled: everywhere(i.label) ? ("always" as const) : ("sometimes" as const),
    }));
  // What would rule this lasso out: weak fairness of an instance enabled throughout the cycle,
  // strong fairness of one enabled in some of its states.
  const fixes = new Map<string, string[]>();
  for (const s of starved) {
    const action = union.get(s.action)!.action;
    const name = model.actions[action]!.name;
    const each = s.action !== name;
    const kind = s.enabled === "always" ? "weak" : "strong";
    const has = fair.some(
      (f) => f.action === action && (f.kind === "strong" || kind === "weak") && (f.each || !each),
    );
    if (has) continue;
    const text = `${kind}("${name}"${each ? ", { each: true }" : ""})`;
    fixes.set(text, [...(fixes.get(text) ?? []), s.action]);
  }
  let hint: string;
  if (closing === null && union.size === 0) {
    hint =
      `The behaviour reaches a state without successors and stops there: no fairness ` +
      `assumption can help, the protocol itself stops short of the property.`;
  } else if (fixes.size === 0) {
    hint =
      `Every action instance enabled on the cycle is taken on it (or is already assumed fair ` +
      `and not enabled throughout), so no further fairness assumption rules this behaviour ` +
      `out: the protocol itself can run forever like this.`;
  } else {
    hint =
      `This behaviour starves ${starved.length === 1 ? "an action" : "actions"} enabled on the ` +
      `cycle. It would not be a fair behaviour under ` +
      [...fixes]
        .map(([f, labels]) =>
          labels.length === 1 && f.includes(`"${labels[0]}"`) ? f : `${f} (${labels.join(", ")})`,
        )
        .join(" or ") +
      `. Add such an ` +
      `assumption if the real system guarantees it; otherwise it is a genuine liveness bug.`;
  }
  return {
    formula: formula(prop),
    summary,
    stutters: closing === null,
    closingAction: closing?.label ?? null,
    fairness,
    starved,
    hint,
  };
}
