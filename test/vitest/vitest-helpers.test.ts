// protomc/vitest as a user's test imports it (through the package's own name).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkSpec,
  expectSimulationFinds,
  expectSpecHolds,
  expectTraceDiverges,
  expectTraceDoesNotReproduce,
  expectTraceFixed,
  expectTraceReproduces,
  expectViolation,
  ProtomcAssertionError,
  protomcMatchers,
} from "protomc/vitest";
import twoPhaseCommit, { commitEarly } from "../../specs/two-phase-commit.ts";
import { COUNTER, filesIn, traceOf } from "../fixtures/traces.ts";
import { ROOT } from "../fixtures/run-cli.ts";

expect.extend(protomcMatchers);

let dir = "";
let tight = "";
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "protomc-vitest-"));
  tight = await traceOf(`${COUNTER}#tight`, dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rejection = async (p: Promise<unknown>): Promise<ProtomcAssertionError> => {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ProtomcAssertionError);
  return e as ProtomcAssertionError;
};

describe("expectSpecHolds", () => {
  it("passes for a spec that holds, by path or as an object", async () => {
    const byPath = await expectSpecHolds("specs/two-phase-commit.ts", { cwd: ROOT });
    expect(byPath.result.kind).toBe("ok");
    const byObject = await expectSpecHolds(twoPhaseCommit, { params: { rms: 2 } });
    expect(byObject.result.stats.distinct).toBe(4 ** 2 + 2 ** 2 + 6 ** 2);
  });

  it("fails with the printed trace, and writes the trace where it is told", async () => {
    const out = join(dir, "holds");
    const e = await rejection(
      expectSpecHolds(commitEarly, {
        source: { path: "specs/two-phase-commit.ts", exportName: "commitEarly" },
        traceDir: out,
        cwd: ROOT,
      }),
    );
    expect(e.message).toContain(
      "two-phase-commit (specs/two-phase-commit.ts#commitEarly) with rms=3: " +
        "invariant Consistent is violated after 5 steps:",
    );
    expect(e.message).toContain('  4. RMChooseToAbort(1)\n     rmState[1]: "working" → "aborted"');
    const [file] = filesIn(out);
    expect(file).toMatch(/two-phase-commit\.commitEarly--Consistent--.*\.itf\.json$/);
    expect(e.message).toContain(`Trace written to ${file!}`);
  });

  it("fails when a limit stops the check", async () => {
    const e = await rejection(expectSpecHolds(twoPhaseCommit, { maxStates: 10 }));
    expect(e.message).toContain("the check stopped (max-states)");
  });
});

describe("expectViolation", () => {
  it("returns the violation when property and length match", async () => {
    const v = await expectViolation("specs/two-phase-commit.ts#commitEarly", {
      property: "Consistent",
      kind: "invariant",
      length: 5,
      cwd: ROOT,
    });
    expect(v.trace.map((s) => s.label)).toEqual([
      "Init",
      "RMPrepare(0)",
      "TMRcvPrepared(0)",
      "TMCommit",
      "RMChooseToAbort(1)",
      "RMRcvCommitMsg(0)",
    ]);
  });

  it("fails on another property, a longer trace, or no violation", async () => {
    const ref = "specs/two-phase-commit.ts#abortAfterPrepare";
    const longer = await rejection(expectViolation(ref, { maxLength: 8, cwd: ROOT }));
    expect(longer.message).toMatch(/^expected a trace of at most 8 steps, got 9\./);
    expect(longer.message).toContain("  9. RMRcvCommitMsg(1)");
    const other = await rejection(expectViolation(ref, { property: "TypeOK", cwd: ROOT }));
    expect(other.message).toMatch(/^expected TypeOK to be violated, but Consistent is/);
    const none = await rejection(expectViolation(twoPhaseCommit, { property: "Consistent" }));
    expect(none.message).toBe(
      "expected Consistent to be violated, but two-phase-commit with rms=3: every property " +
        "holds (288 distinct states)",
    );
  });
});

describe("trace expectations", () => {
  it("pass for the outcome the trace has", async () => {
    await expectTraceReproduces(tight, { cwd: ROOT });
    await expectTraceFixed(tight, { exportName: "default", cwd: ROOT });
    await expectTraceDiverges(tight, { exportName: "incByThree", cwd: ROOT });
    await expectTraceDoesNotReproduce(tight, { exportName: "default", cwd: ROOT });
    await expectTraceDoesNotReproduce(tight, { exportName: "incByThree", cwd: ROOT });
  });

  it("fail with the replay's report", async () => {
    const e = await rejection(expectTraceFixed(tight, { cwd: ROOT }));
    expect(e.message).toContain(
      "to be fixed (every step replays and the property holds) on test/fixtures/counter.ts#tight, but:",
    );
    expect(e.message).toContain("✗ Reproduced: invariant Bounded is violated after 3 steps");
    expect(e.message).toContain("  3. Inc\n");
    const d = await rejection(
      expectTraceReproduces(tight, { exportName: "incByThree", cwd: ROOT }),
    );
    expect(d.message).toContain("≠ Diverged at step 2: Inc yields a different state than recorded");
  });

  it("accept a file URL", async () => {
    await expectTraceReproduces(new URL(`file://${tight}`), { cwd: ROOT });
  });
});

describe("matchers", () => {
  it("check specs", async () => {
    await expect("specs/two-phase-commit.ts").toHoldAllProperties({ cwd: ROOT });
    await expect(twoPhaseCommit).not.toViolate();
    await expect(commitEarly).toViolate("Consistent", { length: 5 });
    await expect(commitEarly).not.toHoldAllProperties();
    await expect(expect(commitEarly).toViolate("Consistent", { maxLength: 4 })).rejects.toThrow(
      "expected a trace of at most 4 steps, got 5",
    );
  });

  it("replay traces", async () => {
    await expect(tight).toReproduce({ cwd: ROOT });
    await expect(tight).toReplayAs("fixed", { exportName: "default", cwd: ROOT });
    await expect(tight).toReplayAs(["fixed", "diverged"], { exportName: "incByThree", cwd: ROOT });
    await expect(tight).not.toReproduce({ exportName: "default", cwd: ROOT });
    await expect(expect(tight).toReproduce({ exportName: "default", cwd: ROOT })).rejects.toThrow(
      "expected the replay to end reproduced, and it ended fixed",
    );
  });
});

describe("simulation", () => {
  it("finds a variant's bug from a seed, shrunk", async () => {
    const v = await expectSimulationFinds(commitEarly, {
      seed: 1,
      property: "Consistent",
      maxLength: 10,
    });
    expect(v.trace.length - 1).toBeLessThanOrEqual(10);
    const e = await rejection(expectSimulationFinds(twoPhaseCommit, { seed: 1, runs: 50 }));
    expect(e.message).toContain("expected simulation to find a violation");
  });

  it("checkSpec writes nothing unless told", async () => {
    const r = await checkSpec(commitEarly);
    expect(r.result.kind).toBe("violation");
    expect(r.traceFile).toBeNull();
  });
});
