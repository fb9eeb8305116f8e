// `protomc replay`: re-executes a counterexample trace against its spec (or another one) and
// says whether it still reproduces, is fixed, or no longer is a behaviour of the spec.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import { SpecError } from "../../errors/spec-error.ts";
import { styleFor, type Style } from "../../report/style.ts";
import { defaultTestPath, regressionTestSource, traceFromTest } from "../../replay/emit-test.ts";
import {
  formatReplay,
  loopLine,
  replayHeadline,
  replayJson,
  type ReplayContext,
} from "../../replay/format-replay.ts";
import { loadReplayTarget, type ReplayTarget } from "../../replay/load-replay.ts";
import { printStep } from "../../replay/print-step.ts";
import type { ReplayKind, ReplayResult } from "../../replay/replay-result.ts";
import { replayTrace } from "../../replay/replay.ts";
import { formatFlags, parseArgs, type FlagTable } from "../args.ts";
import { EXIT, type ExitCode } from "../exit-codes.ts";
import type { Io } from "../io.ts";
import { UsageError } from "../usage-error.ts";

const FLAGS = {
  spec: {
    type: "string",
    value: "PATH.ts[#EXPORT]",
    description: "replay against this spec instead of the one in the trace's #meta",
  },
  step: { type: "boolean", description: "print the trace one step at a time, with each diff" },
  full: { type: "boolean", description: "print whole states, not only what changed" },
  json: { type: "boolean", description: "print one JSON object on stdout" },
  "emit-test": {
    type: "string",
    value: "[FILE]",
    description: "also write a vitest regression test for the trace (test/regressions/)",
  },
  help: { type: "boolean", description: "show this help" },
} as const satisfies FlagTable;

export const REPLAY_HELP = `Usage: protomc replay <trace.json> [flags]

Re-executes a trace written by check or simulate: each step's action must be
enabled and yield the recorded state; then the recorded property is checked again.
The spec and params come from the trace's #meta unless --spec is given.

Flags:
${formatFlags(FLAGS)}

Outcomes and exit codes:
  1  reproduced  the property fails again
  0  fixed       every step replays, but the property now holds
  5  diverged    at some step the action is not enabled or yields another state
  2  spec error or malformed trace, 3 usage error.
A liveness lasso replays including the step back to its loop index; it reproduces
if it is a fair behaviour that violates the property, and is fixed if it no longer
violates it or is no longer fair.`;

const EXIT_FOR: Readonly<Record<ReplayKind, ExitCode>> = {
  reproduced: EXIT.violation,
  fixed: EXIT.ok,
  diverged: EXIT.diverged,
  specError: EXIT.specError,
};

// `--emit-test` takes an optional FILE: a following argument is its value only if it names a
// test file, so `replay --emit-test trace.json` still reads the trace as the positional.
function optionalEmitTestValue(argv: readonly string[]): string[] {
  const out = [...argv];
  for (let i = 0; i < out.length; i++) {
    if (out[i] !== "--emit-test") continue;
    const next = out[i + 1];
    if (next === undefined || !/\.(m|c)?[jt]s$/.test(next)) out[i] = "--emit-test=";
  }
  return out;
}

export async function runReplay(argv: readonly string[], io: Io): Promise<number> {
  const { flags, positionals } = parseArgs(optionalEmitTestValue(argv), FLAGS);
  if (flags.help) {
    io.out(REPLAY_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? "replay needs a trace file, e.g. protomc replay counterexamples/<file>.itf.json"
        : `replay takes one trace file, got ${positionals.length}: ${positionals.join(" ")}`,
    );
  }
  const tracePath = positionals[0]!;
  let target: ReplayTarget;
  let result: ReplayResult<unknown>;
  try {
    target = await loadReplayTarget(tracePath, { spec: flags.spec, cwd: io.cwd });
    result = replayTrace(target.model, target.file);
  } catch (e) {
    if (!(e instanceof SpecError) || !flags.json) throw e;
    const error = {
      code: e.code,
      message: e.message,
      ...(e.fix !== undefined ? { fix: e.fix } : {}),
    };
    io.out(JSON.stringify({ result: "specError", trace: tracePath, error }));
    return EXIT.specError;
  }
  const ctx: ReplayContext = {
    tracePath,
    specRef: target.specRef,
    params: target.model.params,
  };
  const testFile =
    flags["emit-test"] === undefined ? null : emitTest(target, flags["emit-test"], io);
  if (flags.json) {
    io.out(
      JSON.stringify({ ...replayJson(result, ctx), ...(testFile !== null ? { testFile } : {}) }),
    );
  } else {
    const st = styleFor(io.stdout);
    if (flags.step) await printSteps(result, ctx, flags.full, st, io);
    else io.out(formatReplay(result, ctx, { full: flags.full, style: st }));
    if (testFile !== null)
      io.out(`  Regression test written to ${testFile} (run: npx vitest run ${testFile})`);
  }
  return EXIT_FOR[result.kind];
}

function emitTest(target: ReplayTarget, value: string, io: Io): string {
  const file = value === "" ? defaultTestPath(target.tracePath) : value;
  const abs = resolve(io.cwd, file);
  if (existsSync(abs)) throw new UsageError(`--emit-test: ${file} exists; name another file`);
  const command = `protomc replay ${target.tracePath} --emit-test${value === "" ? "" : ` ${value}`}`;
  const source = regressionTestSource(
    target.file,
    traceFromTest(abs, resolve(io.cwd, target.tracePath)),
    command,
  );
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, source, { flag: "wx" });
  return file;
}

// On a terminal, waits for Enter between steps (q stops); otherwise prints them all.
async function printSteps(
  r: ReplayResult<unknown>,
  ctx: ReplayContext,
  full: boolean,
  st: Style,
  io: Io,
): Promise<void> {
  const interactive = io.stdout.isTTY === true && process.stdin.isTTY;
  const rl = interactive ? createInterface({ input: process.stdin, output: process.stdout }) : null;
  try {
    io.out(st.dim(`Replaying ${ctx.tracePath} on ${ctx.specRef}`));
    const loop = r.kind === "reproduced" || r.kind === "fixed" ? r.loop : undefined;
    let i = 0;
    for (; i < r.trace.length; i++) {
      const failsHere = r.kind === "reproduced" && r.at === i;
      const cycle = loop?.loopIndex === i ? st.yellow("  ⟲ cycle starts here") : "";
      const mark = failsHere
        ? `  ${st.red("✗ " + (r.propertyKind === "deadlock" ? "deadlock" : r.property))}`
        : `  ${st.green("✓")}`;
      io.out(printStep(r.trace, i, { full, style: st, mark: cycle + mark }));
      if (rl !== null && i < r.trace.length - 1) {
        const answer = await rl.question(st.dim("  (Enter: next step, q: skip to the verdict) "));
        if (answer.trim().toLowerCase() === "q") break;
      }
    }
    if (loop !== undefined && i === r.trace.length) {
      io.out(`  ${st.yellow(`⟲ back to step ${loop.loopIndex}`)}`);
      io.out(loopLine(loop));
    }
  } finally {
    rl?.close();
  }
  io.out("");
  io.out(
    r.kind === "reproduced" || r.kind === "fixed"
      ? replayHeadline(r, ctx, st)
      : formatReplay(r, ctx, { full, style: st, withTrace: false }),
  );
}
