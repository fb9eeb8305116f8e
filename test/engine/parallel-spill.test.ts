// The parallel search past its memory budget: each worker writes its frontier and its
// candidates to disk, a few states at a time, and every result is still the sequential
// search's, down to the states of the counterexample; running out of memory ends the check
// incomplete, with its figures; and no spill file is left behind.
import { mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  checkModelParallel,
  checkParallel,
  type ParallelOptions,
} from "../../src/engine/parallel/check-parallel.ts";
import { WorkerPool } from "../../src/engine/parallel/pool.ts";
import { loadSpec } from "../../src/spec/load-spec.ts";
import type { ParamValue } from "../../src/spec/params.ts";
import { buildModel, withoutTemporalProperties } from "../../src/spec/model.ts";
import { checkModel, type CheckResult } from "../../src/index.ts";
import { expectMemoryStop, expectSeenSetOverBudget } from "../fixtures/memory-stop.ts";
import { resultSummary } from "../fixtures/result-summary.ts";
import { ROOT } from "../fixtures/run-cli.ts";

const root = mkdtempSync(join(tmpdir(), "parallel-spill-"));
const pool = new WorkerPool(2);
afterAll(async () => {
  rmSync(root, { recursive: true, force: true });
  await pool.close();
});
let dirs = 0;
const freshDir = (): string => {
  const dir = join(root, `d${dirs++}`);
  mkdirSync(dir);
  return dir;
};

/** The files under `dir` that this process holds open (Linux: /proc/self/fd). */
function openFilesUnder(dir: string): string[] {
  const open: string[] = [];
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(dir)) open.push(target);
    } catch {
      // Closed since it was listed.
    }
  }
  return open;
}

const TINY = {
  workers: 2,
  pool,
  cwd: ROOT,
  headStartMs: 0,
  replicateBelow: 1,
  // Every imbalance moves states between the workers, from and to disk.
  balanceMinSurplus: 1,
  memoryBytes: 1,
  spillChunkStates: 16,
};

/** The check with 2 workers whose states all go to disk. */
function spilled(
  ref: { path: string; exportName: string },
  params: Record<string, ParamValue>,
  options: Partial<ParallelOptions> = {},
) {
  return checkParallel(ref, params, { ...TINY, ...options });
}

async function expectSameWhenSpilled(
  path: string,
  exportName = "default",
  params: Record<string, ParamValue> = {},
): Promise<CheckResult<unknown>> {
  const { spec, source } = await loadSpec({ path, exportName }, ROOT);
  // Without temporal properties, which only the search on one thread checks.
  const model = withoutTemporalProperties(buildModel<unknown>(spec, params, source));
  const sequential = await checkModel(model);
  const spillDir = freshDir();
  const r = await checkModelParallel(model, { ...TINY, spillDir });
  expect(r.stats.spilledStates).toBeGreaterThan(r.stats.distinct / 2);
  expect(resultSummary(r)).toEqual(resultSummary(sequential));
  // The workers closed their spill files (threads share the process's descriptors), and
  // nothing is left on disk.
  expect(openFilesUnder(spillDir)).toEqual([]);
  expect(readdirSync(spillDir)).toEqual([]);
  return r;
}

describe("the parallel search spilled to disk", () => {
  it.each([
    [3, 288],
    [4, 1_568],
    [5, 8_832],
    [6, 50_816],
  ])("two-phase commit with %i RMs: %i states", async (rms, distinct) => {
    const r = await expectSameWhenSpilled("specs/two-phase-commit.ts", "default", { rms });
    expect(r.stats.distinct).toBe(distinct);
  });

  it("two-phase commit commitEarly: the same shortest counterexample", async () => {
    const r = await expectSameWhenSpilled("specs/two-phase-commit.ts", "commitEarly", { rms: 4 });
    expect(r.kind).toBe("violation");
  });

  it("ABD: the same counts, and the same counterexample for minorityQuorums", async () => {
    const r = await expectSameWhenSpilled("specs/abd.ts", "default", {
      writers: 2,
      readers: 0,
      crashes: 0,
    });
    expect(r.stats.distinct).toBe(4_826);
    expect((await expectSameWhenSpilled("specs/abd.ts", "minorityQuorums")).kind).toBe("violation");
  });

  it("chain replication queriesAtHead, whose trace depends on iteration order", async () => {
    const r = await expectSameWhenSpilled("specs/chain-replication.ts", "queriesAtHead");
    expect(r.kind).toBe("violation");
  });

  it("resumes a checkpoint saved while spilling, to the uninterrupted counts", async () => {
    const ref = { path: "specs/two-phase-commit.ts", exportName: "default" };
    const dir = freshDir();
    const cut = await spilled(ref, { rms: 5 }, { checkpoint: { dir }, maxStates: 3000 });
    expect(cut.kind).toBe("incomplete");
    const resumed = await spilled(ref, { rms: 5 }, { resume: dir });
    expect(resultSummary(resumed)).toEqual({
      kind: "ok",
      distinct: 8_832,
      generated: 58_146,
      depth: 17,
    });
  });
});

const grid = { path: "test/fixtures/grid.ts", exportName: "default" };

describe("worker heaps under a memory budget", () => {
  it("are limited to the workers' shares of it, so that garbage cannot outgrow it", async () => {
    const pools = [
      new WorkerPool(2, { memoryBytes: 2 * 2 ** 30 }),
      new WorkerPool(2, { memoryBytes: 64 * 2 ** 20 }),
      new WorkerPool(2),
    ];
    try {
      expect(pools[0]!.heapLimitBytes).toBe(2 ** 30);
      // Never under 256 MiB: a worker's modules and code need room of their own.
      expect(pools[1]!.heapLimitBytes).toBe(256 * 2 ** 20);
      // Without a budget, V8's own limit at least.
      expect(pools[2]!.heapLimitBytes).toBeGreaterThanOrEqual(2 ** 30);
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
  });
});

describe("the parallel search running out of memory", () => {
  it("ends incomplete when the seen-set would outgrow the budget", async () => {
    expectSeenSetOverBudget(
      await spilled(grid, { n: 400 }, { memoryBytes: 1_500_000, spillChunkStates: 4096 }),
    );
  });

  it("ends incomplete when a worker's heap nears its limit although its states spill", async () => {
    const spillDir = freshDir();
    const r = await spilled(
      grid,
      { n: 200 },
      { heapLimitBytes: 1, spillChunkStates: 64, spillDir },
    );
    expectMemoryStop(r, /JavaScript heap is within .* of its limit/);
    expect(r.stats.distinct).toBeGreaterThan(0);
    expect(readdirSync(spillDir)).toEqual([]);
  });
});
