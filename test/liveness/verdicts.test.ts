// Hand-worked liveness verdicts and lassos on small specs.
import { describe, expect, it } from "vitest";
import { buildModel, checkModel, type AnySpec, type CheckResult } from "../../src/index.ts";
import { verifyLasso } from "../../src/liveness/verify-lasso.ts";
import * as small from "./fixtures/small-specs.ts";

async function check(spec: unknown): Promise<CheckResult<unknown>> {
  return checkModel(buildModel(spec as AnySpec));
}

function lasso(r: CheckResult<unknown>) {
  if (r.kind !== "violation") throw new Error(`expected a violation, got ${r.kind}`);
  const v = r.violation;
  return {
    property: v.property,
    kind: v.kind,
    labels: v.trace.map((s) => s.label),
    loopIndex: v.loopIndex,
    back: v.explanation?.closingAction ?? null,
    explanation: v.explanation!,
  };
}

describe("<>p", () => {
  it("fails without fairness: Inc cycles 0 → 1 → 2 → 0 and never resets", async () => {
    const l = lasso(await check(small.counter));
    expect(l).toMatchObject({
      property: "ReachesFive",
      kind: "liveness",
      labels: ["Init", "Inc", "Inc"],
      loopIndex: 0,
      back: "Inc",
    });
    expect(l.explanation.starved).toEqual([{ action: "Reset", enabled: "sometimes" }]);
    expect(l.explanation.hint).toContain('strong("Reset")');
  });

  it("fails under weak fairness of Reset, which is not enabled throughout the cycle", async () => {
    const l = lasso(await check(small.counterWeak));
    expect(l.labels).toEqual(["Init", "Inc", "Inc"]);
    expect(l.explanation.fairness).toEqual([
      { assumption: "WF(Reset)", status: "not always enabled" },
    ]);
  });

  it("holds under strong fairness of Reset", async () => {
    const r = await check(small.counterStrong);
    expect(r.kind).toBe("ok");
    expect(r.stats.liveness).toMatchObject({ properties: 1, states: 4, edges: 4 });
  });

  it("re-checks a lasso on its states: still a violation, no longer fair under SF(Reset)", async () => {
    const r = await check(small.counter);
    if (r.kind !== "violation") throw new Error(r.kind);
    const v = r.violation;
    const args = [v.trace, v.loopIndex!, v.explanation!.closingAction] as const;
    expect(verifyLasso(buildModel(small.counter as AnySpec), v.property, ...args)).toEqual({
      violates: true,
      fair: true,
      unfair: [],
    });
    expect(verifyLasso(buildModel(small.counterStrong as AnySpec), v.property, ...args)).toEqual({
      violates: true,
      fair: false,
      unfair: ["SF(Reset)"],
    });
  });

  it("fails when a run stops in a terminal state first: the lasso stutters there", async () => {
    const l = lasso(await check(small.job));
    expect(l).toMatchObject({ labels: ["Init", "Run", "Fail"], loopIndex: 2, back: null });
    expect(l.explanation.stutters).toBe(true);
    expect(l.explanation.hint).toContain("no fairness assumption can help");
  });

  it("with stuttering anywhere and no fairness, fails in the initial state", async () => {
    const l = lasso(await check(small.jobAnywhere));
    expect(l).toMatchObject({ labels: ["Init"], loopIndex: 0, back: null });
    expect(l.explanation.starved).toEqual([{ action: "Run", enabled: "always" }]);
    expect(l.explanation.hint).toContain('weak("Run")');
  });

  it("tells fairness of an action from fairness of each of its instances", async () => {
    const whole = lasso(await check(small.procsWhole));
    expect(whole).toMatchObject({ labels: ["Init", "Step(0)"], loopIndex: 0, back: "Step(0)" });
    expect(whole.explanation.fairness).toEqual([{ assumption: "WF(Step)", status: "taken" }]);
    expect(whole.explanation.starved).toEqual([{ action: "Step(1)", enabled: "always" }]);
    expect(whole.explanation.hint).toContain('weak("Step", { each: true })');
    expect((await check(small.procsEach)).kind).toBe("ok");
  });
});

describe("p ~> q", () => {
  it("fails when the server spins instead of granting", async () => {
    const l = lasso(await check(small.server));
    expect(l).toMatchObject({
      property: "RequestGranted",
      labels: ["Init", "Request", "Tick"],
      loopIndex: 1,
      back: "Tick",
    });
    expect(l.explanation.formula).toBe("requested ~> granted");
    expect(l.explanation.summary).toContain("requested holds at step 1");
    expect(l.explanation.starved).toEqual([{ action: "Grant", enabled: "always" }]);
  });

  it("holds when Grant is weakly fair", async () => {
    const r = await check(small.serverFair);
    expect(r.kind).toBe("ok");
    expect(r.stats.liveness).toMatchObject({ states: 6, edges: 12 });
  });
});

describe("[]<>p and <>[]p", () => {
  it("a traffic light is green infinitely often, and does not stay red", async () => {
    const l = lasso(await check(small.light));
    expect(l).toMatchObject({
      property: "StaysRed",
      labels: ["Init", "Next", "Next"],
      loopIndex: 0,
      back: "Next",
    });
    expect(l.explanation.summary).toContain("false at step 0");
    expect((await check(small.lightHolds)).kind).toBe("ok");
  });

  it("a value that settles satisfies <>[]p; one that may glitch forever does not", async () => {
    expect((await check(small.settle)).kind).toBe("ok");
    const l = lasso(await check(small.settleGlitch));
    expect(l).toMatchObject({ labels: ["Init", "Up", "Up", "Up"], loopIndex: 2, back: "Glitch" });
  });

  it("checks always(p) as an invariant, with a shortest finite trace", async () => {
    const r = await check(small.alwaysSmall);
    expect(r.kind).toBe("violation");
    if (r.kind !== "violation") return;
    expect(r.violation).toMatchObject({ property: "Small", kind: "invariant", loopIndex: null });
    expect(r.violation.trace.map((s) => s.label)).toEqual(["Init", "Up", "Up"]);
    expect(r.stats.liveness).toBeUndefined();
  });
});
