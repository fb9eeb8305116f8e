// `protomc check`: exhaustive search of a spec's reachable states.
import { relative, resolve } from "node:path";
import { checkModel } from "../../engine/check.ts";
import type { CheckOptions } from "../../engine/options.ts";
import type { CheckResult, Stats } from "../../engine/result.ts";
import { buildTraceFile, writeTraceFile } from "../../itf/trace-file.ts";
import { SpecError } from "../../errors/spec-error.ts";
import { buildModel, type Model } from "../../spec/model.ts";
import { loadSpec, parseSpecRef, formatSpecRef } from "../../spec/load-spec.ts";
import { count, duration, probability, rate } from "../../report/numbers.ts";
import { printTrace } from "../../report/print-trace.ts";
import { progressLine } from "../../report/progress.ts";
import { styleFor } from "../../report/style.ts";
import { fingerprintHex } from "../../values/fingerprint.ts";
import { formatFlags, parseArgs, type FlagTable } from "../args.ts";
import { EXIT, exitCodeFor } from "../exit-codes.ts";
import type { Io } from "../io.ts";
import { parseParamFlags } from "../spec-params.ts";
import { UsageError } from "../usage-error.ts";
import { formatSpecError } from "../format-error.ts";
import { explanationLines, livenessFigures, temporalChecked } from "../../liveness/report.ts";

const FLAGS = {
  param: { type: "list", value: "NAME=VALUE", description: "set a spec param (repeatable)" },
  json: { type: "boolean", description: "print one JSON object on stdout" },
  dfs: { type: "boolean", description: "depth-first search (traces are not shortest)" },
  "max-depth": { type: "int", value: "N", description: "do not expand states at depth N" },
  "max-states": { type: "int", value: "N", description: "stop after N distinct states" },
  "time-limit": { type: "number", value: "S", description: "stop after S seconds" },
  "no-deadlock": { type: "boolean", description: "do not report deadlocks" },
  symmetry: {
    type: "boolean",
    description: "count states up to the symmetry the spec declares (safety only)",
  },
  out: { type: "string", value: "DIR", description: "where to write traces (counterexamples/)" },
  full: { type: "boolean", description: "print whole states in traces, not only changes" },
  quiet: { type: "boolean", description: "no progress lines on stderr" },
  help: { type: "boolean", description: "show this help" },
} as const satisfies FlagTable;

export const CHECK_HELP = `Usage: protomc check <spec.ts[#export]> [flags]

Explores every reachable state of the spec (breadth-first, so counterexamples are
shortest) and checks its invariants, step properties and deadlock freedom, then
its temporal properties (under its fairness assumptions) on the state graph.
The default export of a spec file is the spec; #name selects a variant.

Flags:
${formatFlags(FLAGS)}

Exit codes: 0 ok, 1 violation, 2 spec error, 3 usage error, 4 incomplete.`;

interface Outcome {
  readonly model: Model<unknown>;
  readonly result: CheckResult<unknown>;
  readonly traceFile: string | null;
  readonly symmetry: boolean;
}

