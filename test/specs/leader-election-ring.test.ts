// Chang–Roberts ring election (specs/leader-election-ring.ts): verdicts, state counts and
// shortest counterexamples at the default size (5 nodes, ids 1, 3, 5, 2, 4 around the ring).
import { describe, expect, it } from "vitest";
import { check, violationOf } from "../actors/check-system.ts";
import ringElection, {
  duplicateIds,
  noFairness,
  unfairDelivery,
} from "../../specs/leader-election-ring.ts";

describe("Chang–Roberts leader election on a ring", () => {
  it("holds every property at the default size: 2,452 distinct states", async () => {
    const r = await check(ringElection);
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(2452);
    expect(r.stats.depth).toBe(37);
    expect(r.stats.liveness).toMatchObject({ properties: 2, states: 2452 });
  });

  it("duplicateIds: two nodes with the highest id both become leader", async () => {
    const v = violationOf(await check(duplicateIds));
    expect(v.property).toBe("AtMostOneLeader");
    expect(v.kind).toBe("invariant");
    expect(v.labels).toEqual([
      "Init",
      "start(n2)",
      "start(n3)",
      "deliver(n2 → n3: Election{id: 5})",
      "deliver(n3 → n4: Election{id: 5})",
      "deliver(n4 → n5: Election{id: 5})",
      "deliver(n5 → n1: Election{id: 5})",
      "deliver(n1 → n2: Election{id: 5})",
    ]);
    const leaders = [...v.last.procs.node.entries()].filter(([, n]) => n.isLeader);
    expect(leaders.map(([id]) => id)).toEqual(["n2", "n3"]);
  });

  it("noFairness: nothing forces a node to start, so no leader is ever elected", async () => {
    const v = violationOf(await check(noFairness));
    expect(v.property).toBe("EventuallyLeader");
    expect(v.kind).toBe("liveness");
    expect(v.labels).toEqual(["Init"]);
    expect(v.loopIndex).toBe(0);
    expect(v.explanation?.stutters).toBe(true);
    expect(v.explanation?.starved).toEqual(
      ["n1", "n2", "n3", "n4", "n5"].map((n) => ({ action: `start(${n})`, enabled: "always" })),
    );
  });

  it("unfairDelivery: every node starts, but the election messages stay in flight", async () => {
    const v = violationOf(await check(unfairDelivery));
    expect(v.property).toBe("EventuallyLeader");
    expect(v.kind).toBe("liveness");
    expect(v.labels).toEqual([
      "Init",
      "start(n1)",
      "start(n2)",
      "start(n3)",
      "start(n4)",
      "start(n5)",
    ]);
    expect(v.loopIndex).toBe(5);
    expect(v.explanation?.stutters).toBe(true);
    expect(v.explanation?.starved.map((s) => s.action)).toEqual([
      "deliver(n1 → n2: Election{id: 1})",
      "deliver(n2 → n3: Election{id: 3})",
      "deliver(n3 → n4: Election{id: 5})",
      "deliver(n4 → n5: Election{id: 2})",
      "deliver(n5 → n1: Election{id: 4})",
    ]);
  });
});
