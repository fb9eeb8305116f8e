// Type tests for the liveness API: predicates get the state and params types from the spec.
import { describe, expectTypeOf, it } from "vitest";
import { defineSpec, param } from "../../src/index.ts";
import { strong, weak, type Fairness } from "../../src/liveness/fairness.ts";
import {
  always,
  alwaysEventually,
  eventually,
  eventuallyAlways,
  leadsTo,
  type TemporalProperty,
} from "../../src/liveness/temporal.ts";

interface State {
  readonly phase: "idle" | "busy" | "done";
  readonly count: number;
}

describe("temporal properties", () => {
  it("infer the state from the spec", () => {
    defineSpec<State>()({
      init: () => ({ phase: "idle", count: 0 }),
      actions: { Work: (s) => ({ ...s, phase: "busy" }) },
      properties: {
        Done: eventually((s) => {
          expectTypeOf(s).toEqualTypeOf<State>();
          return s.phase === "done";
        }),
        Leads: leadsTo(
          (s) => s.phase === "busy",
          (s) => s.phase === "done",
        ),
        Often: alwaysEventually((s) => s.count === 0),
        Settles: eventuallyAlways((s) => s.phase === "done"),
        Bounded: always((s) => s.count <= 3),
      },
      fairness: [weak("Work"), strong("Work", { each: true })],
    });
  });

  it("get the params in the function form", () => {
    defineSpec<State>()({
      params: { limit: param.int({ default: 3 }) },
      init: () => ({ phase: "idle", count: 0 }),
      actions: {},
      properties: ({ limit }) => {
        expectTypeOf(limit).toEqualTypeOf<number>();
        return {
          Bounded: always((s) => s.count <= limit),
          AlsoBounded: always((s, params) => {
            expectTypeOf(params.limit).toEqualTypeOf<number>();
            return s.count <= params.limit;
          }),
        };
      },
    });
  });

  it("reject predicates over the wrong state", () => {
    defineSpec<State>()({
      init: () => ({ phase: "idle", count: 0 }),
      actions: {},
      properties: {
        // @ts-expect-error -- State has no field `done`
        Wrong: eventually((s) => s.done === true),
        // @ts-expect-error -- a predicate returns a boolean
        NotBool: always((s) => s.count),
      },
    });
  });

  it("build typed values", () => {
    expectTypeOf(eventually((s: State) => s.count > 0)).toEqualTypeOf<
      TemporalProperty<State, unknown>
    >();
    expectTypeOf(weak("Deliver", { each: true })).toEqualTypeOf<Fairness<"Deliver">>();
    // @ts-expect-error -- fairness options are { each?: boolean }
    weak("Deliver", { every: true });
    // @ts-expect-error -- fairness names an action
    strong(3);
  });
});
