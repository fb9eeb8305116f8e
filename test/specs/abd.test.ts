import { describe, expect, it } from "vitest";
import abd, { minorityQuorums, noWriteBack } from "../../specs/abd.ts";
import { explainHistory, historyOf } from "../../src/actors/index.ts";
import { register } from "../../src/lincheck/index.ts";
import { check, labels } from "../actors/check-system.ts";
import { expectSpecHolds, expectViolation } from "protomc/vitest";

describe("ABD atomic register", () => {
  it("is linearizable with 3 servers, 1 writer, 1 reader and 1 crash (the defaults)", async () => {
    const r = await check(abd);
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(12_903);
    expect(r.stats.depth).toBe(20);
  });

  it("orders the writes of 2 writers by (counter, writer) timestamps, without deadlock", async () => {
    const r = await check(abd, { writers: 2, readers: 0, crashes: 0 });
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(4_826);
  });

  it("noWriteBack: a read returns a value that a later read does not see", async () => {
    const r = await check(noWriteBack); // 1 writer, 2 readers, no crash
    expect(labels(r)).toEqual([
      "Init",
      "write(w1)",
      "read(r1)",
      "deliver(w1 → s1: Query{op: 1})",
      "deliver(r1 → s3: Query{op: 1})",
      "deliver(s1 → w1: QueryAck{op: 1, ts: Ts{n: 0, w: 0}, value: 0})",
      "deliver(s3 → r1: QueryAck{op: 1, ts: Ts{n: 0, w: 0}, value: 0})",
      "deliver(w1 → s2: Query{op: 1})",
      "deliver(s2 → w1: QueryAck{op: 1, ts: Ts{n: 0, w: 0}, value: 0})",
      "deliver(w1 → s1: Update{op: 1, ts: Ts{n: 1, w: 1}, value: 1})",
      "deliver(r1 → s1: Query{op: 1})",
      "deliver(s1 → r1: QueryAck{op: 1, ts: Ts{n: 1, w: 1}, value: 1})",
      "read(r2)",
      "deliver(r2 → s2: Query{op: 1})",
      "deliver(r2 → s3: Query{op: 1})",
      "deliver(s2 → r2: QueryAck{op: 1, ts: Ts{n: 0, w: 0}, value: 0})",
      "deliver(s3 → r2: QueryAck{op: 1, ts: Ts{n: 0, w: 0}, value: 0})",
    ]);
    if (r.kind !== "violation") return;
    expect(r.violation.property).toBe("Linearizable");
    const last = r.violation.trace.at(-1)!.state;
    // The write is still pending; r1 read its value, then r2 read the initial one.
    expect(historyOf(last).map((op) => [op.process, op.f, op.output ?? "pending"])).toEqual([
      ["r1", "read", 1],
      ["r2", "read", 0],
      ["w1", "write", "pending"],
    ]);
    expect(explainHistory(last, register(0))).toMatch(/cannot be placed next: .* r2: read/);
  });

  it("minorityQuorums: a read quorum misses a completed write", async () => {
    const r = await check(minorityQuorums);
    expect(labels(r)).toEqual([
      "Init",
      "write(w1)",
      "deliver(w1 → s1: Query{op: 1})",
      "deliver(s1 → w1: QueryAck{op: 1, ts: Ts{n: 0, w: 0}, value: 0})",
      "deliver(w1 → s1: Update{op: 1, ts: Ts{n: 1, w: 1}, value: 1})",
      "deliver(s1 → w1: UpdateAck{op: 1})",
      "read(r1)",
      "deliver(r1 → s2: Query{op: 1})",
      "deliver(s2 → r1: QueryAck{op: 1, ts: Ts{n: 0, w: 0}, value: 0})",
      "deliver(r1 → s1: Update{op: 1, ts: Ts{n: 0, w: 0}, value: 0})",
      "deliver(s1 → r1: UpdateAck{op: 1})",
    ]);
    if (r.kind !== "violation") return;
    expect(r.violation.property).toBe("Linearizable");
  });
});

describe("ABD liveness: every operation eventually returns", () => {
  it("holds under fair delivery with fewer than half the servers crashed", async () => {
    await expectSpecHolds("specs/abd.ts", { traceDir: false });
    const r = await check(abd);
    expect(r.stats.liveness).toMatchObject({ properties: 1, states: 12_903, edges: 60_234 });
  });

  it("fails without fair delivery: the system may stop with an operation pending", async () => {
    await expectViolation(abd.variant({ fairness: [] }), {
      property: "EveryOperationReturns",
      kind: "liveness",
      length: 1,
    });
  });

  it("fails when a majority of the servers may crash: a client waits forever", async () => {
    await expectViolation("specs/abd.ts", {
      params: { crashes: 2 },
      property: "EveryOperationReturns",
      kind: "liveness",
    });
  });
});
