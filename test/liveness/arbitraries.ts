// Random explicit transition systems, written as specs: the state is a node number, and
// actions A0..A2 each have the domain [0, 1]; instance Ak(x) leads from a node to the nodes
// listed for it (several: a nondeterministic choice; the node itself: a stutter).
import fc from "fast-check";
import { defineSpec, forEach, oneOf } from "../../src/index.ts";
import { strong, weak } from "../../src/liveness/fairness.ts";
import {
  alwaysEventually,
  eventually,
  eventuallyAlways,
  leadsTo,
} from "../../src/liveness/temporal.ts";
import type { Form, RefFairness, RefSystem } from "./reference.ts";

export interface RandomSystem {
  readonly n: number;
  readonly inits: readonly number[];
  /** [from, action, arg, to] */
  readonly moves: readonly (readonly [number, number, number, number])[];
  readonly p: readonly boolean[];
  readonly q: readonly boolean[];
  readonly fairness: readonly RefFairness[];
  readonly stutterAnywhere: boolean;
}

export const ACTIONS = ["A0", "A1", "A2"] as const;

export function randomSystem(maxEdges = 12): fc.Arbitrary<RandomSystem> {
  return fc.integer({ min: 1, max: 5 }).chain((n) => {
    const node = fc.nat(n - 1);
    return fc.record({
      n: fc.constant(n),
      inits: fc.uniqueArray(node, { minLength: 1, maxLength: 2 }),
      moves: fc.uniqueArray(fc.tuple(node, fc.nat(2), fc.nat(1), node), {
        minLength: Math.min(n, 3),
        maxLength: maxEdges,
        selector: (m) => m.join(","),
      }),
      p: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      q: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      fairness: fc.array(
        fc.record({
          kind: fc.constantFrom("weak" as const, "strong" as const),
          action: fc.constantFrom(...ACTIONS),
          each: fc.boolean(),
        }),
        { maxLength: 4 },
      ),
      stutterAnywhere: fc.boolean(),
    });
  });
}

export function toReference(sys: RandomSystem): RefSystem {
  return {
    n: sys.n,
    inits: sys.inits,
    edges: sys.moves
      .filter(([from, , , to]) => from !== to)
      .map(([from, a, x, to]) => ({ from, to, label: `A${a}(${x})` })),
    p: sys.p,
    q: sys.q,
    fairness: sys.fairness,
    stutterAnywhere: sys.stutterAnywhere,
  };
}

export function toSpec(sys: RandomSystem, form: Form) {
  const step = (a: number) =>
    forEach([0, 1], (s: number, x: number) => {
      const to = sys.moves.filter(([f, k, y]) => f === s && k === a && y === x).map((m) => m[3]);
      return to.length === 0 ? null : to.length === 1 ? to[0] : oneOf(...to);
    });
  const p = (s: number): boolean => sys.p[s]!;
  const q = (s: number): boolean => sys.q[s]!;
  const property =
    form === "eventually"
      ? eventually(p)
      : form === "leadsTo"
        ? leadsTo(p, q)
        : form === "alwaysEventually"
          ? alwaysEventually(p)
          : eventuallyAlways(p);
  return defineSpec<number>()({
    init: () => oneOf(...sys.inits),
    actions: { A0: step(0), A1: step(1), A2: step(2) },
    properties: { P: property },
    fairness: sys.fairness.map((f) =>
      (f.kind === "weak" ? weak : strong)(f.action, { each: f.each }),
    ),
    stuttering: sys.stutterAnywhere ? "anywhere" : "terminal",
  });
}
