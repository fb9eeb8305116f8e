// Crashes, restarts with durable state, loss on crash and crash detection, on tiny systems
// whose state counts are derived by hand in each test.
import { Set as ImmutableSet } from "immutable";
import { describe, expect, it } from "vitest";
import {
  defineSystem,
  inFlight,
  isCrashed,
  messageType,
  type FaultOptions,
  type MessageOf,
  type NetworkOptions,
} from "../../src/actors/index.ts";
import { buildModel } from "../../src/index.ts";
import { check, labels } from "./check-system.ts";

/** Three processes that do nothing but may crash. */
function idle(faults: FaultOptions) {
  return defineSystem<{ msg: never; roles: { p: object } }>()({
    roles: { p: { count: 3, init: () => ({}) } },
    faults,
  });
}

/** One process with a durable and a volatile flag, each set once by an action. */
function flags(faults: FaultOptions, durable: readonly ("d" | "v")[]) {
  return defineSystem<{ msg: never; roles: { p: { d: boolean; v: boolean } } }>()({
    roles: {
      p: {
        init: () => ({ d: false, v: false }),
        actions: {
          setD: (s) => (s.d ? null : { ...s, d: true }),
          setV: (s) => (s.v ? null : { ...s, v: true }),
        },
        durable,
      },
    },
    faults,
  });
}

const Num = messageType("Num", { i: 0 });

/** A sender that may crash sends 0 and 1 to a receiver, which records what it got. */
function sender(network: NetworkOptions) {
  return defineSystem<{
    msg: MessageOf<typeof Num>;
    roles: { s: { sent: number }; r: { got: ImmutableSet<number> } };
  }>()({
    roles: {
      s: {
        init: () => ({ sent: 0 }),
        actions: {
          send: (st, ctx) => {
            if (st.sent >= 2) return null;
            ctx.send("r1", Num({ i: st.sent }));
            return { sent: st.sent + 1 };
          },
        },
      },
      r: {
        init: () => ({ got: ImmutableSet<number>() }),
        onMessage: (st, _from, msg) => ({ got: st.got.add(msg.i) }),
      },
    },
    network,
    faults: { crashes: 1, crashable: ["s"], lossOnCrash: true },
  });
}

