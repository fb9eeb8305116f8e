// Shrinking a failing walk: a fast-check arbitrary of walk inputs (lists of choices, walk.ts)
// whose shrinker proposes shorter and simpler walks. fast-check drives it as it drives any
// shrinker (keeping the first candidate that still fails, then shrinking that), so a shrink has
// a path that replays it.
//
// Candidates are built from the choices the walk actually used, each naming its instance by
// label: after a removal, later choices may fall back to other instances, and naming those keeps
// them when the next removal shifts the enabled instances again. In order:
// 1. the walk without a run of steps, longest runs first (halves, quarters, ... single steps);
// 2. a step of a fixed-domain action moved to a lower element of its domain (process 1 rather
//    than process 3), so that shrunk traces involve few processes;
// 3. the first successor of a step with several (`oneOf`), and the first initial state.
import fc from "fast-check";
import type { Choice, WalkInput, Walker } from "./walk.ts";

export class WalkArbitrary<S> extends fc.Arbitrary<WalkInput> {
  constructor(
    private readonly walker: Walker<S>,
    private readonly random: fc.Arbitrary<WalkInput>,
  ) {
    super();
  }

  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<WalkInput> {
    return new fc.Value(this.random.generate(mrng, biasFactor).value, undefined);
  }

  canShrinkWithoutContext(value: unknown): value is WalkInput {
    if (typeof value !== "object" || value === null) return false;
    const v = value as { init?: unknown; steps?: unknown };
    return Number.isInteger(v.init) && Array.isArray(v.steps);
  }

  shrink(value: WalkInput): fc.Stream<fc.Value<WalkInput>> {
    return fc.stream(this.candidates(value)).map((v) => new fc.Value(v, undefined));
  }

  private *candidates(value: WalkInput): Generator<WalkInput> {
    const r = this.walker.walk(value);
    const steps = r.kind === "ok" ? value.steps : r.input.steps;
    const init = value.init;
    const n = steps.length;
    for (let size = n >> 1 || 1; size >= 1 && n > 0; size = size === 1 ? 0 : size >> 1) {
      for (let from = 0; from + size <= n; from += size) {
        yield { init, steps: [...steps.slice(0, from), ...steps.slice(from + size)] };
      }
    }
    const slots = this.walker.slots;
    for (let i = 0; i < n; i++) {
      const c = steps[i]!;
      const slot = slots[c.slot % slots.length]!;
      if (slot.position === null || slot.position === 0) continue;
      for (let p = 0; p < slot.position; p++) {
        yield with_(init, steps, i, {
          slot: c.slot - slot.position + p,
          instance: 0,
          pick: c.pick,
        });
      }
    }
    for (let i = 0; i < n; i++) {
      const c = steps[i]!;
      if (c.pick > 0) yield with_(init, steps, i, { ...c, pick: 0 });
    }
    if (init > 0) yield { init: 0, steps };
  }
}

function with_(init: number, steps: readonly Choice[], i: number, c: Choice): WalkInput {
  return { init, steps: steps.map((s, j) => (j === i ? c : s)) };
}
