// Text formats -> History. Three formats, all with one event per line in real-time order
// except the JSON one (see parse-json.ts and docs/lincheck.md):
//
//   jepsen-log  `INFO  jepsen.util - 3  :invoke  :cas  [1 2]` (the etcd logs in lin-data)
//   edn         `{:process 4, :type :ok, :f :get, :key "3", :value ""}` (the kv files)
//   json        our own format, an array of events or of ops
//
// None of these files carry usable timestamps, so an event's position in the file is its
// time. Every malformed line raises HistoryParseError naming the line.
import { Keyword, EdnMap, EdnSyntaxError, readEdn, type Edn } from "./edn.ts";
import {
  HistoryError,
  historyFromEvents,
  type EventType,
  type FailedOps,
  type History,
  type HistoryEvent,
} from "./history.ts";
import { parseJsonHistory } from "./parse-json.ts";
import { HistoryParseError } from "./parse-error.ts";
import type { Value } from "./values.ts";

export type HistoryFormat = "jepsen-log" | "edn" | "json";

export interface ParseOptions {
  /** What to do with `:fail` completions; default `drop` (see FailedOps). */
  readonly failed?: FailedOps | undefined;
}

/** Parses a history, guessing the format from the first non-blank line unless given. */
export function parseHistory(
  text: string,
  format: HistoryFormat | "auto" = "auto",
  options: ParseOptions = {},
): History {
  const fmt = format === "auto" ? detectFormat(text) : format;
  const failed = options.failed ?? "drop";
  if (fmt === "json") return parseJsonHistory(text, failed);
  return parseLines(text, fmt, failed);
}

export function detectFormat(text: string): HistoryFormat {
  const first = text.split("\n").find((l) => l.trim() !== "" && !l.trim().startsWith(";"));
  const start = first?.trimStart() ?? "";
  if (start.startsWith("[")) return "json";
  if (start.startsWith("{")) return "edn";
  return "jepsen-log";
}

const TYPES: readonly EventType[] = ["invoke", "ok", "fail", "info"];
const LOG_LINE = /jepsen\.util\s+-\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+(.*?))?\s*$/;
const LOG_SHAPE = "INFO  jepsen.util - <process> <:type> <:f> <value>";

function parseLines(text: string, fmt: "jepsen-log" | "edn", failed: FailedOps): History {
  const lines = text.split("\n").map((l) => l.replace(/\r$/, ""));
  const events: HistoryEvent[] = [];
  const lineOf: number[] = [];
  lines.forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith(";")) return;
    const fail = (expected: string, problem?: string): never => {
      throw new HistoryParseError(i + 1, raw, expected, problem);
    };
    const event = fmt === "edn" ? ednLine(raw, fail) : logLine(raw, fail);
    if (event === undefined) return;
    events.push(event);
    lineOf.push(i + 1);
  });
  try {
    return historyFromEvents(events, failed);
  } catch (e) {
    if (!(e instanceof HistoryError)) throw e;
    const line = lineOf[e.index]!;
    throw new HistoryParseError(line, lines[line - 1]!, "a well-formed history", e.message);
  }
}

type Fail = (expected: string, problem?: string) => never;

/** One Jepsen log line; `undefined` for nemesis lines, which are not client operations. */
function logLine(raw: string, fail: Fail): HistoryEvent | undefined {
  const m = LOG_LINE.exec(raw);
  if (!m) return fail(LOG_SHAPE);
  const [, proc, type, f, rest] = m as unknown as [
    string,
    string,
    string,
    string,
    string | undefined,
  ];
  if (proc === ":nemesis") return undefined;
  if (!/^\d+$/.test(proc))
    fail("a process number or :nemesis", `bad process ${JSON.stringify(proc)}`);
  const t = type.startsWith(":") ? type.slice(1) : "";
  if (!TYPES.includes(t as EventType))
    fail(":invoke, :ok, :fail or :info", `bad type ${JSON.stringify(type)}`);
  if (!/^:[^\s:]+$/.test(f))
    fail("an operation keyword such as :read", `bad operation ${JSON.stringify(f)}`);
  if (rest === undefined || rest === "") return fail(LOG_SHAPE, "missing value");
  const value = readValue(rest, fail);
  return { process: Number(proc), type: t as EventType, f: f.slice(1), value };
}

const EDN_SHAPE = "an EDN map like {:process 0, :type :invoke, :f :read, :value nil}";

function ednLine(line: string, fail: Fail): HistoryEvent | undefined {
  let form: Edn;
  try {
    form = readEdn(line);
  } catch (e) {
    if (e instanceof EdnSyntaxError)
      return fail(EDN_SHAPE, `${e.message} at column ${e.offset + 1}`);
    throw e;
  }
  if (!(form instanceof EdnMap)) return fail(EDN_SHAPE, "not a map");
  const proc = form.get("process");
  const type = form.get("type");
  const f = form.get("f");
  const key = form.get("key");
  if (proc instanceof Keyword && proc.name === "nemesis") return undefined;
  if (typeof proc !== "number" || !Number.isInteger(proc)) {
    return fail(
      ":process with an integer (or :nemesis)",
      proc === undefined ? "missing :process" : "bad :process",
    );
  }
  if (!(type instanceof Keyword) || !TYPES.includes(type.name as EventType)) {
    return fail(
      ":type with :invoke, :ok, :fail or :info",
      type === undefined ? "missing :type" : "bad :type",
    );
  }
  if (!(f instanceof Keyword))
    return fail(":f with a keyword such as :get", f === undefined ? "missing :f" : "bad :f");
  if (key !== undefined && key !== null && typeof key !== "string" && typeof key !== "number") {
    return fail(":key with a string or an integer", "bad :key");
  }
  const value = toValue(form.get("value") ?? null, fail);
  const event = { process: proc, type: type.name as EventType, f: f.name, value };
  // Integer keys become strings so that kv keys have one type; "3" and 3 are the same key.
  return key === undefined || key === null ? event : { ...event, key: String(key) };
}

function readValue(text: string, fail: Fail): Value {
  try {
    return toValue(readEdn(text), fail);
  } catch (e) {
    if (e instanceof EdnSyntaxError) return fail("an EDN value such as nil, 3 or [1 2]", e.message);
    throw e;
  }
}

/** EDN -> Value. Keywords (only ever seen as :timed-out and the like) become ":name". */
function toValue(v: Edn, fail: Fail): Value {
  if (v instanceof Keyword) return `:${v.name}`;
  if (v instanceof EdnMap)
    return fail("a value that is nil, a boolean, a number, a string or a vector", "map value");
  if (Array.isArray(v)) return v.map((x: Edn) => toValue(x, fail));
  return v as Value;
}
