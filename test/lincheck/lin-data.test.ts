// Every history in /work/shared/lin-data gets the verdict Porcupine's tests assert
// (verdicts.tsv). The etcd verdicts were defined with failed cas ops read as observations
// (`failed: "keep"`); we also check that Jepsen's reading (drop them) gives the same verdicts
// on this data. A generous deterministic step cap turns a performance regression (say, a
// broken memo table) into a failure instead of a slow test; wall-clock times are reported.
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import {
  checkLinearizability,
  isModelName,
  models,
  parseHistory,
  type FailedOps,
} from "../../src/lincheck/index.ts";

const DATA = new URL("../../../shared/lin-data/", import.meta.url);
const rows = readFileSync(new URL("verdicts.tsv", DATA), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => {
    const [file, model, expected] = line.split("\t") as [string, string, string];
    return { file, model, expected };
  });

// The hardest history needs about 2 million steps (etcd_007 with failed ops kept).
const MAX_STEPS = 8_000_000;
// Wall-clock and process CPU time: on a shared machine the wall clock mostly measures the
// neighbours.
const timings: { file: string; failed: FailedOps; ms: number; cpuMs: number }[] = [];

describe.each(["keep", "drop"] as const)("lin-data with failed ops %s", (failed) => {
  it.each(rows)("$file is $expected", ({ file, model, expected }) => {
    if (!isModelName(model)) throw new Error(`unknown model ${model}`);
    const history = parseHistory(readFileSync(new URL(file, DATA), "utf8"), "auto", { failed });
    const start = performance.now();
    const cpu = process.cpuUsage();
    const result = checkLinearizability(history, models[model], { maxSteps: MAX_STEPS });
    const { user, system } = process.cpuUsage(cpu);
    timings.push({ file, failed, ms: performance.now() - start, cpuMs: (user + system) / 1000 });
    const got =
      result.ok === true ? "linearizable" : result.ok === false ? "not-linearizable" : "unknown";
    expect(got).toBe(expected);
  });
});

it("covers all 108 rows, 23 + 3 linearizable", () => {
  expect(rows.length).toBe(108);
  expect(rows.filter((r) => r.expected === "linearizable").length).toBe(26);
});

it("the empty etcd_095 log (no verdict upstream) parses to an empty, linearizable history", () => {
  const history = parseHistory(readFileSync(new URL("jepsen/etcd_095.log", DATA), "utf8"));
  expect(history).toEqual([]);
  expect(checkLinearizability(history, models["cas-register"])).toEqual({ ok: true });
});

it("parses the inventory's op counts for etcd_000 (85 ops: 49 ok, 16 info; 20 fail kept)", () => {
  const text = readFileSync(new URL("jepsen/etcd_000.log", DATA), "utf8");
  const kept = parseHistory(text, "jepsen-log", { failed: "keep" });
  expect(kept.length).toBe(85);
  expect(kept.filter((op) => op.status === "ok").length).toBe(49);
  expect(kept.filter((op) => op.status === "fail").length).toBe(20);
  expect(kept.filter((op) => op.status === "info").length).toBe(16);
  expect(parseHistory(text).length).toBe(65);
});

afterAll(() => {
  const slowest = [...timings].sort((a, b) => b.ms - a.ms).slice(0, 5);
  const total = timings.reduce((t, x) => t + x.ms, 0);
  console.log(
    `lin-data: ${timings.length} checks in ${total.toFixed(0)} ms; slowest: ` +
      slowest
        .map((t) => `${t.file} (${t.failed}) ${t.ms.toFixed(1)} ms (cpu ${t.cpuMs.toFixed(1)} ms)`)
        .join(", "),
  );
});
