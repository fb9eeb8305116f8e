// A system's temporal properties and fairness pass through to the compiled spec. Weak
// fairness of `deliver` for each envelope is fair delivery; for the action as a whole it is
// not, when other deliveries can go on forever.
import { describe, expect, it } from "vitest";
import { defineSystem, messageType, type MessageOf } from "../../src/actors/index.ts";
import { eventually, weak } from "../../src/index.ts";
import { check } from "./check-system.ts";

const Hello = messageType("Hello");
const Tick = messageType("Tick");

/** p1 greets q1 once; a ticker keeps sending itself ticks forever. */
const greeting = defineSystem<{
  msg: MessageOf<typeof Hello> | MessageOf<typeof Tick>;
  roles: { p: object; q: { greeted: boolean }; ticker: { odd: boolean } };
}>()({
  roles: {
    p: { init: () => ({}), onStart: (s, ctx) => (ctx.send("q1", Hello()), s) },
    q: { init: () => ({ greeted: false }), onMessage: () => ({ greeted: true }) },
    // Each tick changes the ticker's state: a tick is a real step, not a stutter.
    ticker: {
      init: () => ({ odd: false }),
      onStart: (s, ctx) => (ctx.send(ctx.self, Tick()), s),
      onMessage: (s, _from, _msg, ctx) => (ctx.send(ctx.self, Tick()), { odd: !s.odd }),
    },
  },
  properties: { Greeted: eventually((s) => s.procs.q.get("q1")!.greeted) },
});

describe("liveness of systems", () => {
  it("is violated without fairness", async () => {
    const r = await check(greeting);
    expect(r.kind).toBe("violation");
    if (r.kind === "violation") expect(r.violation.property).toBe("Greeted");
  });

  it("is violated with weak fairness of deliver as one action: ticks starve the greeting", async () => {
    const r = await check(greeting.variant({ fairness: [weak("deliver")] }));
    expect(r.kind).toBe("violation");
    if (r.kind !== "violation") return;
    expect(r.violation.kind).toBe("liveness");
    expect(r.violation.trace.slice(1).map((s) => s.label)).toEqual([
      "deliver(ticker1 → ticker1: Tick{})",
    ]);
  });

  it("holds with weak fairness of deliver for each envelope (fair delivery)", async () => {
    const r = await check(greeting.variant({ fairness: [weak("deliver", { each: true })] }));
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(4); // greeted or not, times odd or not
  });
});
