// Checkpoints across engines: a search saved by the parallel search (at level boundaries, or
// mid-level when stopped) or by the search on one thread (mid-level) resumes with any number
// of workers, and ends exactly as the search run in one go.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CheckpointReader } from "../../src/engine/checkpoint.ts";
import { CheckpointMismatch } from "../../src/engine/checkpointer.ts";
import { checkParallel } from "../../src/engine/parallel/check-parallel.ts";
import { WorkerPool } from "../../src/engine/parallel/pool.ts";
import type { CheckpointSaved } from "../../src/engine/options.ts";
import { loadSpec } from "../../src/spec/load-spec.ts";
import { buildModel, checkModel, type CheckOptions, type CheckResult } from "../../src/index.ts";
import { ROOT } from "../fixtures/run-cli.ts";

const root = mkdtempSync(join(tmpdir(), "parallel-checkpoint-"));
const pool = new WorkerPool(3);
afterAll(async () => {
  rmSync(root, { recursive: true, force: true });
  await pool.close();
});
let dirs = 0;
const freshDir = (): string => join(root, `c${dirs++}`);

function summary(r: CheckResult<unknown>) {
  return {
    kind: r.kind,
    distinct: r.stats.distinct,
    generated: r.stats.generated,
    depth: r.stats.depth,
    labels: r.kind === "violation" ? r.violation.trace.map((s) => s.label) : null,
  };
}

const source = (exportName: string) => ({ path: "specs/two-phase-commit.ts", exportName });

/** Runs the check with `workers` (1: the search on one thread) and `options`. */
async function run(exportName: string, workers: number, options: CheckOptions) {
  const params = { rms: 5 };
  if (workers === 1) {
    const loaded = await loadSpec(source(exportName), ROOT);
    return checkModel(buildModel<unknown>(loaded.spec, params, loaded.source), options);
  }
  return checkParallel(source(exportName), params, { ...options, workers, pool, cwd: ROOT });
}

/** A run stopped (as by Ctrl-C) right after its `saves`-th checkpoint; returns its directory. */
async function interrupted(exportName: string, workers: number, saves: number, more = {}) {
  const dir = freshDir();
  const controller = new AbortController();
  const saved: CheckpointSaved[] = [];
  const r = await run(exportName, workers, {
    checkpoint: { dir, everyMs: 0 },
    signal: controller.signal,
    onCheckpoint: (c) => {
      saved.push(c);
      if (saved.length === saves) controller.abort();
    },
    ...more,
  });
  expect(saved.every((c) => c.error === undefined)).toBe(true);
  return { dir, result: r, saved };
}

describe("parallel checkpoints", () => {
  it("resume with 1, 2 or 3 workers to the counts of an uninterrupted run", async () => {
    const want = summary(await run("default", 1, {}));
    expect(want).toMatchObject({ kind: "ok", distinct: 8832 });
    for (const saves of [2, 5]) {
      const { dir, result, saved } = await interrupted("default", 2, saves);
      expect(result).toMatchObject({ kind: "incomplete", reason: "interrupted" });
      // The boundary checkpoints, then the one of the level the interruption cut short.
      expect(saved.length).toBe(saves + 1);
      for (const workers of [1, 2, 3]) {
        expect({
          saves,
          workers,
          ...summary(await run("default", workers, { resume: dir })),
        }).toEqual({ saves, workers, ...want });
      }
    }
  });

  it("resume a search saved mid-level on one thread with workers", async () => {
    const want = summary(await run("default", 1, {}));
    const dir = freshDir();
    // The state limit stops the search in the middle of a level, where it is saved.
    const cut = await run("default", 1, { checkpoint: { dir }, maxStates: 3000 });
    expect(cut).toMatchObject({ kind: "incomplete", reason: "max-states" });
    for (const workers of [2, 3]) {
      expect(summary(await run("default", workers, { resume: dir }))).toEqual(want);
    }
  });

  it("count the time of the runs before a resume in the figures", async () => {
    const dir = freshDir();
    await run("default", 1, { checkpoint: { dir }, maxStates: 6000 });
    const reader = new CheckpointReader(dir);
    const savedMs = reader.meta.stats.elapsedMs;
    reader.close();
    for (const workers of [1, 2]) {
      const started = performance.now();
      const resumed = await run("default", workers, { resume: dir });
      const ownMs = performance.now() - started;
      // The saved time plus (most of) this run's: not this run's alone.
      expect(resumed.stats.elapsedMs).toBeGreaterThan(savedMs + ownMs / 2);
      expect(resumed.stats.elapsedMs).toBeLessThanOrEqual(savedMs + ownMs + 1);
    }
  });

  it("find the same counterexample after resuming", async () => {
    const want = summary(await run("commitEarly", 1, {}));
    expect(want.kind).toBe("violation");
    const { dir } = await interrupted("commitEarly", 3, 2);
    for (const workers of [1, 2]) {
      expect(summary(await run("commitEarly", workers, { resume: dir }))).toEqual(want);
    }
  });

  it("find the same counterexample after resuming a mid-level save with workers", async () => {
    const want = summary(await run("commitEarly", 1, {}));
    for (const maxStates of [20, 60, 120]) {
      const dir = freshDir();
      const cut = await run("commitEarly", 1, { checkpoint: { dir }, maxStates });
      expect(cut).toMatchObject({ kind: "incomplete", reason: "max-states" });
      for (const workers of [2, 3]) {
        expect({
          maxStates,
          workers,
          ...summary(await run("commitEarly", workers, { resume: dir })),
        }).toEqual({ maxStates, workers, ...want });
      }
    }
  });

  it("refuse a checkpoint of other params", async () => {
    const { dir } = await interrupted("default", 2, 2);
    await expect(
      checkParallel(source("default"), { rms: 4 }, { workers: 2, pool, cwd: ROOT, resume: dir }),
    ).rejects.toThrow(CheckpointMismatch);
  });
});

describe("a parallel search stopped by its state limit", () => {
  it("saves the level it was merging, and resumes to the uninterrupted counts", async () => {
    const want = summary(await run("default", 1, {}));
    const dir = freshDir();
    const cut = await run("default", 2, { checkpoint: { dir }, maxStates: 3000 });
    expect(cut).toMatchObject({ kind: "incomplete", reason: "max-states" });
    for (const workers of [1, 2]) {
      expect(summary(await run("default", workers, { resume: dir }))).toEqual(want);
    }
  });
});
