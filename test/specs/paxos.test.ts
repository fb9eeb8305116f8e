// Single-decree Paxos (specs/paxos.ts): verdicts, state counts and shortest counterexamples at
// the default size (2 proposers, 3 acceptors, 1 learner, 2 values, ballots 1..2, 1 crash).
import { describe, expect, it } from "vitest";
import { check, violationOf } from "../actors/check-system.ts";
import paxos, {
  acceptBelowPromise,
  duelingProposers,
  ignorePromisedValues,
  minorityQuorums,
} from "../../specs/paxos.ts";

/** The opening of every counterexample: both proposers start, and phase 1 begins. */
const OPENING = [
  "Init",
  "prepare(p1)",
  "prepare(p2)",
  "deliver(p1 → a1: Prepare{b: 2})",
  "deliver(p2 → a3: Prepare{b: 1})",
  "deliver(a1 → p1: Promise{b: 2, vb: 0, vv: 0})",
  "deliver(a3 → p2: Promise{b: 1, vb: 0, vv: 0})",
];

describe("single-decree Paxos", () => {
  it("holds every property at the default size: 11,450 distinct states", async () => {
    const r = await check(paxos);
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(11450);
    expect(r.stats.depth).toBe(20);
    expect(r.stats.liveness).toMatchObject({ properties: 1, states: 11450 });
  });

  it("ignorePromisedValues: ballot 2 overrides the value chosen in ballot 1", async () => {
    const v = violationOf(await check(ignorePromisedValues));
    expect(v.property).toBe("Agreement");
    expect(v.kind).toBe("invariant");
    expect(v.labels).toEqual([
      ...OPENING,
      "deliver(p2 → a2: Prepare{b: 1})",
      "deliver(a2 → p2: Promise{b: 1, vb: 0, vv: 0})",
      "deliver(p2 → a2: Accept{b: 1, v: 2})",
      "deliver(p1 → a2: Prepare{b: 2})",
      "deliver(p2 → a3: Accept{b: 1, v: 2})",
      // a2 reports (1, 2), which a2 and a3 accepted: 2 is chosen. p1 proposes its own 1.
      "deliver(a2 → p1: Promise{b: 2, vb: 1, vv: 2})",
      "deliver(p1 → a1: Accept{b: 2, v: 1})",
      "deliver(p1 → a3: Accept{b: 2, v: 1})",
    ]);
  });

  it("acceptBelowPromise: a3 and a1 accept ballot 1 after promising ballot 2", async () => {
    const v = violationOf(await check(acceptBelowPromise));
    expect(v.property).toBe("Agreement");
    expect(v.kind).toBe("invariant");
    expect(v.labels).toEqual([
      ...OPENING,
      "deliver(p2 → a2: Prepare{b: 1})",
      "deliver(p1 → a3: Prepare{b: 2})",
      "deliver(a2 → p2: Promise{b: 1, vb: 0, vv: 0})",
      "deliver(a3 → p1: Promise{b: 2, vb: 0, vv: 0})",
      "deliver(p2 → a3: Accept{b: 1, v: 2})",
      "deliver(p1 → a3: Accept{b: 2, v: 1})",
      "deliver(p2 → a1: Accept{b: 1, v: 2})",
      "deliver(p1 → a1: Accept{b: 2, v: 1})",
    ]);
  });

  it("minorityQuorums: one promise and one acceptance suffice, and l1 learns both values", async () => {
    const v = violationOf(await check(minorityQuorums));
    expect(v.property).toBe("LearnersAgree");
    expect(v.kind).toBe("invariant");
    expect(v.labels).toEqual([
      ...OPENING,
      "deliver(p2 → a2: Accept{b: 1, v: 2})",
      "deliver(p1 → a3: Accept{b: 2, v: 1})",
      "deliver(a2 → l1: Accepted{b: 1, v: 2})",
      "deliver(a3 → l1: Accepted{b: 2, v: 1})",
    ]);
    expect(v.last.procs.learner.get("l1")?.learned.toArray().sort()).toEqual([1, 2]);
  });

  it("duelingProposers: two fair proposers preempt each other forever (a cycle)", async () => {
    const r = await check(duelingProposers);
    expect(r.stats.distinct).toBe(5186);
    const v = violationOf(r);
    expect(v.property).toBe("EventuallyChosen");
    expect(v.kind).toBe("liveness");
    expect(v.labels).toEqual([
      "Init",
      "prepare(p1)",
      "prepare(p2)",
      "deliver(p2 → a1: Prepare{b: 1})",
      "deliver(p2 → a3: Prepare{b: 1})",
      "deliver(p2 → a2: Prepare{b: 1})",
      // The cycle: p1's ballot 2 overtakes p2's accepts, p2's ballot 3 overtakes p1's, ...
      "deliver(p1 → a1: Prepare{b: 2})",
      "deliver(a1 → p2: Promise{b: 1, vb: 0, vv: 0})",
      "deliver(p1 → a2: Prepare{b: 2})",
      "deliver(a2 → p2: Promise{b: 1, vb: 0, vv: 0})",
      "deliver(p1 → a3: Prepare{b: 2})",
      "prepare(p2)",
      "deliver(p2 → a1: Prepare{b: 3})",
      "deliver(p2 → a3: Prepare{b: 3})",
      "deliver(p2 → a2: Prepare{b: 3})",
    ]);
    expect(v.loopIndex).toBe(5);
    // ... and back to step 5 by p1's next ballot, 4, which the translation of ballots by 2
    // maps to step 5's state.
    expect(v.explanation).toMatchObject({ stutters: false, closingAction: "prepare(p1)" });
    // A fair cycle: both proposers act on it, and no message waits forever.
    expect(v.explanation?.fairness.map((f) => f.status)).not.toContain("enabled, not taken");
    expect(v.explanation?.starved.every((s) => s.enabled === "sometimes")).toBe(true);
  });
});
