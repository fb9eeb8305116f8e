// Replaying liveness lassos found by the checker on the liveness fixtures: the lasso (prefix,
// cycle and the step that closes it) is re-executed, then the property and the fairness of the
// cycle are checked again (verifyLasso). Reproduced: still a fair behaviour that violates the
// property; fixed: still a behaviour, but it satisfies the property or is not fair; diverged:
// no longer a behaviour.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Violation } from "../../src/engine/result.ts";
import { SpecError } from "../../src/errors/spec-error.ts";
import {
  readTraceFile,
  violationTraceFile,
  writeViolationTrace,
  type TraceFile,
} from "../../src/itf/trace-file.ts";
import { loadReplayTarget } from "../../src/replay/load-replay.ts";
import type { ReplayResult } from "../../src/replay/replay-result.ts";
import { replayTrace } from "../../src/replay/replay.ts";
import { formatReplay } from "../../src/replay/format-replay.ts";
import { plainStyle } from "../../src/report/style.ts";
import { buildModel } from "../../src/spec/model.ts";
import { fingerprintHex } from "../../src/values/fingerprint.ts";
import { checkSpec } from "../../src/vitest/index.ts";
import { ROOT } from "../fixtures/run-cli.ts";
import { traceOf } from "../fixtures/traces.ts";
import { counter } from "../liveness/fixtures/small-specs.ts";

const TWO_PHASE = "test/liveness/fixtures/two-phase-liveness.ts";
const SMALL = "test/liveness/fixtures/small-specs.ts";
const LASSOS = "test/replay/fixtures/lassos.ts";

