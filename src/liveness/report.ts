// The liveness parts of a check report: the graph figures, kept apart from the safety ones,
// and a lasso's explanation under its trace.
import type { LivenessExplanation, LivenessStats } from "../engine/result.ts";
import type { Model } from "../spec/model.ts";
import { count, duration } from "../report/numbers.ts";
import type { Style } from "../report/style.ts";
import { formula } from "./explain.ts";
import { formatFairness } from "./fairness.ts";

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** One line of figures on the temporal-property check. */
export function livenessFigures(l: LivenessStats): string {
  // Per edge only where the fixed costs of a small graph do not swamp it.
  const perEdge = l.edges >= 10_000 ? `, ${(l.graphBytes / l.edges).toFixed(1)} B/edge` : "";
  return (
    `liveness: ${l.properties} ${l.properties === 1 ? "property" : "properties"} on a graph of ` +
    `${count(l.states)} states and ${count(l.edges)} edges (${mib(l.graphBytes)}${perEdge}), ` +
    `${count(l.sccs)} ${l.sccs === 1 ? "SCC" : "SCCs"} examined, ${duration(l.elapsedMs)}`
  );
}

/** The temporal properties and fairness assumptions of a model, for the "checked:" line. */
export function temporalChecked(model: Model<unknown>): string[] {
  const props = (model.properties ?? []).map((p) => `${p.name} (${formula(p)})`);
  if (props.length === 0) return [];
  const fair = (model.fairness ?? []).map((f) =>
    formatFairness({ ...f, action: model.actions[f.action]?.name ?? "?" }),
  );
  const under = fair.length === 0 ? "no fairness" : fair.join(", ");
  const stutter = model.stuttering === "anywhere" ? ", stuttering anywhere" : "";
  return [`${props.join(", ")} under ${under}${stutter}`];
}

const STATUS_TEXT: Record<LivenessExplanation["fairness"][number]["status"], string> = {
  taken: "taken on the cycle",
  "never enabled": "never enabled on the cycle",
  "not always enabled": "disabled in some state of the cycle",
  "enabled, not taken": "enabled throughout the cycle, never taken",
};

/** The explanation printed under a lasso. */
export function explanationLines(e: LivenessExplanation, loopIndex: number, st: Style): string[] {
  const out: string[] = [];
  out.push(
    e.stutters
      ? `  The last state stutters forever: the behaviour takes no further step.`
      : `  The step back to step ${loopIndex} is ${st.bold(e.closingAction ?? "?")}.`,
  );
  out.push(`  Why ${e.formula} fails: ${e.summary}`);
  if (e.fairness.length > 0) {
    out.push("  Fairness on the cycle:");
    for (const f of e.fairness) out.push(`    ${f.assumption}: ${STATUS_TEXT[f.status]}`);
  }
  if (e.starved.length > 0) {
    const always = e.starved.filter((s) => s.enabled === "always").map((s) => s.action);
    const sometimes = e.starved.filter((s) => s.enabled === "sometimes").map((s) => s.action);
    if (always.length > 0)
      out.push(`  Enabled throughout the cycle, never taken: ${always.join(", ")}`);
    if (sometimes.length > 0)
      out.push(`  Enabled in some states of the cycle, never taken: ${sometimes.join(", ")}`);
  }
  out.push(`  ${st.bold("Hint:")} ${e.hint}`);
  return out;
}
