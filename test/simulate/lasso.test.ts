// Random walks check temporal properties on the lassos they close: a step back to a visited
// state, or a state where the behaviour may stutter forever, under the spec's fairness.
import { describe, expect, it } from "vitest";
import { defineSpec, eventually, weak, type Fairness } from "../../src/index.ts";
import { buildModel, type Model } from "../../src/spec/model.ts";
import { simulate } from "../../src/simulate/simulate.ts";
import { Walker, type WalkInput } from "../../src/simulate/walk.ts";

interface Clock {
  readonly x: number;
  readonly done: boolean;
}

/**
 * A clock that ticks 0 → 1 → 2 → 0 forever unless it stops; `Done` never holds. `Tick` is the
 * only action of the first slot, `Stop` of the second.
 */
function clock(
  fairness: Fairness[],
  stuttering: "anywhere" | "terminal" = "anywhere",
  stoppable = true,
) {
  return buildModel<Clock>(
    defineSpec<Clock>()({
      init: () => ({ x: 0, done: false }),
      actions: {
        Tick: (s) => (s.done ? null : { ...s, x: (s.x + 1) % 3 }),
        Stop: (s) => (s.done || !stoppable ? null : { ...s, done: true }),
      },
      properties: { Done: eventually((s: Clock) => s.x === 7) },
      fairness,
      stuttering,
    }),
  );
}

const tick = { slot: 0, instance: 0, pick: 0 };
const stop = { slot: 1, instance: 0, pick: 0 };
const walk = (m: Model<Clock>, steps: WalkInput["steps"], deadlock = true) =>
  new Walker(m, deadlock).walk({ init: 0, steps });

describe("lassos of a walk", () => {
  it("a state where the behaviour may stutter forever fairly is a lasso", () => {
    const r = walk(clock([]), [tick, tick]);
    expect(r.kind).toBe("violation");
    if (r.kind !== "violation") return;
    expect(r.violation).toMatchObject({ property: "Done", kind: "liveness", loopIndex: 0 });
    expect(r.violation.trace.map((s) => s.label)).toEqual(["Init"]);
    expect(r.closing).toBeNull();
  });

  it("a step back to a visited state closes a cycle, fair if it takes what stays enabled", () => {
    // WF(Tick) rules out stuttering while Tick is enabled; the cycle takes Tick, and Stop is
    // not assumed fair.
    const r = walk(clock([weak("Tick")]), [tick, tick, tick, tick]);
    expect(r.kind).toBe("violation");
    if (r.kind !== "violation") return;
    expect(r.violation.loopIndex).toBe(0);
    expect(r.violation.trace.map((s) => s.label)).toEqual(["Init", "Tick", "Tick"]);
    expect(r.closing).toEqual({ label: "Tick", action: 0 });
  });

  it("does not report an unfair cycle", () => {
    // WF(Stop): Stop is enabled on the whole cycle and never taken.
    const m = clock([weak("Tick"), weak("Stop")]);
    expect(walk(m, [tick, tick, tick, tick]).kind).toBe("ok");
    // Stopping reaches a state without successors, where the behaviour stutters fairly (or
    // deadlocks, when that is checked).
    const d = walk(m, [tick, stop]);
    expect(d.kind === "violation" && d.violation.kind).toBe("deadlock");
    const r = walk(m, [tick, stop], false);
    expect(r.kind === "violation" && r.violation.trace.length).toBe(3);
    expect(r.kind === "violation" && r.violation.loopIndex).toBe(2);
  });

  it("stutters only where nothing else can happen when the spec says so", () => {
    const m = clock([], "terminal");
    const r = walk(m, [tick, tick, tick]);
    expect(r.kind === "violation" && r.violation.loopIndex).toBe(0);
    expect(r.kind === "violation" && r.violation.trace.length).toBe(3);
  });

  it("checks nothing temporal with liveness off", () => {
    expect(new Walker(clock([]), true, false).walk({ init: 0, steps: [tick, tick] }).kind).toBe(
      "ok",
    );
    const r = simulate(clock([]), { seed: 1, runs: 50, liveness: false, deadlock: false });
    expect(r.kind).toBe("ok");
  });

  it("shrinks a lasso: the shortest fair violating one", () => {
    for (const seed of [1, 2, 3]) {
      const r = simulate(clock([weak("Tick")], "anywhere", false), { seed });
      expect(r.kind).toBe("violation");
      if (r.kind !== "violation") continue;
      expect(r.violation.trace.length, `seed ${seed}`).toBe(3);
      expect(r.violation.explanation?.closingAction).toBe("Tick");
    }
  });
});
