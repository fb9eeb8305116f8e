// The Bully algorithm (specs/leader-election-bully.ts): verdicts, state counts and shortest
// counterexamples at the default size (4 processes, up to 2 crashes).
import { describe, expect, it } from "vitest";
import { check, violationOf } from "../actors/check-system.ts";
import { weak } from "../../src/liveness/fairness.ts";
import bullyElection, { falseSuspicion } from "../../specs/leader-election-bully.ts";

describe("Bully leader election", () => {
  it("holds every property at the default size: 7,416 distinct states", async () => {
    const r = await check(bullyElection);
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(7416);
    expect(r.stats.depth).toBe(19);
    expect(r.stats.liveness).toMatchObject({ properties: 1, states: 7416 });
  });

  it("falseSuspicion: a process suspects the live coordinator and declares itself too", async () => {
    const v = violationOf(await check(falseSuspicion));
    expect(v.property).toBe("AtMostOneCoordinator");
    expect(v.kind).toBe("invariant");
    expect(v.labels).toEqual(["Init", "timeout(p1, heartbeat)", "timeout(p1, answer)"]);
    const selfCoordinators = [...v.last.procs.proc.values()].filter((p) => p.coordinator === p.id);
    expect(selfCoordinators.map((p) => p.id)).toEqual([1, 4]);
  });

  it("needs fair crash detection: a crash nobody detects never settles", async () => {
    const unfairDetection = bullyElection.variant({
      fairness: [weak("deliver", { each: true }), weak("timeout", { each: true })],
    });
    const v = violationOf(await check(unfairDetection));
    expect(v.property).toBe("EventuallyAgreed");
    expect(v.kind).toBe("liveness");
    expect(v.labels).toEqual(["Init", "crash(p1)"]);
    expect(v.loopIndex).toBe(1);
    expect(v.explanation?.stutters).toBe(true);
    // Starved: the detections (and further crashes, which nothing forces either).
    expect(v.explanation?.starved.map((s) => s.action)).toEqual([
      "detect(p2, p1)",
      "detect(p3, p1)",
      "detect(p4, p1)",
      "crash(p2)",
      "crash(p3)",
      "crash(p4)",
    ]);
  });
});
