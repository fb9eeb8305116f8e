// Frontiers that spill to disk change nothing a search finds: the same counts, depth and
// counterexamples as in memory, down to the states of the trace.
import { describe, expect, it } from "vitest";
import abd, { minorityQuorums } from "../../specs/abd.ts";
import { queriesAtHead } from "../../specs/chain-replication.ts";
import twoPhaseCommit, { commitEarly } from "../../specs/two-phase-commit.ts";
import {
  buildModel,
  checkModel,
  type AnySpec,
  type CheckOptions,
  type CheckResult,
} from "../../src/index.ts";
import { expectMemoryStop, expectSeenSetOverBudget } from "../fixtures/memory-stop.ts";
import { resultSummary } from "../fixtures/result-summary.ts";
import grid from "../fixtures/grid.ts";

/** Everything in memory goes to disk, a few states at a time. */
const TINY: CheckOptions = { memoryBytes: 1, spillChunkStates: 32 };

function run(spec: AnySpec, params: Record<string, number>, options: CheckOptions = {}) {
  return checkModel(buildModel<unknown>(spec, params), options);
}

async function expectSameWhenSpilled(
  spec: AnySpec,
  params: Record<string, number> = {},
): Promise<CheckResult<unknown>> {
  const inMemory = await run(spec, params);
  const spilled = await run(spec, params, TINY);
  expect(inMemory.stats.spilledStates).toBeUndefined();
  expect(spilled.stats.spilledStates).toBeGreaterThan(spilled.stats.distinct / 2);
  expect(resultSummary(spilled)).toEqual(resultSummary(inMemory));
  return spilled;
}

describe("a frontier spilled to disk", () => {
  it.each([
    [3, 288],
    [4, 1_568],
    [5, 8_832],
    [6, 50_816],
  ])("two-phase commit with %i RMs: %i states either way", async (rms, distinct) => {
    const r = await expectSameWhenSpilled(twoPhaseCommit, { rms });
    expect(r.stats.distinct).toBe(distinct);
  });

  it("two-phase commit commitEarly: the same shortest counterexample", async () => {
    await expectSameWhenSpilled(commitEarly, { rms: 4 });
  });

  it("ABD: the same counts, and the same counterexample for minorityQuorums", async () => {
    const r = await expectSameWhenSpilled(abd, { writers: 2, readers: 0, crashes: 0 });
    expect(r.stats.distinct).toBe(4_826);
    await expectSameWhenSpilled(minorityQuorums);
  });

  it("chain replication queriesAtHead, whose trace depends on iteration order", async () => {
    const r = await expectSameWhenSpilled(queriesAtHead);
    expect(r.kind).toBe("violation");
  });
});

describe("running out of memory", () => {
  it("ends incomplete when the seen-set would outgrow the budget", async () => {
    expectSeenSetOverBudget(await run(grid, { n: 400 }, { memoryBytes: 1_500_000 }));
  });

  it("ends incomplete when the heap nears V8's limit although the frontier spills", async () => {
    const r = await run(grid, { n: 200 }, { heapLimitBytes: 1, spillChunkStates: 64 });
    expectMemoryStop(r, /JavaScript heap is within .* of its limit/);
    expect(r.stats.distinct).toBeGreaterThan(0);
  });

  it("ends incomplete when typed arrays cannot be allocated", async () => {
    const Real = globalThis.Uint32Array;
    class Limited extends Real {
      constructor(...args: unknown[]) {
        if (typeof args[0] === "number" && args[0] > 300_000) {
          throw new RangeError("Array buffer allocation failed");
        }
        super(...(args as []));
      }
    }
    globalThis.Uint32Array = Limited;
    let r: CheckResult<unknown>;
    try {
      r = await run(grid, { n: 400 });
    } finally {
      globalThis.Uint32Array = Real;
    }
    expectMemoryStop(r, /cannot allocate a fingerprint table/);
  });
});
