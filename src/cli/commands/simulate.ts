// `protomc simulate`: random behaviours of a spec, reproducible from a seed, with the first
// failure shrunk by fast-check and written as a trace that `protomc replay` re-executes.
import { relative, resolve } from "node:path";
import { SpecError } from "../../errors/spec-error.ts";
import { writeViolationTrace } from "../../itf/trace-file.ts";
import { explanationLines } from "../../liveness/report.ts";
import { count, duration } from "../../report/numbers.ts";
import { printTrace } from "../../report/print-trace.ts";
import { styleFor } from "../../report/style.ts";
import {
  DEFAULT_DEPTH,
  DEFAULT_RUNS,
  randomSeed,
  simulate,
  STRATEGIES,
  type SimulationResult,
  type SimulationStats,
  type Strategy,
} from "../../simulate/simulate.ts";
import { loadSpec, parseSpecRef, formatSpecRef } from "../../spec/load-spec.ts";
import { buildModel, type Model } from "../../spec/model.ts";
import { formatFlags, parseArgs, type FlagTable } from "../args.ts";
import { EXIT, type ExitCode } from "../exit-codes.ts";
import { formatSpecError } from "../format-error.ts";
import type { Io } from "../io.ts";
import { parseParamFlags } from "../spec-params.ts";
import { UsageError } from "../usage-error.ts";

const FLAGS = {
  param: { type: "list", value: "NAME=VALUE", description: "set a spec param (repeatable)" },
  runs: { type: "int", value: "N", description: "random behaviours to try (default 1000)" },
  depth: { type: "int", value: "D", description: "steps per behaviour at most (default 100)" },
  seed: { type: "int", value: "S", description: "fast-check seed (default: random, printed)" },
  path: {
    type: "string",
    value: "P",
    description: "re-run only the failure at path P (its run, then its shrinks)",
  },
  "time-limit": { type: "number", value: "S", description: "stop after S seconds" },
  "no-deadlock": { type: "boolean", description: "do not report deadlocks" },
  "no-liveness": { type: "boolean", description: "do not check temporal properties on lassos" },
  strategy: {
    type: "list",
    value: "S",
    description: "how walks choose steps: uniform, delays, quiet (repeatable; default all)",
  },
  out: { type: "string", value: "DIR", description: "where to write traces (counterexamples/)" },
  json: { type: "boolean", description: "print one JSON object on stdout" },
  full: { type: "boolean", description: "print whole states in traces, not only changes" },
  quiet: { type: "boolean", description: "no progress lines on stderr" },
  help: { type: "boolean", description: "show this help" },
} as const satisfies FlagTable;

export const SIMULATE_HELP = `Usage: protomc simulate <spec.ts[#export]> [flags]

Walks random behaviours of the spec and checks its invariants, step properties
and deadlock freedom on the way, and its temporal properties on every lasso a
walk closes (a step back to a state it visited, or a state where it may stutter
forever) under the spec's fairness. Each run's steps are chosen uniformly, by
random delays, or with processes' own actions held until the system is quiet.
fast-check drives the runs, so a simulation is reproducible from its seed, and
a failing behaviour is shrunk to a short one before it is printed and written
as a trace file (replay it with protomc replay). Useful where exhaustive search
(protomc check) does not finish; it proves nothing.

Flags:
${formatFlags(FLAGS)}

Exit codes: 0 no violation found, 1 violation, 2 spec error, 3 usage error,
4 time limit reached before the runs were done.`;

const EXIT_FOR: Readonly<Record<SimulationResult<unknown>["kind"], ExitCode>> = {
  ok: EXIT.ok,
  violation: EXIT.violation,
  specError: EXIT.specError,
  incomplete: EXIT.incomplete,
};

