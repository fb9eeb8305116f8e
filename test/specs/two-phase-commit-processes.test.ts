// Two-phase commit as processes (specs/two-phase-commit-processes.ts): verdicts, state counts
// and shortest counterexamples at the default size (3 participants).
import { describe, expect, it } from "vitest";
import { check, violationOf } from "../actors/check-system.ts";
import twoPhaseCommitProcesses, {
  abortWhilePrepared,
  coordinatorCrash,
} from "../../specs/two-phase-commit-processes.ts";

describe("two-phase commit with processes", () => {
  it("holds every property at the default size: 518 distinct states", async () => {
    const r = await check(twoPhaseCommitProcesses);
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(518);
    expect(r.stats.depth).toBe(11);
    expect(r.stats.liveness).toMatchObject({ properties: 1, states: 518 });
  });

  it("coordinatorCrash: participants that voted yes block forever (a lasso after the crash)", async () => {
    const v = violationOf(await check(coordinatorCrash));
    // Safety was checked on every state first: only the liveness property fails.
    expect(v.property).toBe("EveryParticipantDecides");
    expect(v.kind).toBe("liveness");
    expect(v.labels).toEqual([
      "Init",
      "deliver(c → p1: Prepare{})",
      "deliver(c → p3: Prepare{})",
      "deliver(c → p2: Prepare{})",
      "crash(c)",
    ]);
    expect(v.loopIndex).toBe(4);
    expect(v.explanation).toMatchObject({ stutters: true, closingAction: null, starved: [] });
    expect([...v.last.procs.participant.values()].map((p) => p.phase)).toEqual([
      "prepared",
      "prepared",
      "prepared",
    ]);
    expect(v.last.crashed?.has("c")).toBe(true);
  });

  it("abortWhilePrepared: a prepared participant aborts while the others commit", async () => {
    const v = violationOf(await check(abortWhilePrepared));
    expect(v.property).toBe("Atomicity");
    expect(v.kind).toBe("invariant");
    expect(v.labels).toEqual([
      "Init",
      "deliver(c → p1: Prepare{})",
      "deliver(c → p3: Prepare{})",
      "deliver(p1 → c: Vote{yes: true})",
      "deliver(p3 → c: Vote{yes: true})",
      "deliver(c → p2: Prepare{})",
      "deliver(p2 → c: Vote{yes: true})",
      "deliver(c → p1: Commit{})",
      "timeout(p2, decision)",
    ]);
    expect(v.last.procs.participant.get("p1")?.phase).toBe("committed");
    expect(v.last.procs.participant.get("p2")?.phase).toBe("aborted");
  });
});
