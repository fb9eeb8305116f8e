import { describe, expect, it } from "vitest";
import chain, { noResendOnRelink, queriesAtHead } from "../../specs/chain-replication.ts";
import { historyOf } from "../../src/actors/index.ts";
import { check, labels } from "../actors/check-system.ts";

describe("chain replication", () => {
  it("holds with 3 servers, 2 clients doing 1 operation each and 1 crash (the defaults)", async () => {
    const r = await check(chain);
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(7_402);
    expect(r.stats.depth).toBe(16);
  });

  it("holds without crashes with 2 operations per client", async () => {
    const r = await check(chain, { crashes: 0, ops: 2 });
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(5_605);
  });

  it("queriesAtHead: a read sees a write that dies with the head", async () => {
    const r = await check(queriesAtHead); // 2 operations per client
    expect(labels(r)).toEqual([
      "Init",
      "write(c1)",
      "read(c2)",
      "deliver(c1 → s1: Write{op: 1, value: 1})",
      "deliver(c2 → s1: Read{op: 1})",
      "deliver(s1 → c2: ReadOk{op: 1, value: 1})",
      "crash(s1)",
      "detect(master, s1)",
      "deliver(master → s2: Config{chain: List[s2, s3]})",
      "deliver(master → c2: Config{chain: List[s2, s3]})",
      "read(c2)",
      "deliver(c2 → s2: Read{op: 2})",
      "deliver(s2 → c2: ReadOk{op: 2, value: 0})",
    ]);
    if (r.kind !== "violation") return;
    expect(r.violation.property).toBe("Linearizable");
    const last = r.violation.trace.at(-1)!.state;
    expect(historyOf(last).map((op) => [op.process, op.f, op.output ?? "pending"])).toEqual([
      ["c1", "write", "pending"],
      ["c2", "read", 1],
      ["c2", "read", 0],
    ]);
  });

  it("noResendOnRelink: the new successor misses an update and appends after a gap", async () => {
    const r = await check(noResendOnRelink);
    expect(labels(r)).toEqual([
      "Init",
      "write(c1)",
      "write(c2)",
      "deliver(c1 → s1: Write{op: 1, value: 1})",
      "crash(s2)",
      "detect(master, s2)",
      "deliver(master → s1: Config{chain: List[s1, s3]})",
      "deliver(c2 → s1: Write{op: 1, value: 2})",
      "deliver(s1 → s3: Fwd{seq: 2, upd: Upd{client: c2, op: 1, value: 2}})",
    ]);
    if (r.kind !== "violation") return;
    expect(r.violation.property).toBe("UpdatePrefix");
    const last = r.violation.trace.at(-1)!.state;
    const values = (id: string) =>
      last.procs.server
        .get(id)!
        .hist.map((u) => u.value)
        .toArray();
    expect(values("s1")).toEqual([1, 2]);
    expect(values("s3")).toEqual([2]);
  });
});
