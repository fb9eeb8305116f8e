// replayTrace on real traces found by the checker: the three outcomes for each kind of
// property, the matching of states (oneOf labels, Lists, fingerprint fallback), and the errors
// a trace that does not fit its spec gives. Liveness lassos: liveness.test.ts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SpecError } from "../../src/errors/spec-error.ts";
import type { TraceFile } from "../../src/itf/trace-file.ts";
import { loadReplayTarget } from "../../src/replay/load-replay.ts";
import type { ReplayResult } from "../../src/replay/replay-result.ts";
import { replayTrace } from "../../src/replay/replay.ts";
import { COUNTER, traceOf } from "../fixtures/traces.ts";
import { ROOT } from "../fixtures/run-cli.ts";

let dir = "";
const traces: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "protomc-replay-"));
  for (const v of ["tight", "bigSteps", "noReset"])
    traces[v] = await traceOf(`${COUNTER}#${v}`, dir);
  traces.commitEarly = await traceOf("specs/two-phase-commit.ts#commitEarly", dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function replay(
  trace: string,
  options: { spec?: string; exportName?: string } = {},
): Promise<ReplayResult<unknown>> {
  const target = await loadReplayTarget(trace, { ...options, cwd: ROOT });
  return replayTrace(target.model, target.file);
}

const labels = (r: ReplayResult<unknown>): string[] => r.trace.map((s) => s.label);

describe("an invariant trace", () => {
  it("reproduces on its variant, at the recorded step", async () => {
    const r = await replay(traces.tight!);
    expect(r).toMatchObject({ kind: "reproduced", at: 3, property: "Bounded", recordedLength: 4 });
    // Inc has two successors (oneOf); the recorded fingerprints tell them apart.
    expect(labels(r)).toEqual(["Init", "Inc", "Inc", "Inc"]);
    expect(r.trace.map((s) => (s.state as { x: number }).x)).toEqual([0, 1, 3, 5]);
  });

  it("is fixed where the property is weaker and the steps still possible", async () => {
    const r = await replay(traces.tight!, { exportName: "default" });
    expect(r.kind).toBe("fixed");
    expect(r.kind === "fixed" && r.reason).toBe(
      "invariant Bounded holds in every state of the trace",
    );
    expect(r.trace).toHaveLength(4);
  });

  it("diverges where the labelled action yields other states, with the difference", async () => {
    const r = await replay(traces.tight!, { spec: `${COUNTER}#incByThree` });
    expect(r).toMatchObject({ kind: "diverged", at: 2, label: "Inc", reason: "different-state" });
    if (r.kind !== "diverged") return;
    expect(r.enabled).toEqual(["Inc"]);
    // The closest of Inc's two successors, compared with the recorded (decoded) state.
    expect(r.recorded).toEqual({ x: 3, last: [1, 2] });
    expect(r.actual).toEqual({ x: 2, last: [1, 1] });
    expect(r.changes.map((c) => [c.path, c.kind, c.before, c.after])).toEqual([
      [["last", 1], "changed", 2, 1],
      [["x"], "changed", 3, 2],
    ]);
    expect(labels(r)).toEqual(["Init", "Inc"]);
  });
});

describe("a step-property trace", () => {
  it("reproduces, fixes and diverges", async () => {
    expect(await replay(traces.bigSteps!)).toMatchObject({ kind: "reproduced", at: 1 });
    const fixed = await replay(traces.bigSteps!, { exportName: "incByThree" });
    expect(fixed).toMatchObject({
      kind: "fixed",
      reason: "step property SmallSteps holds on every step",
    });
    const diverged = await replay(traces.bigSteps!, { exportName: "default" });
    expect(diverged).toMatchObject({ kind: "diverged", at: 1, reason: "different-state" });
  });
});

describe("a deadlock trace", () => {
  it("reproduces on its variant", async () => {
    expect(await replay(traces.noReset!)).toMatchObject({ kind: "reproduced", at: 2 });
  });

  it("is fixed when the last state has a successor", async () => {
    const r = await replay(traces.noReset!, { exportName: "default" });
    expect(r).toMatchObject({
      kind: "fixed",
      reason: "the last state now has 1 successor (Reset)",
    });
  });

  it("is a spec error, with the steps replayed, when an action throws", async () => {
    const r = await replay(traces.noReset!, { exportName: "resetThrows" });
    expect(r.kind).toBe("specError");
    if (r.kind !== "specError") return;
    expect(r.error.code).toBe("PMC002");
    expect(r.error.message).toContain("action Reset threw: reset failed");
    expect(r.trace).toHaveLength(3);
  });
});

describe("a two-phase-commit variant's trace on the correct spec", () => {
  it("diverges where the buggy step is not enabled", async () => {
    const r = await replay(traces.commitEarly!, { exportName: "default" });
    expect(r).toMatchObject({ kind: "diverged", at: 3, label: "TMCommit", reason: "not-enabled" });
    if (r.kind !== "diverged") return;
    expect(r.enabled).not.toContain("TMCommit");
    expect(r.enabled).toContain("TMAbort");
    expect(r.actual).toBeNull();
    expect(r.recordedBefore).toMatchObject({ tmState: "init" });
    expect(r.recorded).toMatchObject({ tmState: "committed" });
  });
});

describe("matching states", () => {
  function edited(trace: string, edit: (file: TraceFile) => void): string {
    const file = JSON.parse(readFileSync(trace, "utf8")) as TraceFile;
    edit(file);
    const out = join(dir, `edited-${Math.random().toString(36).slice(2)}.itf.json`);
    writeFileSync(out, JSON.stringify(file));
    return out;
  }

  it("falls back to the canonical text when the recorded fingerprints differ", async () => {
    const trace = edited(traces.tight!, (f) => {
      f["#meta"].fingerprints = f["#meta"].fingerprints.map(() => "0123456789abcdef");
    });
    expect(await replay(trace)).toMatchObject({ kind: "reproduced", at: 3 });
  });

  it("diverges at a recorded state that was edited", async () => {
    const trace = edited(traces.tight!, (f) => {
      f.states[2]!.x = 2;
      f["#meta"].fingerprints[2] = "0123456789abcdef";
    });
    const r = await replay(trace);
    expect(r).toMatchObject({ kind: "diverged", at: 2, reason: "different-state" });
    expect(r.kind === "diverged" && r.changes).toHaveLength(1);
  });

  it("diverges at step 0 when no initial state is the recorded one", async () => {
    const trace = edited(traces.tight!, (f) => {
      f.states[0]!.x = 9;
      f["#meta"].fingerprints[0] = "0123456789abcdef";
    });
    const r = await replay(trace);
    expect(r).toMatchObject({ kind: "diverged", at: 0, label: "Init", reason: "init" });
    expect(r.trace).toHaveLength(0);
  });
});

describe("traces that do not fit the spec", () => {
  it("reports a missing trace file as malformed input", async () => {
    const e = await loadReplayTarget(join(dir, "nope.itf.json"), { cwd: ROOT }).catch(
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(SpecError);
    expect((e as SpecError).code).toBe("PMC007");
    expect((e as SpecError).message).toMatch(/nope\.itf\.json: cannot be read/);
  });

  it("names a property the spec does not have", async () => {
    const target = await loadReplayTarget(traces.commitEarly!, { spec: COUNTER, cwd: ROOT }).catch(
      (e: unknown) => e,
    );
    // The params of two-phase commit do not fit the counter.
    expect(target).toBeInstanceOf(SpecError);
    expect((target as SpecError).code).toBe("PMC007");
    expect((target as SpecError).message).toContain('unknown param "rms"');
  });

  it("rejects a property the spec does not have", async () => {
    const trace = join(dir, "renamed.itf.json");
    const file = JSON.parse(readFileSync(traces.tight!, "utf8")) as TraceFile;
    file["#meta"].property = "Gone";
    writeFileSync(trace, JSON.stringify(file));
    const target = await loadReplayTarget(trace, { cwd: ROOT });
    expect(() => replayTrace(target.model, target.file)).toThrow(
      /records invariant Gone, which test\/fixtures\/counter.ts#tight does not have \(its invariants: Bounded\)/,
    );
  });
});
