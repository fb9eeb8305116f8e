// A search saved and resumed ends exactly as the search run in one go: the same counts, depth
// and counterexample, wherever it was cut and however often.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import twoPhaseCommit, { commitEarly } from "../../specs/two-phase-commit.ts";
import {
  CheckpointReader,
  type CheckpointMeta,
  type StreamInfo,
} from "../../src/engine/checkpoint.ts";
import {
  CheckpointFile,
  CHECKPOINT_FILE,
  CHECKPOINT_VERSION,
  writeCheckpointFile,
} from "../../src/engine/checkpoint-file.ts";
import { CheckpointMismatch } from "../../src/engine/checkpointer.ts";
import { encodeChunk } from "../../src/engine/frontier-chunk.ts";
import { StateEncoder } from "../../src/values/codec-encode.ts";
import { resultSummary } from "../fixtures/result-summary.ts";
import { buildModel, checkModel, type AnySpec, type CheckOptions } from "../../src/index.ts";
import type { CheckpointSaved } from "../../src/engine/options.ts";
import { counter as counterWithLiveness } from "../liveness/fixtures/small-specs.ts";

const root = mkdtempSync(join(tmpdir(), "checkpoint-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => join(root, `c${dirs++}`);

const EXPORTS = new Map<AnySpec, string>([
  [twoPhaseCommit, "default"],
  [commitEarly, "commitEarly"],
]);

function run(spec: AnySpec, params: Record<string, number>, options: CheckOptions = {}) {
  const exportName = EXPORTS.get(spec);
  const source =
    exportName === undefined ? undefined : { path: "specs/two-phase-commit.ts", exportName };
  return checkModel(buildModel<unknown>(spec, params, source), options);
}

/** Runs until `maxStates`, saving at the stop; returns the checkpoint's directory. */
async function cutAt(
  spec: AnySpec,
  params: Record<string, number>,
  maxStates: number,
  extra: CheckOptions = {},
) {
  const dir = freshDir();
  const r = await run(spec, params, { ...extra, maxStates, checkpoint: { dir } });
  expect(r.kind).toBe("incomplete");
  return dir;
}

describe("checkpoints", () => {
  it("resume two-phase commit (5 RMs) to the uninterrupted result, wherever the cut", async () => {
    const whole = resultSummary(await run(twoPhaseCommit, { rms: 5 }));
    expect(whole).toMatchObject({ distinct: 8_832, depth: 17 });
    for (const cut of [1, 2, 100, 1_000, 4_321, 8_000, 8_831]) {
      const dir = await cutAt(twoPhaseCommit, { rms: 5 }, cut);
      const resumed = await run(twoPhaseCommit, { rms: 5 }, { resume: dir });
      expect(resultSummary(resumed), `cut at ${cut}`).toEqual(whole);
    }
  });

  it("deepen a search stopped at a depth", async () => {
    const whole = resultSummary(await run(twoPhaseCommit, { rms: 5 }));
    const dir = freshDir();
    const r = await run(twoPhaseCommit, { rms: 5 }, { maxDepth: 9, checkpoint: { dir } });
    expect(r).toMatchObject({ kind: "incomplete", reason: "max-depth", stats: { depth: 9 } });
    expect(resultSummary(await run(twoPhaseCommit, { rms: 5 }, { resume: dir }))).toEqual(whole);
  });

  it("resume a resumed search, saving into the same directory", async () => {
    const whole = resultSummary(await run(twoPhaseCommit, { rms: 5 }));
    const dir = await cutAt(twoPhaseCommit, { rms: 5 }, 700);
    for (const cut of [2_000, 5_000]) {
      const r = await run(
        twoPhaseCommit,
        { rms: 5 },
        { resume: dir, checkpoint: { dir }, maxStates: cut },
      );
      expect(r).toMatchObject({ kind: "incomplete", reason: "max-states" });
    }
    expect(resultSummary(await run(twoPhaseCommit, { rms: 5 }, { resume: dir }))).toEqual(whole);
  });

  it("resume a violating variant to the same shortest counterexample", async () => {
    const whole = resultSummary(await run(commitEarly, { rms: 4 }));
    expect(whole.kind).toBe("violation");
    for (const cut of [5, 60, 200]) {
      const dir = await cutAt(commitEarly, { rms: 4 }, cut);
      expect(
        resultSummary(await run(commitEarly, { rms: 4 }, { resume: dir })),
        `cut at ${cut}`,
      ).toEqual(whole);
    }
  });

  it("are taken at level boundaries every so often, and any of them resumes", async () => {
    const whole = resultSummary(await run(twoPhaseCommit, { rms: 4 }));
    const saved: CheckpointSaved[] = [];
    const dir = freshDir();
    await run(
      twoPhaseCommit,
      { rms: 4 },
      { checkpoint: { dir, everyMs: 0 }, onCheckpoint: (c) => saved.push(c) },
    );
    expect(saved.map((c) => c.depth)).toEqual(Array.from({ length: 13 }, (_, i) => i + 2));
    expect(saved.every((c) => c.error === undefined && c.bytes > 0)).toBe(true);
    // The last one: the last level, not expanded yet.
    expect(resultSummary(await run(twoPhaseCommit, { rms: 4 }, { resume: dir }))).toEqual(whole);
  });

  it("hold spilled frontiers, and resume into a spilling search", async () => {
    const whole = resultSummary(await run(twoPhaseCommit, { rms: 5 }));
    const tiny = { memoryBytes: 1, spillChunkStates: 16 };
    const dir = await cutAt(twoPhaseCommit, { rms: 5 }, 3_000, tiny);
    expect(resultSummary(await run(twoPhaseCommit, { rms: 5 }, { ...tiny, resume: dir }))).toEqual(
      whole,
    );
  });

  it("resume a frontier written as several streams (by several workers)", async () => {
    const whole = resultSummary(await run(twoPhaseCommit, { rms: 5 }));
    const dir = await cutAt(twoPhaseCommit, { rms: 5 }, 2_500);
    const split = freshDir();
    splitIntoStreams(dir, split, 3);
    expect(resultSummary(await run(twoPhaseCommit, { rms: 5 }, { resume: split }))).toEqual(whole);
  });

  it("refuse a search that is not the one saved", async () => {
    const dir = await cutAt(twoPhaseCommit, { rms: 3 }, 100);
    await expect(run(twoPhaseCommit, { rms: 4 }, { resume: dir })).rejects.toThrow(
      /cannot resume from .*: it was saved with params \{rms=3\}, not \{rms=4\}/,
    );
    await expect(run(commitEarly, { rms: 3 }, { resume: dir })).rejects.toThrow(CheckpointMismatch);
    await expect(run(commitEarly, { rms: 3 }, { resume: dir })).rejects.toThrow(
      /it is a checkpoint of specs\/two-phase-commit.ts, not of specs\/two-phase-commit.ts#commitEarly/,
    );
    const moreInvariants = twoPhaseCommit.variant({ invariants: { Extra: () => true } });
    EXPORTS.set(moreInvariants, "default");
    await expect(run(moreInvariants, { rms: 3 }, { resume: dir })).rejects.toThrow(
      /the spec has changed: it had .*invariants TypeOK,Consistent;.*it has .*invariants TypeOK,Consistent,Extra/,
    );
    await expect(run(twoPhaseCommit, { rms: 3 }, { resume: dir, deadlock: false })).rejects.toThrow(
      /saved with deadlock on, not off/,
    );
    await expect(run(twoPhaseCommit, { rms: 3 }, { resume: freshDir() })).rejects.toThrow(
      /no checkpoint in/,
    );
  });

  it("refuse specs with temporal properties", async () => {
    await expect(run(counterWithLiveness, {}, { checkpoint: { dir: freshDir() } })).rejects.toThrow(
      /checkpoints do not hold the state graph/,
    );
  });

  it("survive a failed write: the previous checkpoint stays whole", async () => {
    const whole = resultSummary(await run(twoPhaseCommit, { rms: 4 }));
    const dir = await cutAt(twoPhaseCommit, { rms: 4 }, 500);
    expect(() =>
      writeCheckpointFile(dir, (sink) => {
        sink.write(Buffer.alloc(3 << 20));
        throw new Error("crash in the middle of a write");
      }),
    ).toThrow(/crash/);
    expect(resultSummary(await run(twoPhaseCommit, { rms: 4 }, { resume: dir }))).toEqual(whole);
    writeFileSync(join(dir, CHECKPOINT_FILE), "not a checkpoint at all, just some bytes");
    await expect(run(twoPhaseCommit, { rms: 4 }, { resume: dir })).rejects.toThrow(
      /not a protomc checkpoint/,
    );
  });

  it("of another format version are refused, not resumed with other fingerprints", async () => {
    const dir = await cutAt(twoPhaseCommit, { rms: 4 }, 500);
    const path = join(dir, CHECKPOINT_FILE);
    const bytes = readFileSync(path);
    bytes.writeUInt32LE(CHECKPOINT_VERSION - 1, 8);
    writeFileSync(path, bytes);
    await expect(run(twoPhaseCommit, { rms: 4 }, { resume: dir })).rejects.toThrow(
      `${path} is a version ${CHECKPOINT_VERSION - 1} checkpoint; this protomc reads version ${CHECKPOINT_VERSION}`,
    );
  });
});

/** Rewrites a checkpoint with its frontier sections dealt round-robin into `n` streams. */
function splitIntoStreams(from: string, to: string, n: number): void {
  const reader = new CheckpointReader(from);
  const file = CheckpointFile.open(from);
  const meta = reader.meta;
  const copy = (offset: number, bytes: number): Buffer => {
    const b = Buffer.alloc(bytes);
    file.read(b, offset);
    return b;
  };
  const sections = { current: [] as unknown[][], next: [] as unknown[][] };
  for (const section of ["current", "next"] as const) {
    const entries: [unknown, number, number, number][] = [];
    reader.forEachEntry(section, (s, id, hi, lo) => entries.push([s, id, hi, lo]));
    sections[section] = Array.from({ length: n }, (_, k) => entries.filter((_, i) => i % n === k));
  }
  writeCheckpointFile(to, (sink): CheckpointMeta => {
    const fpOffset = sink.offset;
    sink.write(copy(meta.fingerprints.offset, 8 * meta.fingerprints.count));
    const recOffset = sink.offset;
    sink.write(copy(meta.records.offset, 8 * meta.records.count));
    const streams = (lists: unknown[][]): StreamInfo[] =>
      lists.map((list) => {
        const entries = list as [unknown, number, number, number][];
        const offset = sink.offset;
        const chunk = {
          states: entries.map((e) => e[0]),
          ids: Uint32Array.from(entries, (e) => e[1]),
          fps: Uint32Array.from(entries.flatMap((e) => [e[2], e[3]])),
        };
        // Chunks of 100 states.
        let chunks = 0;
        for (let i = 0; i < entries.length; i += 100, chunks++) {
          sink.write(encodeChunk(chunk, i, Math.min(entries.length, i + 100), new StateEncoder()));
        }
        return { offset, bytes: sink.offset - offset, chunks, states: entries.length };
      });
    return {
      ...meta,
      fingerprints: { ...meta.fingerprints, offset: fpOffset },
      records: { ...meta.records, offset: recOffset },
      frontier: { current: streams(sections.current), next: streams(sections.next) },
    };
  });
  file.close();
  reader.close();
}
