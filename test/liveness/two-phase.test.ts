// Two-phase commit with liveness (the fixture adds properties and fairness to the lead's spec).
// Edge counts were cross-checked by a plain re-enumeration of the spec: successors that differ
// from their state, counted once per action instance that produces them.
import { describe, expect, it } from "vitest";
import { buildModel, checkModel, type AnySpec } from "../../src/index.ts";
import twoPhaseLiveness, {
  noFairAbort,
  noFairness,
  tlaSemantics,
} from "./fixtures/two-phase-liveness.ts";

async function check(spec: unknown, rms: number) {
  return checkModel(buildModel(spec as AnySpec, { rms }));
}

describe("two-phase commit: every prepared RM eventually decides", () => {
  it.each([
    [3, 288, 761],
    [4, 1568, 5377],
  ])("holds with %i RMs (%i states, %i edges)", async (rms, states, edges) => {
    for (const spec of [twoPhaseLiveness, tlaSemantics]) {
      const r = await check(spec, rms);
      expect(r.kind).toBe("ok");
      expect(r.stats.distinct).toBe(states);
      expect(r.stats.liveness).toMatchObject({ properties: 2, states, edges });
    }
  });

  it("fails under TLA+ stuttering when the TM is not fair to abort: the RMs block", async () => {
    const r = await check(noFairAbort, 3);
    expect(r.kind).toBe("violation");
    if (r.kind !== "violation") return;
    const v = r.violation;
    expect(v.property).toBe("PreparedLeadsToDecided");
    expect(v.trace.map((s) => s.label)).toEqual([
      "Init",
      "RMPrepare(0)",
      "TMRcvPrepared(0)",
      "RMChooseToAbort(1)",
      "RMChooseToAbort(2)",
    ]);
    expect(v.loopIndex).toBe(4);
    expect(v.explanation).toMatchObject({
      formula: "somePrepared ~> allDecided",
      stutters: true,
      closingAction: null,
      starved: [{ action: "TMAbort", enabled: "always" }],
    });
    expect(v.explanation!.summary).toContain("somePrepared holds at step 1");
    expect(v.explanation!.hint).toContain('weak("TMAbort")');
  });

  it("fails at once under TLA+ stuttering without fairness", async () => {
    const r = await check(noFairness, 3);
    expect(r.kind).toBe("violation");
    if (r.kind !== "violation") return;
    expect(r.violation.trace.map((s) => s.label)).toEqual(["Init", "RMPrepare(0)"]);
    expect(r.violation.loopIndex).toBe(1);
  });

  it("records no graph for a safety-only check", async () => {
    const { default: plain } = await import("../../specs/two-phase-commit.ts");
    const r = await check(plain, 3);
    expect(r.kind).toBe("ok");
    expect(r.stats.liveness).toBeUndefined();
  });
});