export async function runSimulate(argv: readonly string[], io: Io): Promise<number> {
  const { flags, positionals } = parseArgs(argv, FLAGS);
  if (flags.help) {
    io.out(SIMULATE_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? "simulate needs a spec file, e.g. protomc simulate specs/two-phase-commit.ts"
        : `simulate takes one spec file, got ${positionals.length}: ${positionals.join(" ")}`,
    );
  }
  if (flags.depth === 0) throw new UsageError("--depth must be at least 1");
  if (flags.seed !== undefined && flags.seed > 0x7fffffff) {
    throw new UsageError(`--seed must be below 2^31, got ${flags.seed}`);
  }
  if (flags.path !== undefined && !/^\d+(:\d+)*$/.test(flags.path)) {
    throw new UsageError(
      `--path needs a failure's path, digits and colons (e.g. 12:0:3), got "${flags.path}"`,
    );
  }
  const strategies = parseStrategies(flags.strategy);
  const ref = parseSpecRef(positionals[0]!);
  let model: Model<unknown>;
  try {
    const loaded = await loadSpec(ref, io.cwd);
    model = buildModel<unknown>(
      loaded.spec,
      parseParamFlags(loaded.spec, flags.param),
      loaded.source,
    );
  } catch (e) {
    if (!(e instanceof SpecError) || !flags.json) throw e;
    io.out(JSON.stringify({ result: "specError", error: errorJson(e) }));
    return EXIT.specError;
  }
  const runs = flags.runs ?? DEFAULT_RUNS;
  const depth = flags.depth ?? DEFAULT_DEPTH;
  const err = styleFor(io.stderr);
  const seed = flags.seed ?? randomSeed();
  const reproduce = [
    "protomc simulate",
    formatSpecRef(ref),
    ...flags.param.map((p) => `--param ${p}`),
    ...(flags["no-deadlock"] ? ["--no-deadlock"] : []),
    ...(flags["no-liveness"] ? ["--no-liveness"] : []),
    ...(strategies === null ? [] : strategies.map((x) => `--strategy ${x}`)),
    `--seed ${seed} --runs ${runs} --depth ${depth}`,
  ].join(" ");
  if (!flags.quiet && !flags.json) {
    io.err(
      err.dim(
        `Simulating ${formatSpecRef(ref)} (${model.name}): ${count(runs)} runs of up to ` +
          `${depth} steps, seed ${seed}`,
      ),
    );
  }
  const result = simulate(model, {
    runs,
    depth,
    seed,
    deadlock: !flags["no-deadlock"],
    liveness: !flags["no-liveness"],
    ...(strategies !== null ? { strategies } : {}),
    ...(flags.path !== undefined ? { path: flags.path } : {}),
    ...(flags["time-limit"] !== undefined ? { timeLimitMs: flags["time-limit"] * 1000 } : {}),
    ...(flags.quiet ? {} : { onProgress: (s: SimulationStats) => io.err(err.dim(progress(s))) }),
  });
  let traceFile: string | null = null;
  if (result.kind === "violation") {
    const v = result.violation;
    const written = writeViolationTrace(
      model,
      v,
      resolve(io.cwd, flags.out ?? "counterexamples"),
      `${v.kind === "deadlock" ? "deadlock" : v.property} violated by ${formatSpecRef(ref)} ` +
        `in ${v.trace.length - 1} steps, found by: ${reproduce}`,
    );
    if (written !== null) traceFile = displayPath(io.cwd, written);
  }
  if (flags.json) io.out(JSON.stringify(jsonReport(model, result, traceFile, reproduce)));
  else io.out(humanReport(model, result, traceFile, reproduce, flags.full, io));
  return EXIT_FOR[result.kind];
}

function parseStrategies(given: readonly string[]): Strategy[] | null {
  if (given.length === 0) return null;
  const out: Strategy[] = [];
  for (const item of given.flatMap((g) => g.split(","))) {
    const name = item.trim();
    const known = STRATEGIES.find((x) => x === name);
    if (known === undefined) {
      throw new UsageError(`--strategy must be one of ${STRATEGIES.join(", ")}, got "${name}"`);
    }
    if (!out.includes(known)) out.push(known);
  }
  return out;
}

function progress(s: SimulationStats): string {
  return `${duration(s.elapsedMs)}  runs ${count(s.runs)}  steps ${count(s.steps)}`;
}

function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === "" || rel.startsWith("..") ? path : rel;
}

function errorJson(e: SpecError): Record<string, string> {
  return { code: e.code, message: e.message, ...(e.fix !== undefined ? { fix: e.fix } : {}) };
}