export async function runCheck(argv: readonly string[], io: Io): Promise<number> {
  const { flags, positionals } = parseArgs(argv, FLAGS);
  if (flags.help) {
    io.out(CHECK_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? "check needs a spec file, e.g. protomc check specs/two-phase-commit.ts"
        : `check takes one spec file, got ${positionals.length}: ${positionals.join(" ")}`,
    );
  }
  const ref = parseSpecRef(positionals[0]!);
  let loaded;
  try {
    loaded = await loadSpec(ref, io.cwd);
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    return reportLoadError(e, flags.json, io);
  }
  const params = parseParamFlags(loaded.spec, flags.param);
  const model = buildModel<unknown>(loaded.spec, params, loaded.source);
  if (flags.dfs && (model.properties?.length ?? 0) > 0) {
    throw new UsageError(
      "temporal properties are checked on the graph that breadth-first search records: drop --dfs",
    );
  }
  const err = styleFor(io.stderr);
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once("SIGINT", onSigint);
  const options: CheckOptions = {
    strategy: flags.dfs ? "dfs" : "bfs",
    maxDepth: flags["max-depth"],
    maxStates: flags["max-states"],
    timeLimitMs: flags["time-limit"] === undefined ? undefined : flags["time-limit"] * 1000,
    deadlock: !flags["no-deadlock"],
    symmetry: flags.symmetry,
    signal: controller.signal,
    onProgress: flags.quiet ? undefined : (s: Stats) => io.err(err.dim(progressLine(s))),
  };
  if (!flags.quiet && !flags.json) {
    io.err(err.dim(`Checking ${formatSpecRef(ref)} (${model.name}) ${describeParams(model)}`));
  }
  let result: CheckResult<unknown>;
  try {
    result = await checkModel(model, options);
  } finally {
    process.removeListener("SIGINT", onSigint);
  }
  const written = writeTrace(model, result, resolve(io.cwd, flags.out ?? "counterexamples"));
  const traceFile = written === null ? null : displayPath(io.cwd, written);
  const outcome: Outcome = { model, result, traceFile, symmetry: flags.symmetry };
  if (flags.json) io.out(JSON.stringify(jsonReport(outcome)));
  else io.out(humanReport(outcome, flags.full, io));
  return exitCodeFor(result.kind);
}

function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === "" || rel.startsWith("..") ? path : rel;
}

function describeParams(model: Model<unknown>): string {
  const entries = Object.entries(model.params);
  return entries.length === 0
    ? ""
    : "with " + entries.map(([k, v]) => `${k}=${String(v)}`).join(" ");
}

function reportLoadError(e: SpecError, json: boolean, io: Io): number {
  if (json) io.out(JSON.stringify({ result: "specError", error: errorJson(e) }));
  else io.err(formatSpecError(e, styleFor(io.stderr)));
  return EXIT.specError;
}

function writeTrace(
  model: Model<unknown>,
  result: CheckResult<unknown>,
  dir: string,
): string | null {
  if (result.kind !== "violation" || model.source === null) return null;
  const v = result.violation;
  const file = buildTraceFile({
    spec: { path: model.source.path, export: model.source.exportName },
    params: { ...model.params },
    property: v.property,
    kind: v.kind,
    states: v.trace.map((s) => s.state),
    actions: v.trace.map((s) => s.label),
    loopIndex: v.loopIndex,
    fingerprints: v.trace.map((s) =>
      fingerprintHex(model.view === null ? s.state : model.view(s.state)),
    ),
  });
  return writeTraceFile(dir, file);
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

function errorJson(e: SpecError): Record<string, string> {
  return { code: e.code, message: e.message, ...(e.fix !== undefined ? { fix: e.fix } : {}) };
}

function jsonReport({ model, result, traceFile, symmetry }: Outcome): Record<string, unknown> {
  const base = {
    result: result.kind,
    spec:
      model.source === null ? null : { path: model.source.path, export: model.source.exportName },
    name: model.name,
    params: model.params,
    symmetry,
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

function humanReport(
  { model, result, traceFile, symmetry }: Outcome,
  full: boolean,
  io: Io,
): string {
  const st = styleFor(io.stdout);
  const s = result.stats;
  const lines: string[] = [];
  const states = symmetry ? "distinct states (orbits under symmetry)" : "distinct states";
  const figures =
    `${count(s.distinct)} ${states}, ${count(s.generated)} generated, depth ${s.depth}, ` +
    `${duration(s.elapsedMs)} (${rate(s.distinct, s.elapsedMs)} distinct/s)`;
  switch (result.kind) {
    case "ok":
      lines.push(`${st.green("✓")} ${st.bold(model.name)}: no violation. ${figures}`);
      lines.push(`  checked: ${checkedList(model)}`);
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
      break;
  }
  lines.push(`  fingerprint collision probability: ${probability(s.collisionProbability)}`);
  return lines.join("\n");
}

function checkedList(model: Model<unknown>): string {
  const parts = [
    ...model.invariants.map((i) => i.name),
    ...model.stepProperties.map((p) => `${p.name} (step)`),
    ...temporalChecked(model),
  ];
  return parts.length === 0 ? "deadlock only" : parts.join(", ");
}
