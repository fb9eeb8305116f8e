// protomc's own JSON history format (specified in docs/lincheck.md): a top-level array whose
// elements are either all events (Jepsen-style, position = array index) or all ops (explicit
// call/ret positions). Fields are checked strictly, because a misspelt "ouput" silently
// read as "no output" would change the verdict rather than fail loudly.
import {
  HistoryError,
  historyFromEvents,
  historyFromOps,
  type EventType,
  type FailedOps,
  type History,
  type HistoryEvent,
  type OpSpec,
  type OpStatus,
} from "./history.ts";
import { readJsonArray, JsonSyntaxError, type Located } from "./json-reader.ts";
import { HistoryParseError, lineAt } from "./parse-error.ts";
import { isValue } from "./values.ts";

const EVENT_SHAPE = '{"process": 0, "type": "invoke", "f": "write", "value": 1}';
const OP_SHAPE = '{"process": 0, "f": "write", "input": 1, "call": 0, "ret": 3}';
const EVENT_FIELDS = new Set(["process", "type", "f", "key", "value", "time", "index"]);
const OP_FIELDS = new Set(["process", "f", "key", "input", "output", "call", "ret", "status"]);

export function parseJsonHistory(text: string, failed: FailedOps): History {
  let items: Located[];
  try {
    items = readJsonArray(text);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    const { line, lineText } = lineAt(text, e.offset);
    throw new HistoryParseError(line, lineText, "a JSON array of events or ops", e.message);
  }
  const failAt = (k: number, expected: string, problem?: string): never => {
    const { line, lineText } = lineAt(text, items[k]!.offset);
    throw new HistoryParseError(
      line,
      lineText,
      expected,
      `element ${k}: ${problem ?? "malformed"}`,
    );
  };
  if (items.length === 0) return [];
  const isOps = isObject(items[0]!.value) && "call" in items[0]!.value;
  try {
    if (isOps)
      return historyFromOps(
        items.map((it, k) => toOp(it.value, (e, p) => failAt(k, e, p))),
        failed,
      );
    return historyFromEvents(
      items.map((it, k) => toEvent(it.value, (e, p) => failAt(k, e, p))),
      failed,
    );
  } catch (e) {
    if (e instanceof HistoryError) return failAt(e.index, "a well-formed history", e.message);
    throw e;
  }
}

type Fail = (expected: string, problem?: string) => never;

function toEvent(x: unknown, fail: Fail): HistoryEvent {
  if (!isObject(x)) return fail(`an event object like ${EVENT_SHAPE}`, "not an object");
  if ("call" in x)
    return fail(`an event like ${EVENT_SHAPE}`, "an op among events (do not mix the two forms)");
  checkFields(x, EVENT_FIELDS, EVENT_SHAPE, fail);
  const { process, type, f, key } = x;
  const value = x["value"] ?? null;
  if (typeof process !== "number" && typeof process !== "string")
    fail('"process": a number or a string', "bad process");
  if (!["invoke", "ok", "fail", "info"].includes(type as string)) {
    fail('"type": "invoke", "ok", "fail" or "info"', `bad type ${JSON.stringify(type)}`);
  }
  if (typeof f !== "string" || f === "") fail('"f": a non-empty string such as "read"', "bad f");
  if (key !== undefined && typeof key !== "string") fail('"key": a string', "bad key");
  if (!isValue(value))
    fail('"value": null, a boolean, a number, a string or an array of these', "bad value");
  const event = { process, type: type as EventType, f, value };
  return key === undefined ? event : { ...event, key };
}

function toOp(x: unknown, fail: Fail): OpSpec {
  if (!isObject(x)) return fail(`an op object like ${OP_SHAPE}`, "not an object");
  if ("type" in x)
    return fail(`an op like ${OP_SHAPE}`, "an event among ops (do not mix the two forms)");
  checkFields(x, OP_FIELDS, OP_SHAPE, fail);
  const { process, f, key, input, output, call, ret, status } = x;
  if (typeof process !== "number" && typeof process !== "string")
    fail('"process": a number or a string', "bad process");
  if (typeof f !== "string" || f === "") fail('"f": a non-empty string such as "read"', "bad f");
  if (key !== undefined && typeof key !== "string") fail('"key": a string', "bad key");
  if (input !== undefined && !isValue(input))
    fail('"input": null, a boolean, a number, a string or an array', "bad input");
  if (output !== undefined && !isValue(output))
    fail('"output": null, a boolean, a number, a string or an array', "bad output");
  if (typeof call !== "number") fail('"call": a number', "bad call");
  if (ret !== undefined && ret !== null && typeof ret !== "number")
    fail('"ret": a number or null', "bad ret");
  if (status !== undefined && !["ok", "fail", "info"].includes(status as string)) {
    fail('"status": "ok", "fail" or "info"', `bad status ${JSON.stringify(status)}`);
  }
  return { process, f, key, input, output, call, ret, status: status as OpStatus | undefined };
}

function checkFields(
  x: Record<string, unknown>,
  allowed: ReadonlySet<string>,
  shape: string,
  fail: Fail,
): void {
  for (const k of Object.keys(x)) {
    if (!allowed.has(k))
      fail(`only the fields of ${shape} (see docs/lincheck.md)`, `unknown field "${k}"`);
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
