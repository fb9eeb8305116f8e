// Type tests of the spec API: the state type, written once as `defineSpec<State>()`, flows into
// every action, domain element, predicate, view and variant; params are typed from their
// declarations. (Checked by `tsc` through vitest's typecheck mode: nothing here runs.)
import { Set as ISet, type RecordOf } from "immutable";
import { describe, expectTypeOf, it } from "vitest";
import {
  buildModel,
  defineSpec,
  forEach,
  oneOf,
  param,
  range,
  valueRecord,
  type Choice,
  type Next,
  type ParamsOf,
  type Spec,
  type StateOf,
} from "../../src/index.ts";

type Phase = "idle" | "running" | "done";
type Msg = RecordOf<{ kind: "ping" | "pong"; from: number }>;
const Msg = valueRecord<{ kind: "ping" | "pong"; from: number }>({ kind: "ping", from: 0 }, "Msg");

// Typed once: `ISet()` inferred from the state type costs TypeScript seconds per use.
const NO_MSGS = ISet<Msg>();

interface State {
  readonly phase: Phase;
  readonly count: number;
  readonly procs: readonly Phase[];
  readonly msgs: ISet<Msg>;
}

const params = {
  n: param.int({ default: 3, min: 1, max: 8 }),
  lossy: param.bool({ default: false }),
  mode: param.oneOf(["fast", "slow"], { default: "fast" }),
};

interface Params {
  readonly n: number;
  readonly lossy: boolean;
  readonly mode: "fast" | "slow";
}

