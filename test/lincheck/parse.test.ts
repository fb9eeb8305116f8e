import { describe, expect, it } from "vitest";
// Jepsen logs and EDN lines (the lin-data formats); the JSON format is in parse-json.test.ts.
import { parseHistory, type Operation } from "../../src/lincheck/index.ts";
import { parseError } from "./parse-helpers.ts";

const LOG = [
  "INFO  jepsen.util - 0\t:invoke\t:read\tnil",
  "INFO  jepsen.util - 1\t:invoke\t:cas\t[nil 2]",
  "INFO  jepsen.util - 0\t:ok\t:read\tnil",
  "",
  "INFO  jepsen.util - :nemesis\t:info\t:start\tnil",
  "INFO  jepsen.util - 1   :fail   :cas    [nil 2]",
  "INFO  jepsen.util - 2\t:invoke\t:write\t3",
  "INFO  jepsen.util - 2\t:info\t:write\t:timed-out",
  "INFO  jepsen.util - 3\t:invoke\t:read\tnil",
  "INFO  jepsen.util - 3\t:fail\t:read\t:timed-out",
  "INFO  jepsen.util - 4\t:invoke\t:cas\t[3 4]",
  "INFO  jepsen.util - 4\t:ok\t:cas\t[3 4]",
  "INFO  jepsen.util - 5\t:invoke\t:write\t0",
].join("\n");

describe("Jepsen logs", () => {
  it("pairs events by process, drops :fail and keeps :info and unanswered ops incomplete", () => {
    const ops: Operation[] = [
      { id: 0, process: 0, f: "read", input: null, output: null, status: "ok", call: 0, ret: 2 },
      {
        id: 1,
        process: 2,
        f: "write",
        input: 3,
        output: undefined,
        status: "info",
        call: 4,
        ret: Infinity,
      },
      { id: 2, process: 4, f: "cas", input: [3, 4], output: [3, 4], status: "ok", call: 8, ret: 9 },
      {
        id: 3,
        process: 5,
        f: "write",
        input: 0,
        output: undefined,
        status: "info",
        call: 10,
        ret: Infinity,
      },
    ];
    expect(parseHistory(LOG)).toEqual(ops);
    expect(parseHistory(LOG, "jepsen-log", { failed: "drop" })).toEqual(ops);
  });

  it("keeps :fail ops when asked, with their completion positions", () => {
    const h = parseHistory(LOG, "jepsen-log", { failed: "keep" });
    expect(h.map((op) => [op.id, op.process, op.f, op.status, op.call, op.ret])).toEqual([
      [0, 0, "read", "ok", 0, 2],
      [1, 1, "cas", "fail", 1, 3],
      [2, 2, "write", "info", 4, Infinity],
      [3, 3, "read", "fail", 6, 7],
      [4, 4, "cas", "ok", 8, 9],
      [5, 5, "write", "info", 10, Infinity],
    ]);
    expect(h[1]!.input).toEqual([null, 2]);
  });

  it("reports an unknown event type with its line", () => {
    const text =
      "INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:okay\t:read\t1\n";
    const e = parseError(() => parseHistory(text));
    expect([e.line, e.lineText, e.expected]).toEqual([
      2,
      "INFO  jepsen.util - 0\t:okay\t:read\t1",
      ":invoke, :ok, :fail or :info",
    ]);
    expect(e.message).toBe(
      'line 2: bad type ":okay"; expected :invoke, :ok, :fail or :info\n' +
        "  2 | INFO  jepsen.util - 0\t:okay\t:read\t1",
    );
  });

  it("reports a completion that was never invoked", () => {
    const text =
      "INFO  jepsen.util - 0\t:invoke\t:read\tnil\n\nINFO  jepsen.util - 1\t:ok\t:read\t1";
    const e = parseError(() => parseHistory(text));
    expect(e.line).toBe(3);
    expect(e.message).toBe(
      "line 3: process 1 completes read it never invoked; expected a well-formed history\n" +
        "  3 | INFO  jepsen.util - 1\t:ok\t:read\t1",
    );
  });

  it("reports a second invocation while one is pending, and mismatched completions", () => {
    const twice = "INFO  jepsen.util - 0 :invoke :read nil\nINFO  jepsen.util - 0 :invoke :write 1";
    expect(parseError(() => parseHistory(twice)).message).toContain(
      "line 2: process 0 invokes write while its read (event 0) is still pending",
    );
    const mismatch = "INFO  jepsen.util - 0 :invoke :read nil\nINFO  jepsen.util - 0 :ok :write 1";
    expect(parseError(() => parseHistory(mismatch)).message).toContain(
      "line 2: process 0 completes write but invoked read",
    );
  });

  it("reports lines that are not log events, and bad values", () => {
    expect(parseError(() => parseHistory("hello world")).message).toBe(
      "line 1: expected INFO  jepsen.util - <process> <:type> <:f> <value>\n  1 | hello world",
    );
    const e = parseError(() => parseHistory("INFO  jepsen.util - 0\t:invoke\t:cas\t[1 2"));
    expect([e.line, e.expected, e.problem]).toEqual([
      1,
      "an EDN value such as nil, 3 or [1 2]",
      "expected ']' to close '['",
    ]);
    expect(parseError(() => parseHistory("INFO  jepsen.util - x :invoke :read nil")).problem).toBe(
      'bad process "x"',
    );
  });
});

describe("EDN lines", () => {
  it("reads kv maps with keys, strings and nil", () => {
    const text = [
      '{:process 9, :type :invoke, :f :append, :key "0", :value "x 9 0 y"}',
      '{:process 1, :type :invoke, :f :get, :key "0", :value nil}',
      '{:process 9, :type :ok, :f :append, :key "0", :value "x 9 0 y"}',
      '{:process 1, :type :ok, :f :get, :key "0", :value "x 9 0 y"}',
      "{:process :nemesis, :type :info, :f :start, :value nil}",
      '{:process 2 :type :invoke :f :put :key 7 :value "a\\"b"}',
    ].join("\n");
    const ops: Operation[] = [
      {
        id: 0,
        process: 9,
        f: "append",
        key: "0",
        input: "x 9 0 y",
        output: "x 9 0 y",
        status: "ok",
        call: 0,
        ret: 2,
      },
      {
        id: 1,
        process: 1,
        f: "get",
        key: "0",
        input: null,
        output: "x 9 0 y",
        status: "ok",
        call: 1,
        ret: 3,
      },
      {
        id: 2,
        process: 2,
        f: "put",
        key: "7",
        input: 'a"b',
        output: undefined,
        status: "info",
        call: 4,
        ret: Infinity,
      },
    ];
    expect(parseHistory(text)).toEqual(ops);
  });

  it("reports malformed maps with their line", () => {
    const ok = '{:process 1, :type :invoke, :f :get, :key "0", :value nil}';
    const e1 = parseError(() => parseHistory(`${ok}\n{:process 1, :f :get, :value nil}`));
    expect([e1.line, e1.problem, e1.expected]).toEqual([
      2,
      "missing :type",
      ":type with :invoke, :ok, :fail or :info",
    ]);
    const e2 = parseError(() =>
      parseHistory(`${ok}\n\n{:process 1, :type :ok, :f :get, :value "x}`),
    );
    expect([e2.line, e2.problem]).toEqual([3, "unterminated string at column 41"]);
    const e3 = parseError(() => parseHistory("  {:process 1 :type}", "edn"));
    expect(e3.problem).toBe("a map needs an even number of forms at column 3");
  });
});
