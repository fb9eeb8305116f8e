// Timers: a timeout is a nondeterministic event, enabled while its timer is set.
import { describe, expect, it } from "vitest";
import { defineSystem } from "../../src/actors/index.ts";
import { check, labels } from "./check-system.ts";

/** A process that sets its timer at start, re-arms it once, and can cancel it. */
const ticker = defineSystem<{ msg: never; roles: { p: { ticks: number } }; timer: "tick" }>()({
  roles: {
    p: {
      init: () => ({ ticks: 0 }),
      onStart: (s, ctx) => {
        ctx.setTimer("tick");
        return s;
      },
      onTimeout: (s, _timer, ctx) => {
        if (s.ticks === 0) ctx.setTimer("tick");
        return { ticks: s.ticks + 1 };
      },
      actions: {
        stop: (s, ctx) => {
          if (!ctx.isTimerSet("tick")) return null;
          ctx.cancelTimer("tick");
          return s;
        },
      },
    },
  },
});

describe("timers", () => {
  it("timeouts happen while a timer is set; cancelling disables them", async () => {
    // (0, set) (1, set) (2, unset) (0, unset) (1, unset)
    const r = await check(ticker);
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(5);
  });

  it("labels timeouts with the process and the timer", async () => {
    const spec = ticker.variant({
      invariants: { Few: (s) => s.procs.p.get("p1")!.ticks < 2 },
    });
    const r = await check(spec);
    expect(labels(r)).toEqual(["Init", "timeout(p1, tick)", "timeout(p1, tick)"]);
    if (r.kind !== "violation") return;
    expect(r.violation.trace[1]!.state.timers!.size).toBe(1);
    expect(r.violation.trace[2]!.state.timers!.size).toBe(0);
  });

  it("a crash clears the crashed process's timers", async () => {
    const spec = ticker.variant({ faults: { crashes: 1 } });
    // The 5 live states, and one crashed state without timers.
    const r = await check(spec);
    expect(r.stats.distinct).toBe(6);
  });

  it("rejects a timer on a role without onTimeout", async () => {
    const spec = ticker.variant({ roles: { p: { onTimeout: undefined } } });
    const r = await check(spec);
    expect(r.kind).toBe("specError");
    if (r.kind !== "specError") return;
    expect(r.error.message).toMatch(/p1 uses timer tick, but its role p has no onTimeout/);
  });
});
