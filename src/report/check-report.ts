// How a check's outcome is reported: for a person (numbered trace, figures) and for machines
// (one JSON object per spec).
import type { CheckResult, Stats } from "../engine/result.ts";
import type { SpecError } from "../errors/spec-error.ts";
import { explanationLines, livenessFigures, temporalChecked } from "../liveness/report.ts";
import type { Model } from "../spec/model.ts";
import { formatSpecError } from "../cli/format-error.ts";
import { count, duration, probability, rate } from "./numbers.ts";
import { printTrace } from "./print-trace.ts";
import type { Style } from "./style.ts";

/** A finished check of one spec, as the reporters see it. */
export interface CheckOutcome {
  readonly model: Model<unknown>;
  readonly result: CheckResult<unknown>;
  /** The trace file written for a violation, as a path to show. */
  readonly traceFile: string | null;
  readonly symmetry: boolean;
  /** Temporal properties left unchecked (--no-liveness). */
  readonly skipped?: readonly string[];
}

function statsJson(s: Stats): Record<string, number> {
  return {
    distinct: s.distinct,
    generated: s.generated,
    depth: s.depth,
    queue: s.queue,
    elapsedMs: Math.round(s.elapsedMs),
    distinctPerSecond: s.elapsedMs > 0 ? Math.round((s.distinct * 1000) / s.elapsedMs) : 0,
    collisionProbability: s.collisionProbability,
    fingerprintBytes: s.fingerprintBytes,
    ...(s.spilledStates === undefined ? {} : { spilledStates: s.spilledStates }),
  };
}

function livenessJson(l: NonNullable<Stats["liveness"]>): Record<string, number> {
  return {
    properties: l.properties,
    states: l.states,
    edges: l.edges,
    graphBytes: l.graphBytes,
    graphBytesPerEdge: l.edges > 0 ? Math.round((l.graphBytes / l.edges) * 10) / 10 : 0,
    analysisBytes: l.analysisBytes,
    sccs: l.sccs,
    fairnessChecks: l.fairnessChecks,
    elapsedMs: Math.round(l.elapsedMs),
  };
}

export function errorJson(e: SpecError): Record<string, string> {
  return { code: e.code, message: e.message, ...(e.fix !== undefined ? { fix: e.fix } : {}) };
}

export function jsonReport({
  model,
  result,
  traceFile,
  symmetry,
  skipped = [],
}: CheckOutcome): Record<string, unknown> {
  const base = {
    result: result.kind,
    spec:
      model.source === null ? null : { path: model.source.path, export: model.source.exportName },
    name: model.name,
    params: model.params,
    symmetry,
    ...(skipped.length > 0 ? { notChecked: skipped } : {}),
    stats:
      result.stats.liveness === undefined
        ? statsJson(result.stats)
        : { ...statsJson(result.stats), liveness: livenessJson(result.stats.liveness) },
  };
  switch (result.kind) {
    case "ok":
      return base;
    case "violation": {
      const v = result.violation;
      return {
        ...base,
        violation: {
          property: v.property,
          kind: v.kind,
          length: v.trace.length,
          loopIndex: v.loopIndex,
          actions: v.trace.map((s) => s.label),
          ...(v.explanation !== undefined ? { explanation: v.explanation } : {}),
          file: traceFile,
        },
      };
    }
    case "specError":
      return { ...base, error: errorJson(result.error), traceLength: result.trace?.length ?? null };
    case "incomplete":
      return { ...base, reason: result.reason };
  }
}

const KIND_TEXT = {
  invariant: "Invariant",
  step: "Step property",
  deadlock: "Deadlock",
  liveness: "Liveness property",
} as const;

export function humanReport(
  { model, result, traceFile, symmetry, skipped = [] }: CheckOutcome,
  full: boolean,
  st: Style,
): string {
  const s = result.stats;
  const lines: string[] = [];
  const states = symmetry ? "distinct states (orbits under symmetry)" : "distinct states";
  const figures =
    `${count(s.distinct)} ${states}, ${count(s.generated)} generated, depth ${s.depth}, ` +
    `${duration(s.elapsedMs)} (${rate(s.distinct, s.elapsedMs)} distinct/s)`;
  // Said where the report says what holds: a search that ended without a violation.
  const notChecked =
    skipped.length > 0 ? `  not checked (--no-liveness): ${skipped.join(", ")}` : null;
  switch (result.kind) {
    case "ok":
      lines.push(`${st.green("✓")} ${st.bold(model.name)}: no violation. ${figures}`);
      lines.push(`  checked: ${checkedList(model)}`);
      if (notChecked !== null) lines.push(notChecked);
      if (s.liveness !== undefined) lines.push(`  ${livenessFigures(s.liveness)}`);
      break;
    case "violation": {
      const v = result.violation;
      const what =
        v.kind === "deadlock"
          ? "Deadlock reached"
          : `${KIND_TEXT[v.kind]} ${st.bold(v.property)} is violated`;
      lines.push(`${st.red("✗")} ${what} after ${v.trace.length - 1} steps:`, "");
      lines.push(printTrace(v.trace, { full, style: st, loopIndex: v.loopIndex }), "");
      if (v.explanation !== undefined && v.loopIndex !== null) {
        lines.push(...explanationLines(v.explanation, v.loopIndex, st), "");
      }
      lines.push(`  ${figures}`);
      if (s.liveness !== undefined) lines.push(`  ${livenessFigures(s.liveness)}`);
      if (traceFile !== null) lines.push(`  Trace written to ${traceFile}`);
      break;
    }
    case "specError":
      lines.push(formatSpecError(result.error, st));
      if (result.trace !== null && result.trace.length > 0) {
        lines.push("", "  The state where it happened was reached by:", "");
        lines.push(printTrace(result.trace, { full, style: st }));
      }
      lines.push("", `  ${figures}`);
      break;
    case "incomplete":
      lines.push(
        `${st.yellow("…")} Incomplete (${result.reason}): no violation so far. ${figures}`,
      );
      if (notChecked !== null) lines.push(notChecked);
      break;
  }
  lines.push(`  fingerprint collision probability: ${probability(s.collisionProbability)}`);
  if (s.spilledStates !== undefined) {
    lines.push(`  states written to disk past the memory budget: ${count(s.spilledStates)}`);
  }
  return lines.join("\n");
}

export function checkedList(model: Model<unknown>): string {
  const parts = [
    ...model.invariants.map((i) => i.name),
    ...model.stepProperties.map((p) => `${p.name} (step)`),
    ...temporalChecked(model),
  ];
  return parts.length === 0 ? "deadlock only" : parts.join(", ");
}
