// `protomc check`: exhaustive search of one spec's reachable states, or of several specs with
// a summary (and a JUnit report for CI).
import { availableParallelism } from "node:os";
import { parseSize } from "../../engine/memory.ts";
import { WorkerPool } from "../../engine/parallel/pool.ts";
import { humanReport, jsonReport, errorJson } from "../../report/check-report.ts";
import { junitReport } from "../../report/junit.ts";
import { count, duration } from "../../report/numbers.ts";
import { styleFor } from "../../report/style.ts";
import { formatSpecRef } from "../../spec/load-spec.ts";
import { formatFlags, parseArgs, type FlagTable } from "../args.ts";
import { checkOne, type CheckRun, type CheckRunFlags } from "../check-run.ts";
import { EXIT, exitCodeFor, type ExitCode } from "../exit-codes.ts";
import { expandSpecArgs } from "../expand-specs.ts";
import { formatSpecError } from "../format-error.ts";
import type { Io } from "../io.ts";
import { UsageError } from "../usage-error.ts";

const FLAGS = {
  param: { type: "list", value: "NAME=VALUE", description: "set a spec param (repeatable)" },
  json: { type: "boolean", description: "print one JSON object on stdout (as --reporter json)" },
  reporter: {
    type: "string",
    value: "NAME",
    description: "human (default) | json | junit (XML on stdout) | github (human + annotations)",
  },
  dfs: { type: "boolean", description: "depth-first search (traces are not shortest)" },
  "max-depth": { type: "int", value: "N", description: "do not expand states at depth N" },
  "max-states": { type: "int", value: "N", description: "stop after N distinct states" },
  "time-limit": { type: "number", value: "S", description: "stop after S seconds" },
  "no-deadlock": { type: "boolean", description: "do not report deadlocks" },
  "no-liveness": {
    type: "boolean",
    description:
      "skip the temporal properties (then workers, checkpoints and --symmetry apply to specs that have some)",
  },
  symmetry: {
    type: "boolean",
    description: "count states up to the symmetry the spec declares (safety only)",
  },
  workers: {
    type: "int",
    value: "N",
    description: "worker threads (default: the number of cores; results do not depend on it)",
  },
  memory: {
    type: "string",
    value: "SIZE",
    description:
      "memory budget, e.g. 8g or 512m (default: half the machine's); beyond it, queued states go to disk",
  },
  checkpoint: {
    type: "string",
    value: "DIR",
    description: "save the search in DIR every few minutes and when it stops early",
  },
  "checkpoint-every": {
    type: "number",
    value: "S",
    description: "seconds between checkpoints, taken at the next BFS level (default 300)",
  },
  resume: {
    type: "string",
    value: "DIR",
    description:
      "continue the search saved in DIR (same spec, params and options; any number of workers)",
  },
  out: { type: "string", value: "DIR", description: "where to write traces (counterexamples/)" },
  full: { type: "boolean", description: "print whole states in traces, not only changes" },
  quiet: { type: "boolean", description: "no progress lines on stderr" },
  help: { type: "boolean", description: "show this help" },
} as const satisfies FlagTable;

export const CHECK_HELP = `Usage: protomc check <spec.ts[#export]> ... [flags]

Explores every reachable state of the spec (breadth-first, so counterexamples are
shortest) and checks its invariants, step properties and deadlock freedom, then
its temporal properties (under its fairness assumptions) on the state graph.
The default export of a spec file is the spec; #name selects a variant.
Several files or a quoted glob ('specs/*.ts') check each and print a summary;
the exit code is then the worst: 2 (spec error), 1, 4, 0 in that order.

Flags:
${formatFlags(FLAGS)}

Exit codes: 0 ok, 1 violation, 2 spec error, 3 usage error, 4 incomplete.`;

const REPORTERS = ["human", "json", "junit", "github"] as const;
type Reporter = (typeof REPORTERS)[number];

export async function runCheck(argv: readonly string[], io: Io): Promise<number> {
  const { flags, positionals } = parseArgs(argv, FLAGS);
  if (flags.help) {
    io.out(CHECK_HELP);
    return EXIT.ok;
  }
  const reporter = (flags.reporter ?? (flags.json ? "json" : "human")) as Reporter;
  if (!REPORTERS.includes(reporter)) {
    throw new UsageError(`--reporter must be one of ${REPORTERS.join(", ")}, got "${reporter}"`);
  }
  if (positionals.length === 0) {
    throw new UsageError("check needs a spec file, e.g. protomc check specs/two-phase-commit.ts");
  }
  const refs = expandSpecArgs(positionals, io.cwd);
  const saving = flags.checkpoint !== undefined || flags.resume !== undefined;
  if (saving && refs.length > 1) {
    throw new UsageError("--checkpoint and --resume take one spec, not several");
  }
  const runFlags: CheckRunFlags = {
    param: flags.param,
    dfs: flags.dfs,
    maxDepth: flags["max-depth"],
    maxStates: flags["max-states"],
    timeLimitS: flags["time-limit"],
    deadlock: !flags["no-deadlock"],
    liveness: !flags["no-liveness"],
    symmetry: flags.symmetry,
    workers: workerCount(flags.workers, flags.dfs),
    memoryBytes: flags.memory === undefined ? undefined : memorySize(flags.memory),
    checkpoint: flags.checkpoint ?? flags.resume,
    checkpointEveryS: flags["checkpoint-every"],
    resume: flags.resume,
    out: flags.out,
    progress: !flags.quiet && reporter !== "json" && reporter !== "junit",
  };
  const single = refs.length === 1 && positionals.length === 1;
  const runs: CheckRun[] = [];
  // The worker threads start loading now, while this thread loads the spec, and serve every
  // spec of the run (a spec with temporal properties leaves them idle).
  let pool =
    runFlags.workers > 1
      ? new WorkerPool(runFlags.workers, { memoryBytes: runFlags.memoryBytes })
      : null;
  try {
    for (const ref of refs) {
      if (pool !== null && !pool.usable) {
        await pool.close();
        pool = new WorkerPool(runFlags.workers, { memoryBytes: runFlags.memoryBytes });
      }
      const run = await checkOne(ref, { ...runFlags, pool }, io);
      runs.push(run);
      if (reporter === "human" || reporter === "github") printHuman(run, flags.full, io);
      if (reporter === "github") printAnnotation(run, io);
    }
  } finally {
    await pool?.close();
  }
  if (reporter === "json") {
    const reports = runs.map(runJson);
    io.out(JSON.stringify(single ? reports[0] : { result: worstKind(runs), specs: reports }));
  } else if (reporter === "junit") {
    io.out(junitReport(runs, runFlags.deadlock));
  } else if (!single) {
    io.out(summaryTable(runs, io));
  }
  return worstCode(runs);
}

