// `protomc lincheck`: checks a recorded client history (Jepsen log, EDN lines or JSON) for
// linearizability or sequential consistency against a sequential model.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  checkLinearizability,
  checkSequentialConsistency,
  formatExplanation,
  HistoryError,
  HistoryParseError,
  isModelName,
  models,
  parseHistory,
  type CheckResult,
  type History,
  type HistoryFormat,
} from "../../lincheck/index.ts";
import { duration } from "../../report/numbers.ts";
import { styleFor } from "../../report/style.ts";
import { formatFlags, parseArgs, type FlagTable } from "../args.ts";
import { EXIT } from "../exit-codes.ts";
import type { Io } from "../io.ts";
import { UsageError } from "../usage-error.ts";

const FORMATS: readonly (HistoryFormat | "auto")[] = ["auto", "jepsen-log", "edn", "json"];

const FLAGS = {
  model: { type: "string", value: "MODEL", description: "register | cas-register | kv (required)" },
  consistency: {
    type: "string",
    value: "KIND",
    description: "linearizable (default) | sequential",
  },
  format: {
    type: "string",
    value: "FORMAT",
    description: "auto (default) | jepsen-log | edn | json",
  },
  "time-limit": { type: "number", value: "S", description: "give up after S seconds (exit 4)" },
  json: { type: "boolean", description: "print one JSON object on stdout" },
  help: { type: "boolean", description: "show this help" },
} as const satisfies FlagTable;

export const LINCHECK_HELP = `Usage: protomc lincheck <history-file> --model register|cas-register|kv [flags]

Checks that a recorded history of client operations is linearizable (or, with
--consistency sequential, sequentially consistent) for a sequential model.
Accepts Jepsen-style logs (:invoke / :ok / :fail / :info lines), one EDN map per
line, or protomc's JSON format (docs/lincheck.md). Operations that never returned
(:info) may or may not have taken effect.

Flags:
${formatFlags(FLAGS)}

Exit codes: 0 linearizable, 1 not linearizable, 2 malformed history,
3 usage error, 4 gave up (time limit).`;

export function runLincheck(argv: readonly string[], io: Io): Promise<number> {
  // The check is synchronous; a promise keeps the command interface uniform.
  return new Promise((done) => done(lincheck(argv, io)));
}

function lincheck(argv: readonly string[], io: Io): number {
  const { flags, positionals } = parseArgs(argv, FLAGS);
  if (flags.help) {
    io.out(LINCHECK_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError("lincheck needs exactly one history file");
  const model = flags.model;
  if (model === undefined || !isModelName(model)) {
    throw new UsageError(
      `--model must be one of register, cas-register, kv` +
        (model === undefined ? "" : `, got "${model}"`),
    );
  }
  const format = (flags.format ?? "auto") as HistoryFormat | "auto";
  if (!FORMATS.includes(format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, got "${format}"`);
  }
  const consistency = flags.consistency ?? "linearizable";
  if (consistency !== "linearizable" && consistency !== "sequential") {
    throw new UsageError(`--consistency must be linearizable or sequential, got "${consistency}"`);
  }
  const file = positionals[0]!;
  const st = styleFor(io.stdout);
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, file), "utf8");
  } catch (e) {
    return malformed(io, flags.json, file, `cannot read the file: ${(e as Error).message}`);
  }
  let history: History;
  try {
    history = parseHistory(text, format);
  } catch (e) {
    if (e instanceof HistoryParseError || e instanceof HistoryError) {
      return malformed(io, flags.json, file, e.message);
    }
    throw e;
  }
  const m = models[model];
  const started = performance.now();
  const opts = flags["time-limit"] === undefined ? {} : { timeoutMs: flags["time-limit"] * 1000 };
  const result: CheckResult<unknown> =
    consistency === "linearizable"
      ? checkLinearizability(history, m, opts)
      : checkSequentialConsistency(history, m, opts);
  const ms = performance.now() - started;
  const what = consistency === "linearizable" ? "linearizable" : "sequentially consistent";
  const ops = history.length;
  if (result.ok === true) {
    if (flags.json)
      io.out(JSON.stringify({ result: "ok", model, consistency, ops, elapsedMs: ms }));
    else
      io.out(`${st.green("✓")} ${file}: ${what} as ${model} (${ops} operations, ${duration(ms)})`);
    return EXIT.ok;
  }
  if (result.ok === "unknown") {
    if (flags.json) {
      io.out(
        JSON.stringify({ result: "incomplete", reason: result.reason, model, ops, elapsedMs: ms }),
      );
    } else io.out(`${st.yellow("…")} ${file}: gave up (${result.reason}) after ${duration(ms)}`);
    return EXIT.incomplete;
  }
  const explanation = formatExplanation(result.explanation, m);
  if (flags.json) {
    io.out(
      JSON.stringify({
        result: "violation",
        model,
        consistency,
        ops,
        elapsedMs: ms,
        explanation,
      }),
    );
  } else {
    io.out(`${st.red("✗")} ${file}: not ${what} as ${model} (${ops} operations, ${duration(ms)})`);
    io.out(explanation.replace(/^/gm, "  "));
  }
  return EXIT.violation;
}

function malformed(io: Io, json: boolean, file: string, message: string): number {
  if (json) io.out(JSON.stringify({ result: "specError", error: { code: "PMC007", message } }));
  else io.err(`${styleFor(io.stderr).red("error")} [PMC007] ${file}: ${message}`);
  return EXIT.specError;
}