describe("defineSpec<State>()", () => {
  it("flows the state type into actions, domains, predicates, view and terminal", () => {
    const spec = defineSpec<State>()({
      params,
      init: (p) => {
        expectTypeOf(p).toEqualTypeOf<Params>();
        return { phase: "idle", count: 0, procs: range(p.n).map(() => "idle"), msgs: NO_MSGS };
      },
      actions: (p) => {
        expectTypeOf(p).toEqualTypeOf<Params>();
        return {
          Start: (s) => {
            expectTypeOf(s).toEqualTypeOf<State>();
            return s.phase === "idle" ? { ...s, phase: "running" } : null;
          },
          Step: forEach(range(p.n), (s, i) => {
            expectTypeOf(s).toEqualTypeOf<State>();
            expectTypeOf(i).toEqualTypeOf<number>();
            return { ...s, count: s.count + i };
          }),
          Pick: forEach(["a", "b"] as const, (_s, x) => {
            expectTypeOf(x).toEqualTypeOf<"a" | "b">();
            return null;
          }),
          // A domain computed from the state: its elements are typed from what it returns.
          Deliver: forEach(
            (s) => {
              expectTypeOf(s).toEqualTypeOf<State>();
              return s.msgs;
            },
            (s, m) => {
              expectTypeOf(m).toEqualTypeOf<Msg>();
              return m.kind === "ping"
                ? { ...s, msgs: s.msgs.remove(m).add(Msg({ kind: "pong", from: m.from })) }
                : null;
            },
          ),
          Fork: (s) => oneOf<State>({ ...s, phase: "done" }, { ...s, count: 0 }),
        };
      },
      invariants: {
        Bounded: (s, p) => {
          expectTypeOf(s).toEqualTypeOf<State>();
          expectTypeOf(p).toEqualTypeOf<Params>();
          return s.count <= p.n;
        },
      },
      stepProperties: {
        Monotonic: (before, after, p) => {
          expectTypeOf(before).toEqualTypeOf<State>();
          expectTypeOf(after).toEqualTypeOf<State>();
          expectTypeOf(p).toEqualTypeOf<Params>();
          return after.count >= before.count;
        },
      },
      constraint: (s, p) => {
        expectTypeOf(s).toEqualTypeOf<State>();
        expectTypeOf(p).toEqualTypeOf<Params>();
        return s.count < 10;
      },
      view: (s, p) => {
        expectTypeOf(s).toEqualTypeOf<State>();
        expectTypeOf(p).toEqualTypeOf<Params>();
        return [s.phase, s.count];
      },
      terminal: (s, p) => {
        expectTypeOf(s).toEqualTypeOf<State>();
        expectTypeOf(p).toEqualTypeOf<Params>();
        return s.phase === "done";
      },
    });
    expectTypeOf(spec).toEqualTypeOf<Spec<State, typeof params>>();
    expectTypeOf<StateOf<typeof spec>>().toEqualTypeOf<State>();
    expectTypeOf<ParamsOf<typeof spec>>().toEqualTypeOf<Params>();
  });

  it("extracts the state type of a spec with StateOf", () => {
    const spec = defineSpec<State>()({
      init: () => ({ phase: "idle", count: 0, procs: [], msgs: NO_MSGS }),
      actions: { Start: (s) => ({ ...s, phase: "running" }) },
    });
    expectTypeOf(spec).toEqualTypeOf<Spec<State, Record<never, never>>>();
    expectTypeOf<StateOf<typeof spec>>().toEqualTypeOf<State>();
    expectTypeOf<StateOf<typeof spec.variant>>().toEqualTypeOf<never>();
    expectTypeOf<StateOf<ReturnType<typeof spec.variant>>>().toEqualTypeOf<State>();
    expectTypeOf<StateOf<{ definition: State }>>().toEqualTypeOf<never>();
  });

  it("types params from their declarations", () => {
    expectTypeOf(param.int({ default: 1 }).default).toEqualTypeOf<number>();
    expectTypeOf(param.bool({ default: true }).default).toEqualTypeOf<boolean>();
    expectTypeOf(param.oneOf(["a", "b"], { default: "a" }).default).toEqualTypeOf<"a" | "b">();
    expectTypeOf(param.oneOf(["a", "b"], { default: "a" }).values).toEqualTypeOf<
      readonly ("a" | "b")[]
    >();
    // @ts-expect-error -- the default must be one of the values
    param.oneOf(["a", "b"], { default: "c" });
    // @ts-expect-error -- an int param's default is a number
    param.int({ default: "3" });
    // @ts-expect-error -- a bool param's default is a boolean
    param.bool({ default: 1 });

    defineSpec<{ x: number }>()({
      params: { k: param.oneOf(["x", "y", "z"], { default: "z" }) },
      init: ({ k }) => {
        expectTypeOf(k).toEqualTypeOf<"x" | "y" | "z">();
        return { x: 0 };
      },
      actions: {},
    });
    // Without params, the params argument has no fields.
    const bare = defineSpec<{ x: number }>()({
      init: (p) => {
        // @ts-expect-error -- no such param
        void p.n;
        return { x: 0 };
      },
      actions: {},
    });
    expectTypeOf(bare).toEqualTypeOf<Spec<{ x: number }, Record<never, never>>>();
    expectTypeOf<ParamsOf<typeof bare>>().toEqualTypeOf<Record<never, never>>();
  });

  it("accepts a string literal in a union-typed field, and rejects wrong results", () => {
    defineSpec<State>()({
      init: () => ({ phase: "idle", count: 0, procs: [], msgs: NO_MSGS }),
      actions: {
        // The literal stays "done" (not widened to string) against the state type.
        Finish: (s) => ({ ...s, phase: "done" }),
        Conditional: (s) => (s.count > 3 ? { ...s, phase: "done", count: 0 } : null),
        Procs: (s) => ({ ...s, procs: s.procs.map(() => "running") }),
        // @ts-expect-error -- not a phase
        Typo: (s) => ({ ...s, phase: "finished" }),
        // @ts-expect-error -- count is a number
        WrongType: (s) => ({ ...s, count: "1" }),
        // @ts-expect-error -- a successor must be a whole state
        Partial: () => ({ phase: "done" }),
        Each: forEach(range(2), (s, i) =>
          // @ts-expect-error -- the domain element is a number, not a phase
          ({ ...s, phase: i }),
        ),
      },
    });
    defineSpec<State>()({
      // @ts-expect-error -- init must return a state
      init: () => ({ phase: "idle", count: "0", procs: [], msgs: NO_MSGS }),
      actions: {},
    });
    defineSpec<State>()({
      init: () => ({ phase: "idle", count: 0, procs: [], msgs: NO_MSGS }),
      actions: {},
      invariants: {
        // @ts-expect-error -- no such field
        Unknown: (s) => s.counter === 0,
      },
    });
    defineSpec<State>()({
      init: () => ({ phase: "idle", count: 0, procs: [], msgs: NO_MSGS }),
      actions: {},
      // @ts-expect-error -- a predicate returns a boolean
      terminal: (s) => s.count,
    });
  });

  it("types the several initial states and successors of oneOf", () => {
    defineSpec<State>()({
      init: () =>
        oneOf<State>(
          { phase: "idle", count: 0, procs: [], msgs: NO_MSGS },
          { phase: "done", count: 1, procs: ["done"], msgs: NO_MSGS },
        ),
      actions: {
        Two: (s) => oneOf<State>(s, { ...s, count: 1 }),
      },
    });
    expectTypeOf(oneOf(1, 2)).toEqualTypeOf<Choice<number>>();
    expectTypeOf<Next<State>>().toEqualTypeOf<State | Choice<State> | null | undefined | false>();
  });

  it("keeps the types through variant", () => {
    const base = defineSpec<State>()({
      params,
      init: () => ({ phase: "idle", count: 0, procs: [], msgs: NO_MSGS }),
      actions: { Start: (s) => ({ ...s, phase: "running" }) },
    });
    const v = base.variant({
      actions: {
        Start: (s) => {
          expectTypeOf(s).toEqualTypeOf<State>();
          return { ...s, phase: "done" };
        },
      },
      invariants: {
        Small: (s, p) => {
          expectTypeOf(p).toEqualTypeOf<Params>();
          return s.count < p.n;
        },
      },
    });
    expectTypeOf(v).toEqualTypeOf<Spec<State, typeof params>>();
    expectTypeOf<StateOf<typeof v>>().toEqualTypeOf<State>();
    expectTypeOf<ParamsOf<typeof v>>().toEqualTypeOf<Params>();
    base.variant({
      actions: {
        // @ts-expect-error -- a variant's actions are checked against the same state type
        Start: (s) => ({ ...s, phase: 1 }),
      },
    });
    base.variant({
      actions: (p) => {
        expectTypeOf(p).toEqualTypeOf<Params>();
        return {};
      },
    });
  });
});

// `Spec<S, P>` uses P contravariantly (params are an argument of init, actions and the
// predicates) and S invariantly, so the helper types must match with `any`, not ParamDecls.
describe("specs with params", () => {
  it("are accepted wherever any spec is", () => {
    const withParams = defineSpec<{ x: number }>()({
      params: { n: param.int({ default: 1 }) },
      init: ({ n }) => ({ x: n }),
      actions: {},
    });
    buildModel(withParams);
    const noParams = defineSpec<{ x: number }>()({ init: () => ({ x: 0 }), actions: {} });
    buildModel(noParams);
  });
});