let dir = "";
const traces: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "protomc-replay-lasso-"));
  traces.noFairAbort = await traceOf(`${TWO_PHASE}#noFairAbort`, dir);
  for (const v of ["counter", "jobAnywhere", "server", "procsWhole", "light", "settleGlitch"])
    traces[v] = await traceOf(`${SMALL}#${v}`, dir);
  for (const v of ["twoWays", "wander"]) traces[v] = await traceOf(`${LASSOS}#${v}`, dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function replay(
  trace: string,
  options: { spec?: string; exportName?: string } = {},
): Promise<ReplayResult<unknown>> {
  const target = await loadReplayTarget(trace, { ...options, cwd: ROOT });
  return replayTrace(target.model, target.file);
}

const meta = (trace: string): TraceFile["#meta"] => readTraceFile(trace)["#meta"];

function edited(trace: string, edit: (file: TraceFile) => void): string {
  const file = JSON.parse(readFileSync(trace, "utf8")) as TraceFile;
  edit(file);
  const out = join(dir, `edited-${Math.random().toString(36).slice(2)}.itf.json`);
  writeFileSync(out, JSON.stringify(file));
  return out;
}

describe("the lassos the checker writes", () => {
  it("record the loop index and the step that closes the cycle", () => {
    expect(meta(traces.noFairAbort!)).toMatchObject({
      kind: "liveness",
      property: "PreparedLeadsToDecided",
      loopIndex: 4,
      loopAction: null, // the last state stutters
    });
    expect(meta(traces.counter!)).toMatchObject({ loopIndex: 0, loopAction: "Inc" });
    expect(meta(traces.settleGlitch!)).toMatchObject({ loopIndex: 2, loopAction: "Glitch" });
  });
});

describe("a lasso that stutters forever (two-phase commit, no fairness of TMAbort)", () => {
  it("reproduces on its variant: a fair behaviour that violates the property", async () => {
    const r = await replay(traces.noFairAbort!);
    expect(r).toMatchObject({
      kind: "reproduced",
      at: 4,
      property: "PreparedLeadsToDecided",
      propertyKind: "liveness",
      loop: { loopIndex: 4, label: null },
    });
    expect(r.trace).toHaveLength(5);
  });

  it("is fixed where TMAbort is weakly fair: the lasso is a behaviour, but not a fair one", async () => {
    const r = await replay(traces.noFairAbort!, { exportName: "tlaSemantics" });
    expect(r).toMatchObject({ kind: "fixed", unfair: ["WF(TMAbort)"] });
    expect(r.kind === "fixed" && r.reason).toBe(
      "the lasso is no longer a fair behaviour: its cycle breaks WF(TMAbort), so it no longer " +
        "violates liveness property PreparedLeadsToDecided",
    );
  });

  it("diverges where a behaviour may stutter only in a state without successors", async () => {
    const r = await replay(traces.noFairAbort!, { exportName: "default" });
    expect(r).toMatchObject({
      kind: "diverged",
      at: 5,
      label: "(stuttering)",
      reason: "loop-not-closed",
      recordedIndex: 4,
    });
    // TMRcvPrepared(0) is enabled too, but leaves the state as it is: only TMAbort moves.
    expect(r.kind === "diverged" && r.enabled).toEqual(["TMAbort"]);
    const text = formatReplay(r, CTX, { style: plainStyle });
    expect(text).toContain(
      "the lasso ends by stuttering in step 4, but the spec lets a behaviour stutter forever " +
        "only where no step changes the state",
    );
    expect(text).toContain('     tmState: "init" → "aborted"');
  });
});

describe("a lasso with a cycle of steps", () => {
  it("reproduces where the fairness assumptions still allow it", async () => {
    for (const exportName of ["counter", "counterWeak"]) {
      const r = await replay(traces.counter!, { exportName });
      expect(r).toMatchObject({ kind: "reproduced", at: 2, loop: { loopIndex: 0, label: "Inc" } });
    }
  });

  it("is fixed by strong fairness of an action the cycle enables but never takes", async () => {
    const r = await replay(traces.counter!, { exportName: "counterStrong" });
    expect(r).toMatchObject({ kind: "fixed", unfair: ["SF(Reset)"], loop: { label: "Inc" } });
  });

  it("is fixed by fairness per instance (procsEach) where fairness of the action is not enough", async () => {
    expect(await replay(traces.procsWhole!)).toMatchObject({ kind: "reproduced" });
    const r = await replay(traces.procsWhole!, { exportName: "procsEach" });
    expect(r).toMatchObject({ kind: "fixed", unfair: ["WF(Step(1))"] });
  });

  it("re-checks leadsTo: fixed once Grant is weakly fair", async () => {
    expect(await replay(traces.server!)).toMatchObject({
      kind: "reproduced",
      loop: { loopIndex: 1, label: "Tick" },
    });
    const r = await replay(traces.server!, { exportName: "serverFair" });
    expect(r).toMatchObject({ kind: "fixed", unfair: ["WF(Grant)"] });
  });

  it("is fixed when the property holds on the lasso", async () => {
    const r = await replay(traces.counter!, { spec: `${LASSOS}#counterReachesTwo` });
    expect(r).toMatchObject({ kind: "fixed", loop: { loopIndex: 0, label: "Inc" } });
    expect(r.kind === "fixed" && r.reason).toBe("liveness property ReachesFive holds on the lasso");
    expect(r.kind === "fixed" && r.unfair).toBeUndefined();
  });

  it("diverges when the step that closes the cycle is gone", async () => {
    expect(await replay(traces.settleGlitch!)).toMatchObject({ kind: "reproduced" });
    const r = await replay(traces.settleGlitch!, { exportName: "settle" });
    expect(r).toMatchObject({
      kind: "diverged",
      at: 4,
      label: "Glitch",
      reason: "loop-not-closed",
      recordedIndex: 2,
      enabled: [],
    });
    const text = formatReplay(r, CTX, { style: plainStyle });
    expect(text).toContain(
      "Diverged at step 4: Glitch does not lead from the last state back to step 2",
    );
    expect(text).toContain("No action is enabled after step 3.");
  });

  it("diverges on a spec whose behaviours may not stop short (job)", async () => {
    expect(await replay(traces.jobAnywhere!)).toMatchObject({
      kind: "reproduced",
      at: 0,
      loop: { loopIndex: 0, label: null },
    });
    const r = await replay(traces.jobAnywhere!, { exportName: "job" });
    expect(r).toMatchObject({ kind: "diverged", reason: "loop-not-closed", enabled: ["Run"] });
  });
});

describe("the step that closes the cycle (#meta.loopAction)", () => {
  it("decides whether the lasso is fair when two steps close it", async () => {
    // Back and Undo both lead from n = 1 back to n = 0; Undo is strongly fair.
    expect(meta(traces.twoWays!)).toMatchObject({ loopIndex: 0, loopAction: "Undo" });
    expect(await replay(traces.twoWays!)).toMatchObject({
      kind: "reproduced",
      loop: { label: "Undo" },
    });
    const back = edited(traces.twoWays!, (f) => (f["#meta"].loopAction = "Back"));
    expect(await replay(back)).toMatchObject({
      kind: "fixed",
      unfair: ["SF(Undo)"],
      loop: { label: "Back" },
    });
  });

  it("is optional: without it, any step that closes the cycle and reproduces is taken", async () => {
    const older = edited(traces.twoWays!, (f) => delete f["#meta"].loopAction);
    expect(await replay(older)).toMatchObject({ kind: "reproduced", loop: { label: "Undo" } });
  });

  it("diverges when the recorded step does not lead back", async () => {
    const go = edited(traces.twoWays!, (f) => (f["#meta"].loopAction = "Go"));
    expect(await replay(go)).toMatchObject({
      kind: "diverged",
      at: 2,
      label: "Go",
      reason: "loop-not-closed",
      enabled: ["Back", "Undo", "Stop"],
    });
  });

  it("accepts a trace that already ends with the step back to the loop state", async () => {
    const file = readTraceFile(traces.counter!);
    const closed = edited(traces.counter!, (f) => {
      delete f["#meta"].loopAction;
      f.states.push({ ...file.states[0]!, "#meta": { index: 3 } });
      f["#meta"].actions.push("Inc");
      f["#meta"].fingerprints.push(file["#meta"].fingerprints[0]!);
    });
    const r = await replay(closed);
    expect(r).toMatchObject({ kind: "reproduced", at: 2, loop: { loopIndex: 0, label: "Inc" } });
    expect(r.trace).toHaveLength(3);
  });

  it("must fit the loop index", () => {
    const bad = (edit: (f: TraceFile) => void) => () =>
      readTraceFile(edited(traces.counter!, edit));
    expect(bad((f) => (f["#meta"].loopAction = null))).toThrow(
      /\["#meta"\]\.loopAction must be a string \(the label of the step back to the loop index\), got null/,
    );
    expect(bad((f) => (f["#meta"].loopIndex = 2))).toThrow(
      /loopAction must be null \(the last state, at the loop index, stutters\), got "Inc"/,
    );
  });
});

describe("a tampered lasso", () => {
  it("diverges at a state of the cycle that was edited", async () => {
    const trace = edited(traces.server!, (f) => {
      f.states[2]!.granted = true;
      f["#meta"].fingerprints[2] = "0123456789abcdef";
    });
    expect(await replay(trace)).toMatchObject({
      kind: "diverged",
      at: 2,
      label: "Tick",
      reason: "different-state",
    });
  });

  it("diverges when the loop index names a state the cycle does not return to", async () => {
    const trace = edited(traces.server!, (f) => {
      f["#meta"].loopIndex = 0;
      f.loop = 0;
    });
    expect(await replay(trace)).toMatchObject({
      kind: "diverged",
      at: 3,
      label: "Tick",
      reason: "loop-not-closed",
      recordedIndex: 0,
    });
  });
});

describe("errors", () => {
  it("names the temporal properties of a spec that does not have the recorded one", async () => {
    // lightHolds makes StaysRed an always(...) property, i.e. an invariant.
    const target = await loadReplayTarget(traces.light!, { exportName: "lightHolds", cwd: ROOT });
    let error: unknown;
    try {
      replayTrace(target.model, target.file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).code).toBe("PMC007");
    expect((error as SpecError).message).toContain(
      "records liveness property StaysRed, which test/liveness/fixtures/small-specs.ts#lightHolds " +
        "does not have (its liveness properties: GreenAgain)",
    );
  });

  it("is a spec error when the property throws", async () => {
    const r = await replay(traces.counter!, { spec: `${LASSOS}#counterThrows` });
    expect(r.kind).toBe("specError");
    if (r.kind !== "specError") return;
    expect(r.error.code).toBe("PMC002");
    expect(r.error.message).toBe("liveness property ReachesFive threw: no n = 1 here");
    expect(r.trace).toHaveLength(3);
  });
});

describe("writeViolationTrace", () => {
  it("writes a view's fingerprints, so that a cycle closed up to the view replays", async () => {
    const { model, result } = await checkSpec(`${LASSOS}#wander`, { cwd: ROOT });
    expect(result.kind).toBe("violation");
    if (result.kind !== "violation") return;
    const v = result.violation;
    const file = violationTraceFile(model, v)!;
    expect(file["#meta"].fingerprints).toEqual(
      v.trace.map((s) => fingerprintHex(model.view!(s.state))),
    );
    // Step from {n: 1, moves: 1} yields {n: 0, moves: 2}: state 0 by the view only.
    expect(file["#meta"]).toMatchObject({ loopIndex: 0, loopAction: "Step" });
    expect(await replay(traces.wander!)).toMatchObject({
      kind: "reproduced",
      loop: { label: "Step" },
    });
    const byValue = edited(traces.wander!, (f) => {
      f["#meta"].fingerprints = f.states.map(() => "0123456789abcdef");
    });
    expect(await replay(byValue)).toMatchObject({ kind: "diverged", reason: "loop-not-closed" });
  });

  it("writes safety traces without loopAction, and nothing for a model without a file", async () => {
    const tight = await traceOf("test/fixtures/counter.ts#tight", dir);
    expect(meta(tight).loopIndex).toBeNull();
    expect("loopAction" in meta(tight)).toBe(false);
    const model = buildModel(counter, {}, null);
    const v: Violation<{ readonly n: number }> = {
      property: "ReachesFive",
      kind: "liveness",
      trace: [{ label: "Init", state: { n: 0 } }],
      loopIndex: 0,
    };
    expect(writeViolationTrace(model, v, dir)).toBeNull();
  });
});

const CTX = { tracePath: "trace.itf.json", specRef: "spec.ts", params: {} };
