// The parallel search's head start: the search the calling thread runs on its own while the
// workers start, and when it gives up for them.
import { describe, expect, it } from "vitest";
import { nearlyOver, runHeadStart } from "../../src/engine/parallel/head-start.ts";
import type { Stats } from "../../src/engine/result.ts";
import twoPhaseCommit from "../../specs/two-phase-commit.ts";
import { buildModel, checkModel, defineSpec, param } from "../../src/index.ts";

function stats(distinct: number, elapsedMs: number, estimate: number | null): Stats {
  return {
    generated: distinct,
    distinct,
    queue: 0,
    depth: 1,
    elapsedMs,
    fingerprintBytes: 0,
    collisionProbability: 0,
    estimate,
  };
}

describe("nearlyOver", () => {
  it("is false without an estimate (levels that still grow)", () => {
    expect(nearlyOver(stats(1_000, 400, null))).toBe(false);
  });

  it("compares the time left with the time taken plus a second", () => {
    // 10 states a millisecond: 14,000 left is 1.4 s, against 0.4 s taken + 1 s.
    expect(nearlyOver(stats(4_000, 400, 18_000))).toBe(true);
    expect(nearlyOver(stats(4_000, 400, 18_010))).toBe(false);
    expect(nearlyOver(stats(4_000, 400, 4_000))).toBe(true);
  });
});

// A line of states: one state a level, so the workers would never split a level.
const line = defineSpec<{ readonly i: number }>()({
  params: { n: param.int({ default: 10, min: 1 }) },
  init: () => ({ i: 0 }),
  actions: ({ n }) => ({ Next: (s) => (s.i < n ? { i: s.i + 1 } : null) }),
  terminal: (s, { n }) => s.i === n,
});

describe("runHeadStart", () => {
  it("goes on while the frontier is smaller than what the workers would split", async () => {
    const model = buildModel(line, { n: 60_000 });
    const shown: number[] = [];
    const r = await runHeadStart(
      model,
      // A search that stays in the head start shows its progress.
      { progressIntervalMs: 0, onProgress: (s) => shown.push(s.distinct) },
      undefined,
      512,
      0,
    );
    expect(r).toEqual(expect.objectContaining({ kind: "ok" }));
    expect(r?.stats.distinct).toBe(60_001);
    expect(r?.stats.depth).toBe((await checkModel(model)).stats.depth);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((d, i) => d > 0 && d <= 60_001 && (i === 0 || d >= shown[i - 1]!))).toBe(
      true,
    );
  });

  it("gives up once the frontier is as large, if the search is not nearly over", async () => {
    const model = buildModel(twoPhaseCommit, { rms: 7 });
    expect(await runHeadStart(model, {}, undefined, 512, 0)).toBeNull();
    // Abandoned at its first look at its figures, it shows none.
    const shown: number[] = [];
    const options = { progressIntervalMs: 0, onProgress: (s: Stats) => shown.push(s.distinct) };
    expect(await runHeadStart(model, options, undefined, 1, 0)).toBeNull();
    expect(shown).toEqual([]);
    // The same search, with a threshold its levels never reach, ends in the head start.
    const small = buildModel(twoPhaseCommit, { rms: 4 });
    const r = await runHeadStart(small, {}, undefined, 1_000_000, 0);
    expect(r?.stats.distinct).toBe(4 ** 4 + 2 ** 4 + 6 ** 4);
  });

  it("lasts the length given, whatever the frontier", async () => {
    const model = buildModel(line, { n: 1_000_000 });
    expect(await runHeadStart(model, {}, 1, 512)).toBeNull();
  });

  it("ends with the result the user's own signal or time limit give", async () => {
    const model = buildModel(twoPhaseCommit, { rms: 7 });
    const interrupted = await runHeadStart(model, { signal: AbortSignal.abort() }, undefined, 512);
    expect(interrupted).toEqual(
      expect.objectContaining({ kind: "incomplete", reason: "interrupted" }),
    );
    const timedOut = await runHeadStart(model, { timeLimitMs: 1 }, 300, 512);
    expect(timedOut).toEqual(expect.objectContaining({ kind: "incomplete", reason: "time-limit" }));
  });
});