function workerCount(given: number | undefined, dfs: boolean): number {
  if (given === undefined) return dfs ? 1 : Math.min(availableParallelism(), 255);
  if (given < 1 || given > 255) throw new UsageError(`--workers must be 1..255, got ${given}`);
  return given;
}

function memorySize(text: string): number {
  const bytes = parseSize(text);
  if (bytes === null) {
    throw new UsageError(`--memory needs a size such as 8g, 512m or 100000000, got "${text}"`);
  }
  return bytes;
}

function printHuman(run: CheckRun, full: boolean, io: Io): void {
  if ("loadError" in run) io.err(formatSpecError(run.loadError, styleFor(io.stderr)));
  else io.out(humanReport(run.outcome, full, styleFor(io.stdout)));
}

function runJson(run: CheckRun): Record<string, unknown> {
  if ("loadError" in run) {
    return {
      result: "specError",
      spec: { path: run.ref.path, export: run.ref.exportName },
      error: errorJson(run.loadError),
    };
  }
  return jsonReport(run.outcome);
}

function kindOf(run: CheckRun): "ok" | "violation" | "specError" | "incomplete" {
  return "loadError" in run ? "specError" : run.outcome.result.kind;
}

// A spec error hides whether the properties hold, so it outranks a violation.
const SEVERITY = { specError: 3, violation: 2, incomplete: 1, ok: 0 } as const;

function worstKind(runs: readonly CheckRun[]): "ok" | "violation" | "specError" | "incomplete" {
  let worst: "ok" | "violation" | "specError" | "incomplete" = "ok";
  for (const r of runs) if (SEVERITY[kindOf(r)] > SEVERITY[worst]) worst = kindOf(r);
  return worst;
}

function worstCode(runs: readonly CheckRun[]): ExitCode {
  return exitCodeFor(worstKind(runs));
}

// GitHub Actions workflow commands: a violation or a spec error becomes an annotation on the
// spec file.
function printAnnotation(run: CheckRun, io: Io): void {
  const esc = (s: string): string =>
    s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  const file = run.ref.path;
  if ("loadError" in run) {
    io.out(`::error file=${file},title=protomc: spec error::${esc(run.loadError.message)}`);
    return;
  }
  const r = run.outcome.result;
  if (r.kind === "violation") {
    const v = r.violation;
    const where = run.outcome.traceFile === null ? "" : ` (trace: ${run.outcome.traceFile})`;
    io.out(
      `::error file=${file},title=protomc: ${v.property} violated::` +
        esc(`${v.property} (${v.kind}) is violated after ${v.trace.length - 1} steps${where}`),
    );
  } else if (r.kind === "specError") {
    io.out(`::error file=${file},title=protomc: spec error::${esc(r.error.message)}`);
  } else if (r.kind === "incomplete") {
    io.out(`::warning file=${file},title=protomc: incomplete::${esc(`stopped: ${r.reason}`)}`);
  }
}

function summaryTable(runs: readonly CheckRun[], io: Io): string {
  const st = styleFor(io.stdout);
  const rows = runs.map((run) => {
    const spec = formatSpecRef(run.ref);
    if ("loadError" in run) return [spec, "✗ spec error", "", "", ""];
    const r = run.outcome.result;
    const s = r.stats;
    const verdict =
      r.kind === "ok"
        ? "✓ ok"
        : r.kind === "violation"
          ? `✗ ${r.violation.property}`
          : r.kind === "specError"
            ? `✗ spec error ${r.error.code}`
            : `… ${r.reason}`;
    return [spec, verdict, count(s.distinct), String(s.depth), duration(s.elapsedMs)];
  });
  const header = ["spec", "result", "distinct", "depth", "time"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  const failed = runs.filter((r) => kindOf(r) !== "ok").length;
  return [
    "",
    st.bold(fmt(header)),
    ...rows.map(fmt),
    "",
    `${runs.length} specs checked, ${failed === 0 ? st.green("all hold") : st.red(`${failed} did not pass`)}`,
  ].join("\n");
}
