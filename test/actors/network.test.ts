// The network options on a sender that sends n numbered messages to a receiver, which
// records the numbers it received. The state counts are derived by hand in each test.
import { Set as ImmutableSet } from "immutable";
import { describe, expect, it } from "vitest";
import {
  defineSystem,
  inFlight,
  messageType,
  type MessageOf,
  type NetworkOptions,
} from "../../src/actors/index.ts";
import { param } from "../../src/index.ts";
import { check, labels } from "./check-system.ts";

const Num = messageType("Num", { i: 0 });

function numbers(network: NetworkOptions) {
  return defineSystem<{
    msg: MessageOf<typeof Num>;
    roles: { sender: { sent: number }; receiver: { got: ImmutableSet<number> } };
  }>()({
    params: { n: param.int({ default: 3 }) },
    roles: {
      sender: {
        init: () => ({ sent: 0 }),
        actions: {
          send: (s, ctx) => {
            if (s.sent >= ctx.params.n) return null;
            ctx.send("receiver1", Num({ i: s.sent }));
            return { sent: s.sent + 1 };
          },
        },
      },
      receiver: {
        init: () => ({ got: ImmutableSet<number>() }),
        onMessage: (s, _from, msg) => ({ got: s.got.add(msg.i) }),
      },
    },
    network,
  });
}

describe("network", () => {
  it("multiset: any subset of the sent messages may have arrived (2^(n+1) - 1 states)", async () => {
    const r = await check(numbers({}));
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(15); // sum over k = 0..3 sent of 2^k
  });

  it("FIFO: the received messages are a prefix of the sent ones", async () => {
    const r = await check(numbers({ fifo: true }));
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(10); // (n+1)(n+2)/2
  });

  it("multiset, lossy: each sent message is in flight, received or lost (3^k)", async () => {
    const r = await check(numbers({ lossy: true }));
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(40); // 1 + 3 + 9 + 27
  });

  it("FIFO, lossy: a prefix was processed (each received or lost), the rest is queued", async () => {
    const r = await check(numbers({ fifo: true, lossy: true }));
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(26); // sum over k of sum over j <= k of 2^j
  });

  it("multiset, duplicating: in flight, in flight and received, or received (3^k)", async () => {
    const r = await check(numbers({ duplicating: true }));
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(40);
  });

  it("FIFO, duplicating: the head of the queue may also have been received already", async () => {
    const r = await check(numbers({ fifo: true, duplicating: true }));
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(16); // sum over k of 2k + 1
  });

  it("a duplicating multiset holds each envelope once, so re-sends do not grow it", async () => {
    // The sender sends the same message twice: a multiset counts 2, a duplicating one 1.
    const Ping = messageType("Ping");
    const twice = (network: NetworkOptions) =>
      defineSystem<{ msg: MessageOf<typeof Ping>; roles: { p: { n: number }; q: object } }>()({
        roles: {
          p: {
            init: () => ({ n: 0 }),
            actions: {
              send: (s, ctx) => (s.n < 2 ? (ctx.send("q1", Ping()), { n: s.n + 1 }) : null),
            },
          },
          q: { init: () => ({}), onMessage: (s) => s },
        },
        network,
        invariants: { AtMostOne: (s) => inFlight(s).length <= 1 },
      });
    expect((await check(twice({ duplicating: true }))).kind).toBe("ok");
    const r = await check(twice({}));
    expect(labels(r)).toEqual(["Init", "send(p1)", "send(p1)"]);
  });

  it("labels steps with the envelope, and reads the network back with inFlight", async () => {
    const spec = numbers({ fifo: true }).variant({
      invariants: { Short: (s) => inFlight(s).length < 2 },
    });
    const r = await check(spec);
    expect(labels(r)).toEqual(["Init", "send(sender1)", "send(sender1)"]);
    if (r.kind !== "violation") return;
    const last = r.violation.trace.at(-1)!.state;
    const sent = inFlight<MessageOf<typeof Num>>(last);
    expect(sent.map((e) => [e.from, e.to, e.msg.i])).toEqual([
      ["sender1", "receiver1", 0],
      ["sender1", "receiver1", 1],
    ]);
    const lossy = numbers({ lossy: true }).variant({
      invariants: {
        NothingLost: (s) =>
          inFlight(s).length + s.procs.receiver.get("receiver1")!.got.size ===
          s.procs.sender.get("sender1")!.sent,
      },
    });
    expect(labels(await check(lossy))).toEqual([
      "Init",
      "send(sender1)",
      "drop(sender1 → receiver1: Num{i: 0})",
    ]);
  });
});