function figures(r: SimulationResult<unknown>): string {
  const s = r.stats;
  const shrinking = s.walks > s.runs ? ` (${count(s.walks)} walks with shrinking)` : "";
  return `${count(s.runs)} runs${shrinking}, ${count(s.steps)} steps, ${duration(s.elapsedMs)}`;
}

const KIND_TEXT = {
  invariant: "Invariant",
  step: "Step property",
  deadlock: "Deadlock",
  liveness: "Liveness property",
} as const;

function humanReport(
  model: Model<unknown>,
  r: SimulationResult<unknown>,
  traceFile: string | null,
  reproduce: string,
  full: boolean,
  io: Io,
): string {
  const st = styleFor(io.stdout);
  const lines: string[] = [];
  switch (r.kind) {
    case "ok":
      lines.push(
        `${st.green("✓")} ${st.bold(model.name)}: no violation in ${count(r.stats.runs)} random ` +
          `behaviours of up to ${r.depth} steps (seed ${r.seed}). ${figures(r)}`,
      );
      lines.push(`  Simulation is not exhaustive: run protomc check to cover every state.`);
      break;
    case "violation": {
      const v = r.violation;
      const n = v.trace.length - 1;
      const what =
        v.kind === "deadlock"
          ? "Deadlock reached"
          : `${KIND_TEXT[v.kind]} ${st.bold(v.property)} is violated`;
      lines.push(
        `${st.red("✗")} ${what} after ${n} steps (run ${count(r.stats.runs)}, ${r.strategy}; ` +
          `shrunk from ${r.foundSteps} steps in ${count(r.stats.shrinks)} shrinks):`,
        "",
        printTrace(v.trace, { full, style: st, loopIndex: v.loopIndex }),
        "",
      );
      if (v.explanation !== undefined && v.loopIndex !== null) {
        lines.push(...explanationLines(v.explanation, v.loopIndex, st), "");
      }
      lines.push(`  ${figures(r)}`);
      if (traceFile !== null) lines.push(`  Trace written to ${traceFile}`);
      lines.push(`  Reproduce: ${reproduce}`);
      if (traceFile !== null) lines.push(`  Replay:    protomc replay ${traceFile}`);
      break;
    }
    case "specError":
      lines.push(formatSpecError(r.error, st));
      if (r.trace.length > 0) {
        lines.push("", "  The state where it happened was reached by:", "");
        lines.push(printTrace(r.trace, { full, style: st }));
      }
      lines.push("", `  ${figures(r)}`, `  Reproduce: ${reproduce}`);
      break;
    case "incomplete":
      lines.push(
        `${st.yellow("…")} Time limit reached after ${count(r.stats.runs)} of ${count(r.runs)} runs: ` +
          `no violation so far (seed ${r.seed}). ${figures(r)}`,
      );
      break;
  }
  return lines.join("\n");
}

function jsonReport(
  model: Model<unknown>,
  r: SimulationResult<unknown>,
  traceFile: string | null,
  reproduce: string,
): Record<string, unknown> {
  const base = {
    result: r.kind,
    spec:
      model.source === null ? null : { path: model.source.path, export: model.source.exportName },
    name: model.name,
    params: model.params,
    seed: r.seed,
    runs: r.runs,
    depth: r.depth,
    stats: { ...r.stats, elapsedMs: Math.round(r.stats.elapsedMs) },
    reproduce,
  };
  switch (r.kind) {
    case "ok":
    case "incomplete":
      return base;
    case "violation": {
      const v = r.violation;
      return {
        ...base,
        path: r.path,
        violation: {
          property: v.property,
          kind: v.kind,
          length: v.trace.length,
          foundLength: r.foundSteps + 1,
          loopIndex: v.loopIndex,
          actions: v.trace.map((s) => s.label),
          ...(v.explanation !== undefined ? { explanation: v.explanation } : {}),
          strategy: r.strategy,
          file: traceFile,
        },
      };
    }
    case "specError":
      return { ...base, path: r.path, error: errorJson(r.error), traceLength: r.trace.length };
  }
}
