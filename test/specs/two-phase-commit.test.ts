import { describe, expect, it } from "vitest";
import twoPhaseCommit, { abortAfterPrepare, commitEarly } from "../../specs/two-phase-commit.ts";
import { buildModel, checkModel } from "../../src/index.ts";

async function check(spec: typeof twoPhaseCommit, rms: number) {
  return checkModel(buildModel(spec, { rms }));
}

describe("two-phase commit (Lamport's TwoPhase)", () => {
  // TLC's counts for this model: 4^N + 2^N + 6^N.
  it.each([
    [1, 12, 5],
    [3, 288, 11],
    [5, 8832, 17],
    [6, 50816, 20],
  ])("holds with %i RMs: %i distinct states, depth %i", async (rms, distinct, depth) => {
    const r = await check(twoPhaseCommit, rms);
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(distinct);
    expect(r.stats.distinct).toBe(4 ** rms + 2 ** rms + 6 ** rms);
    expect(r.stats.depth).toBe(depth);
  });

  it("agrees between breadth-first and depth-first search", async () => {
    const r = await checkModel(buildModel(twoPhaseCommit, { rms: 4 }), { strategy: "dfs" });
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(4 ** 4 + 2 ** 4 + 6 ** 4);
  });

  it("commitEarly: the TM commits while an RM can still abort", async () => {
    const r = await check(commitEarly, 3);
    expect(r.kind).toBe("violation");
    if (r.kind !== "violation") return;
    expect(r.violation.property).toBe("Consistent");
    expect(r.violation.kind).toBe("invariant");
    expect(r.violation.trace.map((s) => s.label)).toEqual([
      "Init",
      "RMPrepare(0)",
      "TMRcvPrepared(0)",
      "TMCommit",
      "RMChooseToAbort(1)",
      "RMRcvCommitMsg(0)",
    ]);
    const last = r.violation.trace.at(-1)!.state;
    expect(last.rmState).toEqual(["committed", "aborted", "working"]);
  });

  it("abortAfterPrepare: a prepared RM aborts after the TM committed", async () => {
    const r = await check(abortAfterPrepare, 2);
    expect(r.kind).toBe("violation");
    if (r.kind !== "violation") return;
    expect(r.violation.property).toBe("Consistent");
    expect(r.violation.trace.map((s) => s.label)).toEqual([
      "Init",
      "RMPrepare(0)",
      "TMRcvPrepared(0)",
      "RMPrepare(1)",
      "TMRcvPrepared(1)",
      "TMCommit",
      "RMChooseToAbort(0)",
      "RMRcvCommitMsg(1)",
    ]);
  });

  it("has no deadlock even without its terminal predicate", async () => {
    const noTerminal = twoPhaseCommit.variant({ terminal: undefined });
    const r = await check(noTerminal, 3);
    expect(r.kind).toBe("ok");
  });
});
