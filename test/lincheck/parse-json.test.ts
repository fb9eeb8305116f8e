// Our JSON format (docs/lincheck.md) and format detection.
import { describe, expect, it } from "vitest";
import { detectFormat, parseHistory } from "../../src/lincheck/index.ts";
import { parseError } from "./parse-helpers.ts";

describe("JSON", () => {
  it("reads events", () => {
    const text = `[
      {"process": "a", "type": "invoke", "f": "cas", "value": [null, 1]},
      {"process": "a", "type": "ok", "f": "cas", "value": [null, 1]},
      {"process": "b", "type": "invoke", "f": "get", "key": "k", "value": null, "time": 17}
    ]`;
    expect(parseHistory(text)).toEqual([
      {
        id: 0,
        process: "a",
        f: "cas",
        input: [null, 1],
        output: [null, 1],
        status: "ok",
        call: 0,
        ret: 1,
      },
      {
        id: 1,
        process: "b",
        f: "get",
        key: "k",
        input: null,
        output: undefined,
        status: "info",
        call: 2,
        ret: Infinity,
      },
    ]);
  });

  it("reads ops, with defaults, dropping or keeping fails", () => {
    const text = `[
      {"process": 0, "f": "write", "input": 1, "call": 0, "ret": 2},
      {"process": 1, "f": "read", "output": 1, "call": 1, "ret": 3},
      {"process": 2, "f": "cas", "input": [0, 1], "call": 1, "ret": 4, "status": "fail"},
      {"process": 3, "f": "write", "input": 2, "call": 5, "ret": null}
    ]`;
    expect(parseHistory(text, "json")).toEqual([
      { id: 0, process: 0, f: "write", input: 1, output: null, status: "ok", call: 0, ret: 2 },
      { id: 1, process: 1, f: "read", input: null, output: 1, status: "ok", call: 1, ret: 3 },
      {
        id: 2,
        process: 3,
        f: "write",
        input: 2,
        output: undefined,
        status: "info",
        call: 5,
        ret: Infinity,
      },
    ]);
    const kept = parseHistory(text, "json", { failed: "keep" });
    expect(kept.map((op) => op.status)).toEqual(["ok", "ok", "fail", "info"]);
  });

  it("reports syntax errors with the line", () => {
    const e = parseError(() =>
      parseHistory(
        '[\n  {"process": 0, "type": "invoke", "f": "read"},\n  {"process": 0 "type": "ok"}\n]',
      ),
    );
    expect([e.line, e.lineText, e.problem]).toEqual([
      3,
      '  {"process": 0 "type": "ok"}',
      "expected ',' or '}' in an object",
    ]);
  });

  it("reports bad elements with their line and index", () => {
    const text =
      '[\n{"process": 0, "type": "invoke", "f": "read"},\n{"process": 0, "type": "ok", "f": "read", "vaule": 1}\n]';
    const e = parseError(() => parseHistory(text));
    expect(e.message).toBe(
      'line 3: element 1: unknown field "vaule"; expected only the fields of ' +
        '{"process": 0, "type": "invoke", "f": "write", "value": 1} (see docs/lincheck.md)\n' +
        '  3 | {"process": 0, "type": "ok", "f": "read", "vaule": 1}',
    );
    const mixed =
      '[{"process": 0, "f": "read", "call": 0, "ret": 1},\n {"process": 0, "type": "ok", "f": "read"}]';
    expect(parseError(() => parseHistory(mixed)).problem).toBe(
      "element 1: an event among ops (do not mix the two forms)",
    );
    const infoRet = '[{"process": 0, "f": "read", "call": 0, "ret": 1, "status": "info"}]';
    expect(parseError(() => parseHistory(infoRet)).problem).toBe(
      "element 0: op 0: an info op cannot have a finite ret",
    );
    const backwards = '[{"process": 0, "f": "read", "call": 5, "ret": 1}]';
    expect(parseError(() => parseHistory(backwards)).problem).toBe(
      "element 0: op 0: ret 1 is before call 5",
    );
  });

  it("rejects a top-level value that is not an array", () => {
    const e = parseError(() => parseHistory('{"ops": []}', "json"));
    expect([e.line, e.expected]).toEqual([1, "a JSON array of events or ops"]);
  });
});

describe("format detection", () => {
  it("guesses from the first non-blank line", () => {
    expect(detectFormat("\n  [")).toBe("json");
    expect(detectFormat("{:process 0}")).toBe("edn");
    expect(detectFormat("INFO  jepsen.util - 0 :invoke :read nil")).toBe("jepsen-log");
    expect(parseHistory("")).toEqual([]);
  });
});