describe("faults", () => {
  it("crash-stop: at most f processes crash (subsets of size <= f)", async () => {
    expect((await check(idle({}))).stats.distinct).toBe(1);
    expect((await check(idle({ crashes: 1 }))).stats.distinct).toBe(4);
    expect((await check(idle({ crashes: 2 }))).stats.distinct).toBe(7); // 1 + 3 + 3
    expect((await check(idle({ crashes: 3 }))).stats.distinct).toBe(8);
  });

  it("only the crashable roles or processes crash", async () => {
    expect((await check(idle({ crashes: 2, crashable: ["p1", "p3"] }))).stats.distinct).toBe(4);
    expect((await check(idle({ crashes: 2, crashable: ["p"] }))).stats.distinct).toBe(7);
  });

  it("labels crashes with the process and removes the crashed process's state", async () => {
    const spec = idle({ crashes: 2 }).variant({
      invariants: { NoTwo: (s) => s.procs.p.size > 1 },
    });
    const r = await check(spec);
    expect(labels(r)).toEqual(["Init", "crash(p1)", "crash(p2)"]);
    if (r.kind !== "violation") return;
    const last = r.violation.trace.at(-1)!.state;
    expect([...last.procs.p.keys()]).toEqual(["p3"]);
    expect(isCrashed(last, "p1")).toBe(true);
    expect(isCrashed(last, "p3")).toBe(false);
  });

  it("without restarts a crashed process keeps nothing", async () => {
    // Live: 4 flag combinations; crashed: 1 state.
    expect((await check(flags({ crashes: 1 }, ["d"]))).stats.distinct).toBe(5);
  });

  it("restarts restore only the durable fields", async () => {
    // Live: 4 combinations; crashed: the saved d (2 states).
    const r = await check(flags({ crashes: 1, restart: true }, ["d"]));
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(6);
    // Nothing durable: every crashed state is the same, and a restart starts afresh.
    expect((await check(flags({ crashes: 1, restart: true }, []))).stats.distinct).toBe(5);
    // The disk keeps d (not v) while p1 is down; the restart brings d back, not v.
    const spec = flags({ crashes: 1, restart: true }, ["d"]).variant({
      invariants: { NotSaved: (s) => s.disk?.get("p1")?.d !== true },
    });
    const saved = await check(spec);
    expect(labels(saved)).toEqual(["Init", "setD(p1)", "crash(p1)"]);
    if (saved.kind !== "violation") return;
    const down = saved.violation.trace.at(-1)!.state;
    expect(down.disk!.get("p1")).toEqual({ d: true });
    const model = buildModel(spec);
    const restart = model.actions.find((a) => a.name === "restart")!;
    const up = restart.step(down, "p1") as typeof down;
    expect(up.procs.p.get("p1")).toEqual({ d: true, v: false });
    expect(up.disk!.size).toBe(0);
    expect(restart.step(up, "p1")).toBeNull();
  });

  it("a restart runs the role's onRestart with the restored state", async () => {
    const spec = defineSystem<{ msg: never; roles: { p: { epoch: number; up: boolean } } }>()({
      roles: {
        p: {
          init: () => ({ epoch: 0, up: false }),
          onStart: (s) => ({ ...s, up: true }),
          onRestart: (s) => ({ epoch: Math.min(s.epoch + 1, 2), up: true }),
          durable: ["epoch"],
        },
      },
      faults: { crashes: 1, restart: true },
    });
    // up in epoch 0, 1, 2 and crashed with epoch 0, 1, 2.
    const r = await check(spec);
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(6);
  });

  it("loss on crash: a multiset may lose any of the crashed sender's messages", async () => {
    // Live: k sent, each received or in flight (1 + 2 + 4). Crashed: each of 0 and 1 is
    // received, in flight or gone (9).
    const r = await check(sender({}));
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(16);
  });

  it("loss on crash: a FIFO channel loses the end of its queue, never its middle", async () => {
    // Live: 0 <= received <= sent <= 2 (6). Crashed: 0 <= received <= kept <= 2 (6).
    const r = await check(sender({ fifo: true }));
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(12);
    const gap = sender({ fifo: true }).variant({
      invariants: { NoGap: (s) => !s.procs.r.get("r1")!.got.equals(ImmutableSet([1])) },
    });
    expect((await check(gap)).kind).toBe("ok");
    const spec = sender({ fifo: true }).variant({
      invariants: { Kept: (s) => inFlight(s).length >= (s.crashed!.size > 0 ? 2 : 0) },
    });
    expect(labels(await check(spec))).toEqual(["Init", "crash(s1)"]);
  });

  it("crash detection: watchers get detect(watcher, crashed) after a crash", async () => {
    const watched = (crashes: number) =>
      defineSystem<{ msg: never; roles: { w: { down: ImmutableSet<string> }; p: object } }>()({
        roles: {
          w: {
            init: () => ({ down: ImmutableSet<string>() }),
            onCrash: (s, crashed) => ({ down: s.down.add(crashed) }),
          },
          p: { count: 2, init: () => ({}) },
        },
        faults: { crashes, crashable: ["p"] },
      });
    // Crash p1 or p2, then detect it: 1 + 2 + 2.
    expect((await check(watched(1))).stats.distinct).toBe(5);
    // Both crash: per crashed set, each crash detected or not, in any order.
    // {}: 1; {p1}, {p2}: 2 each; {p1, p2}: 4.
    expect((await check(watched(2))).stats.distinct).toBe(9);
    const spec = watched(1).variant({
      invariants: { Unaware: (s) => s.procs.w.get("w1")!.down.size === 0 },
    });
    expect(labels(await check(spec))).toEqual(["Init", "crash(p1)", "detect(w1, p1)"]);
  });
});
