// Explanations name the longest valid prefix and the op that cannot come next; budgets turn
// an exhausted search into "unknown".
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  checkLinearizability,
  checkSequentialConsistency,
  formatExplanation,
  historyFromEvents,
  models,
  parseHistory,
  type HistoryEvent,
} from "../../src/lincheck/index.ts";

const ev = (process: number, type: HistoryEvent["type"], f: string, value: HistoryEvent["value"]) =>
  ({ process, type, f, value }) as const;

// p1 reads 1 after p0's write 2 completed: a stale read. Not linearizable, but sequentially
// consistent (order w1 r1 r1 w2).
const stale = historyFromEvents([
  ev(0, "invoke", "write", 1),
  ev(0, "ok", "write", 1),
  ev(1, "invoke", "read", null),
  ev(1, "ok", "read", 1),
  ev(0, "invoke", "write", 2),
  ev(0, "ok", "write", 2),
  ev(1, "invoke", "read", null),
  ev(1, "ok", "read", 1),
]);

describe("linearizability explanation", () => {
  it("gives the longest linearizable prefix and the op that cannot be placed", () => {
    const result = checkLinearizability(stale, models.register);
    expect(result).toEqual({
      ok: false,
      explanation: { prefix: [stale[0], stale[1], stale[2]], blocked: stale[3], state: 2 },
    });
  });

  it("formats the explanation for people", () => {
    const result = checkLinearizability(stale, models.register);
    if (result.ok !== false) throw new Error("expected a violation");
    expect(formatExplanation(result.explanation, models.register)).toBe(
      [
        "longest valid prefix (3 ops):",
        "  #0 process 0: write 1 -> 1 (events 0..1)",
        "  #1 process 1: read nil -> 1 (events 2..3)",
        "  #2 process 0: write 2 -> 2 (events 4..5)",
        "state after the prefix: 2",
        "cannot be placed next: #3 process 1: read nil -> 1 (events 6..7)",
      ].join("\n"),
    );
  });

  it("explains within the failing kv partition", () => {
    const h = historyFromEvents([
      { process: 0, type: "invoke", f: "put", key: "a", value: "x" },
      { process: 0, type: "ok", f: "put", key: "a", value: "x" },
      { process: 1, type: "invoke", f: "append", key: "b", value: "y" },
      { process: 1, type: "ok", f: "append", key: "b", value: "y" },
      { process: 0, type: "invoke", f: "get", key: "a", value: null },
      { process: 0, type: "ok", f: "get", key: "a", value: "xx" },
    ]);
    const result = checkLinearizability(h, models.kv);
    if (result.ok !== false) throw new Error("expected a violation");
    expect(result.explanation.prefix).toEqual([h[0]]);
    expect(result.explanation.blocked).toBe(h[2]);
    expect(models.kv.showState!(result.explanation.state)).toBe('{"a" "x"}');
  });
});

describe("sequential consistency", () => {
  it("accepts the stale read, which respects program order", () => {
    expect(checkSequentialConsistency(stale, models.register)).toEqual({ ok: true });
  });

  it("explains a history that is not sequentially consistent", () => {
    // p0: w1 then reads 2; p1: w2 then reads 1. Each read needs the other's write last.
    const h = historyFromEvents([
      ev(0, "invoke", "write", 1),
      ev(1, "invoke", "write", 2),
      ev(0, "ok", "write", 1),
      ev(1, "ok", "write", 2),
      ev(0, "invoke", "read", null),
      ev(1, "invoke", "read", null),
      ev(0, "ok", "read", 2),
      ev(1, "ok", "read", 1),
    ]);
    const [w1, w2, r2, r1] = h;
    expect([w1!.process, w2!.process, r2!.output, r1!.output]).toEqual([0, 1, 2, 1]);
    expect(checkSequentialConsistency(h, models.register)).toEqual({
      ok: false,
      explanation: { prefix: [w1, w2, r2], blocked: r1, state: 2 },
    });
    expect(checkLinearizability(h, models.register).ok).toBe(false);
  });

  it("rejects a process that invokes again after its incomplete op", () => {
    const h = historyFromEvents([
      ev(0, "invoke", "write", 1),
      ev(0, "info", "write", null),
      ev(0, "invoke", "read", null),
      ev(0, "ok", "read", 1),
    ]);
    expect(() => checkSequentialConsistency(h, models.register)).toThrow(
      "process 0 invokes op 1 after its incomplete op (op 0)",
    );
  });
});

describe("budgets", () => {
  const etcd7 = parseHistory(
    readFileSync(new URL("../../../shared/lin-data/jepsen/etcd_007.log", import.meta.url), "utf8"),
    "jepsen-log",
    { failed: "keep" },
  );

  it("returns unknown when the step budget runs out", () => {
    expect(checkLinearizability(etcd7, models["cas-register"], { maxSteps: 1000 })).toEqual({
      ok: "unknown",
      reason: "max-steps",
    });
    expect(checkSequentialConsistency(etcd7, models["cas-register"], { maxSteps: 10 })).toEqual({
      ok: "unknown",
      reason: "max-steps",
    });
  });

  it("returns unknown when the time budget runs out", () => {
    // This search takes about two million steps, far beyond 1 ms.
    expect(checkLinearizability(etcd7, models["cas-register"], { timeoutMs: 1 })).toEqual({
      ok: "unknown",
      reason: "timeout",
    });
  });

  it("is not fooled by a budget that suffices", () => {
    expect(
      checkLinearizability(stale, models.register, { maxSteps: 100, timeoutMs: 10_000 }).ok,
    ).toBe(false);
  });
});
