// A symmetric role: with symmetry reduction on, states that differ only by a renaming of the
// role's process ids count as one.
import { Set as ImmutableSet } from "immutable";
import { describe, expect, it } from "vitest";
import { defineSystem, messageType, type MessageOf } from "../../src/actors/index.ts";
import { fingerprintHex } from "../../src/index.ts";
import { renameIds } from "../../src/actors/rename.ts";
import { envelope } from "../../src/actors/envelope.ts";
import { check, labels } from "./check-system.ts";

const Req = messageType("Req");
const Ack = messageType("Ack");

/** A client asks three servers and collects the ids of those that answered; servers may crash. */
const gather = defineSystem<{
  msg: MessageOf<typeof Req> | MessageOf<typeof Ack>;
  roles: { server: object; client: { acks: ImmutableSet<string> } };
}>()({
  roles: {
    server: {
      count: 3,
      prefix: "s",
      init: () => ({}),
      onMessage: (s, from, _msg, ctx) => (ctx.send(from, Ack()), s),
    },
    client: {
      prefix: "c",
      init: () => ({ acks: ImmutableSet<string>() }),
      onStart: (s, ctx) => (ctx.broadcast("server", Req()), s),
      onMessage: (s, from) => ({ acks: s.acks.add(from) }),
    },
  },
  faults: { crashes: 1, crashable: ["server"] },
  symmetric: "server",
});

describe("symmetry", () => {
  it("renames ids in keys, sets, envelopes and nested values, keeping what does not change", () => {
    const renaming = new Map([
      ["s1", "s2"],
      ["s2", "s1"],
    ]);
    const state = {
      a: ImmutableSet(["s1", "x"]),
      b: envelope("s2", "c1", Req()),
      c: { s1: ["s2", 3] },
      d: ImmutableSet(["x"]),
    };
    const out = renameIds(state, renaming) as typeof state;
    expect(fingerprintHex(out)).toBe(
      fingerprintHex({
        a: ImmutableSet(["s2", "x"]),
        b: envelope("s1", "c1", Req()),
        c: { s2: ["s1", 3] },
        d: ImmutableSet(["x"]),
      }),
    );
    expect(out.d).toBe(state.d);
  });

  it("counts orbits with --symmetry, and the same verdict", async () => {
    const plain = await check(gather);
    expect(plain.kind).toBe("ok");
    // Each server: request in flight, answer in flight, or answered (3^3); one may crash,
    // losing a request in flight to it (3 crashed servers x 3 x 3^2).
    expect(plain.stats.distinct).toBe(108);
    const reduced = await check(gather, {}, { symmetry: true });
    expect(reduced.kind).toBe("ok");
    // Orbits: the multiset of the three stages (10); with a crash, the crashed server's stage
    // times the multiset of the other two (3 x 6).
    expect(reduced.stats.distinct).toBe(28);
  });

  it("keeps counterexamples concrete behaviours", async () => {
    const spec = gather.variant({
      invariants: { FewAcks: (s) => s.procs.client.get("c1")!.acks.size < 2 },
    });
    const r = await check(spec, {}, { symmetry: true });
    expect(labels(r)).toEqual([
      "Init",
      "deliver(c1 → s1: Req{})",
      "deliver(c1 → s3: Req{})",
      "deliver(s1 → c1: Ack{})",
      "deliver(s3 → c1: Ack{})",
    ]);
  });
});
