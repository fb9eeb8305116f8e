// Hand-written small specs that pin the engine's semantics: TLC's constraint and deadlock
// rules, terminal states, step properties, several successors and initial states, limits,
// views, and the spec errors (with their codes, messages and traces).
import { List, Map as IMap, Seq } from "immutable";
import { describe, expect, it } from "vitest";
import {
  buildModel,
  checkModel,
  defineSpec,
  forEach,
  oneOf,
  param,
  ParamError,
  SpecError,
  type AnySpec,
  type Spec,
  type CheckOptions,
  type CheckResult,
  type SpecErrorCode,
} from "../../src/index.ts";

const STRATEGIES = ["bfs", "dfs"] as const;

interface Counter {
  readonly x: number;
}

function run<S>(spec: AnySpec, options: CheckOptions = {}): Promise<CheckResult<S>> {
  return checkModel(buildModel<S>(spec as Spec<S>), options);
}

/** The trace of a violation as "label:state" strings, or a failure naming what came back. */
function traceOf<S>(r: CheckResult<S>, show: (s: S) => string): string[] {
  if (r.kind !== "violation") throw new Error(`expected a violation, got ${summary(r)}`);
  return r.violation.trace.map((step) => `${step.label}:${show(step.state)}`);
}

/** A one-line summary of a result, so that a failure says what came back. */
function summary(r: CheckResult<unknown>): string {
  if (r.kind === "specError") return `specError ${r.error.code}: ${r.error.message}`;
  if (r.kind === "incomplete") return `incomplete (${r.reason})`;
  if (r.kind === "violation") return `violation of ${r.violation.property}`;
  return r.kind;
}

const showX = (s: Counter): string => String(s.x);

function expectSpecError<S>(
  r: CheckResult<S>,
  code: SpecErrorCode,
  message: string | RegExp,
): Extract<CheckResult<S>, { kind: "specError" }> {
  if (r.kind !== "specError") throw new Error(`expected a spec error, got ${summary(r)}`);
  expect(r.error).toBeInstanceOf(SpecError);
  expect(r.error.code).toBe(code);
  if (typeof message === "string") expect(r.error.message).toBe(message);
  else expect(r.error.message).toMatch(message);
  return r;
}

/** A counter from 0 that stops at `last` (or never, for Infinity). */
function counter(last: number) {
  return defineSpec<Counter>()({
    init: () => ({ x: 0 }),
    actions: { Inc: (s) => (s.x < last ? { x: s.x + 1 } : null) },
  });
}

describe("state constraint (TLC's CONSTRAINT)", () => {
  const constrained = defineSpec<Counter>()({
    init: () => ({ x: 0 }),
    actions: { Inc: (s) => ({ x: s.x + 1 }) },
    constraint: (s) => s.x < 3,
  });

  it.each(STRATEGIES)("%s: counts a state outside it but does not expand it", async (strategy) => {
    const r = await run<Counter>(constrained, { strategy });
    expect(r.kind).toBe("ok");
    // 0, 1, 2 inside; 3 outside, counted; 4 never generated.
    expect(r.stats.distinct).toBe(4);
    expect(r.stats.generated).toBe(4);
    expect(r.stats.depth).toBe(4);
  });

  it.each(STRATEGIES)("%s: checks a state outside it against the invariants", async (strategy) => {
    const r = await run<Counter>(
      constrained.variant({ invariants: { BelowThree: (s) => s.x < 3 } }),
      { strategy },
    );
    expect(r.kind === "violation" && r.violation.property).toBe("BelowThree");
    expect(traceOf(r, showX)).toEqual(["Init:0", "Inc:1", "Inc:2", "Inc:3"]);
    const belowFour = await run<Counter>(
      constrained.variant({ invariants: { BelowFour: (s) => s.x < 4 } }),
      { strategy },
    );
    expect(belowFour.kind).toBe("ok");
  });

  it.each(STRATEGIES)(
    "%s: judges deadlock before the constraint filters successors",
    async (strategy) => {
      // 0 → 1 → … → 5, and 5 has no successor.
      const five = counter(5);
      expect(traceOf(await run<Counter>(five, { strategy }), showX)).toEqual([
        "Init:0",
        "Inc:1",
        "Inc:2",
        "Inc:3",
        "Inc:4",
        "Inc:5",
      ]);
      // 1's only successor (2) is outside the constraint: 1 is not a deadlock, and 2 is never
      // expanded, so it is not judged either.
      const cut = await run<Counter>(five.variant({ constraint: (s) => s.x < 2 }), { strategy });
      expect(cut.kind).toBe("ok");
      expect(cut.stats.distinct).toBe(3);
      // The dead end itself outside the constraint: not expanded, so not a deadlock.
      const deadOutside = await run<Counter>(five.variant({ constraint: (s) => s.x !== 5 }), {
        strategy,
      });
      expect(deadOutside.kind).toBe("ok");
      expect(deadOutside.stats.distinct).toBe(6);
      // The dead end inside the constraint: a deadlock.
      const deadInside = await run<Counter>(five.variant({ constraint: (s) => s.x < 6 }), {
        strategy,
      });
      expect(deadInside.kind === "violation" && deadInside.violation.kind).toBe("deadlock");
      expect(traceOf(deadInside, showX)).toHaveLength(6);
    },
  );
});

describe("deadlock and terminal states", () => {
  const three = counter(3);

  it.each(STRATEGIES)("%s: a state without successors is a deadlock", async (strategy) => {
    const r = await run<Counter>(three, { strategy });
    if (r.kind !== "violation") throw new Error(summary(r));
    expect(r.violation.property).toBe("deadlock");
    expect(r.violation.kind).toBe("deadlock");
    expect(r.violation.loopIndex).toBeNull();
    expect(traceOf(r, showX)).toEqual(["Init:0", "Inc:1", "Inc:2", "Inc:3"]);
  });

  it.each(STRATEGIES)("%s: terminal marks legitimate end states", async (strategy) => {
    const ok = await run<Counter>(three.variant({ terminal: (s) => s.x === 3 }), { strategy });
    expect(ok.kind).toBe("ok");
    expect(ok.stats.distinct).toBe(4);
    // A terminal predicate that does not cover the dead end does not excuse it.
    const wrong = await run<Counter>(three.variant({ terminal: (s) => s.x === 2 }), { strategy });
    expect(traceOf(wrong, showX)).toEqual(["Init:0", "Inc:1", "Inc:2", "Inc:3"]);
    // deadlock: false turns the check off.
    const off = await run<Counter>(three, { strategy, deadlock: false });
    expect(off.kind).toBe("ok");
    expect(off.stats.distinct).toBe(4);
  });

  it("a state whose only successor is itself is not a deadlock", async () => {
    const r = await run<Counter>(
      defineSpec<Counter>()({ init: () => ({ x: 0 }), actions: { Stay: (s) => s } }),
    );
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(1);
    expect(r.stats.generated).toBe(2);
  });

  it("an action returning oneOf() with no states gives no successor", async () => {
    const r = await run<Counter>(
      defineSpec<Counter>()({ init: () => ({ x: 0 }), actions: { Nothing: () => oneOf() } }),
    );
    expect(r.kind === "violation" && r.violation.kind).toBe("deadlock");
  });
});

describe("step properties", () => {
  const cycle = defineSpec<Counter>()({
    init: () => ({ x: 0 }),
    actions: { Inc: (s) => ({ x: (s.x + 1) % 3 }) },
    stepProperties: { NoWrap: (a, b) => !(a.x === 2 && b.x === 0) },
  });

  it.each(STRATEGIES)("%s: are checked on steps to already-seen states", async (strategy) => {
    const r = await run<Counter>(cycle, { strategy });
    if (r.kind !== "violation") throw new Error(summary(r));
    expect(r.violation.property).toBe("NoWrap");
    expect(r.violation.kind).toBe("step");
    expect(traceOf(r, showX)).toEqual(["Init:0", "Inc:1", "Inc:2", "Inc:0"]);
  });

  it.each(STRATEGIES)("%s: are checked on stuttering steps", async (strategy) => {
    const r = await run<Counter>(
      defineSpec<Counter>()({
        init: () => ({ x: 0 }),
        actions: { Inc: (s) => (s.x < 2 ? { x: s.x + 1 } : null), Stay: (s) => s },
        stepProperties: { Changes: (a, b) => a.x !== b.x },
      }),
      { strategy },
    );
    expect(r.kind === "violation" && r.violation.property).toBe("Changes");
    // BFS meets the stutter of the initial state first; DFS goes down Inc (the first action)
    // and meets the stutter of 2, the first state whose only successor is itself.
    expect(traceOf(r, showX)).toEqual(
      strategy === "bfs" ? ["Init:0", "Stay:0"] : ["Init:0", "Inc:1", "Inc:2", "Stay:2"],
    );
  });

  it("are called exactly once per step, duplicates and stutters included", async () => {
    let calls = 0;
    const r = await run<Counter>(
      defineSpec<Counter>()({
        init: () => ({ x: 0 }),
        actions: {
          Inc: (s) => ({ x: (s.x + 1) % 3 }),
          Dec: (s) => ({ x: (s.x + 2) % 3 }),
          Stay: (s) => s,
        },
        stepProperties: {
          Counted: () => {
            calls++;
            return true;
          },
        },
      }),
    );
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(3);
    // Three states, three actions each.
    expect(r.stats.generated).toBe(1 + 9);
    expect(calls).toBe(9);
  });
});

describe("several successors and several initial states", () => {
  it.each(STRATEGIES)("%s: oneOf gives several successors, in order", async (strategy) => {
    const branch = defineSpec<Counter>()({
      init: () => ({ x: 0 }),
      actions: { Branch: (s) => (s.x === 0 ? oneOf({ x: 1 }, { x: 2 }, { x: 3 }) : null) },
    });
    const r = await run<Counter>(branch, { strategy, deadlock: false });
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(4);
    expect(r.stats.generated).toBe(4);
    // The trace is rebuilt by re-executing: it must pick the third choice, not the first.
    const bad = await run<Counter>(branch.variant({ invariants: { NotThree: (s) => s.x !== 3 } }), {
      strategy,
      deadlock: false,
    });
    expect(traceOf(bad, showX)).toEqual(["Init:0", "Branch:3"]);
  });

  it.each(STRATEGIES)("%s: several initial states, duplicates merged", async (strategy) => {
    const inits = defineSpec<Counter>()({
      init: () => oneOf({ x: 0 }, { x: 10 }, { x: 0 }),
      actions: { Inc: (s) => (s.x % 10 < 2 ? { x: s.x + 1 } : null) },
    });
    const r = await run<Counter>(inits, { strategy, deadlock: false });
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(6); // 0 1 2 10 11 12
    expect(r.stats.generated).toBe(3 + 4);
    if (strategy === "bfs") expect(r.stats.depth).toBe(3);
    const bad = await run<Counter>(inits.variant({ invariants: { Not11: (s) => s.x !== 11 } }), {
      strategy,
      deadlock: false,
    });
    expect(traceOf(bad, showX)).toEqual(["Init:10", "Inc:11"]);
    // A violating initial state is a one-state trace.
    const badInit = await run<Counter>(
      inits.variant({ invariants: { Not10: (s) => s.x !== 10 } }),
      { strategy, deadlock: false },
    );
    expect(traceOf(badInit, showX)).toEqual(["Init:10"]);
  });

  it("an action over a domain is labelled Name(arg), strings bare when they are identifiers", async () => {
    interface Log {
      readonly log: readonly string[];
    }
    const spec = defineSpec<Log>()({
      init: () => ({ log: [] }),
      actions: {
        Send: forEach(["a", "b c", "true"], (s, m) =>
          s.log.length < 2 ? { log: [...s.log, m] } : null,
        ),
      },
      invariants: { Short: (s) => s.log.length < 2 || s.log[1] !== "true" },
    });
    const r = await run<Log>(spec);
    expect(traceOf(r, (s) => s.log.join("|"))).toEqual([
      "Init:",
      "Send(a):a",
      'Send("true"):a|true',
    ]);
    const r2 = await run<Log>(
      spec.variant({ invariants: { Short: (s) => s.log.length < 1 || s.log[0] !== "b c" } }),
    );
    expect(r2.kind === "violation" && r2.violation.trace[1]!.label).toBe('Send("b c")');
  });
});

describe("limits", () => {
  const endless = counter(Infinity);

  it.each(STRATEGIES)("%s: maxStates", async (strategy) => {
    const r = await run<Counter>(endless, { strategy, maxStates: 10 });
    expect(r.kind === "incomplete" && r.reason).toBe("max-states");
    expect(r.stats.distinct).toBe(10);
  });

  it.each(STRATEGIES)("%s: maxDepth", async (strategy) => {
    const r = await run<Counter>(endless, { strategy, maxDepth: 5 });
    expect(r.kind === "incomplete" && r.reason).toBe("max-depth");
    expect(r.stats.distinct).toBe(5);
    expect(r.stats.depth).toBe(5);
    expect(r.stats.generated).toBe(5);
  });

  it.each(STRATEGIES)(
    "%s: maxDepth makes a run incomplete only if a state lies at that depth",
    async (strategy) => {
      // 0..3: four levels.
      const four = counter(3);
      const at = await run<Counter>(four, { strategy, maxDepth: 4, deadlock: false });
      expect(at.kind === "incomplete" && at.reason).toBe("max-depth");
      const beyond = await run<Counter>(four, { strategy, maxDepth: 5, deadlock: false });
      expect(beyond.kind).toBe("ok");
      expect(beyond.stats.distinct).toBe(4);
    },
  );

  it.each(STRATEGIES)(
    "%s: maxDepth is judged by the shortest path to a state, not the first one found",
    async (strategy) => {
      // a → b → c and a → c: c is at depth 2. DFS meets c at depth 3 first (via b).
      const adj: Record<string, string[]> = { a: ["b", "c"], b: ["c"], c: [] };
      const spec = defineSpec<{ at: string }>()({
        init: () => ({ at: "a" }),
        actions: {
          Go: forEach(
            (s) => adj[s.at]!,
            (_s, to) => ({ at: to }),
          ),
        },
      });
      const r = await run(spec, { strategy, maxDepth: 3, deadlock: false });
      expect(summary(r)).toBe("ok");
      expect(r.stats.distinct).toBe(3);
      const cut = await run(spec, { strategy, maxDepth: 2, deadlock: false });
      expect(summary(cut)).toBe("incomplete (max-depth)");
      expect(cut.stats.distinct).toBe(3);
    },
  );

  it.each(STRATEGIES)("%s: timeLimitMs", async (strategy) => {
    const r = await run<Counter>(endless, { strategy, timeLimitMs: 50 });
    expect(r.kind === "incomplete" && r.reason).toBe("time-limit");
    expect(r.stats.elapsedMs).toBeGreaterThanOrEqual(50);
    expect(r.stats.distinct).toBeGreaterThan(1);
  });

  it.each(STRATEGIES)("%s: an aborted signal interrupts", async (strategy) => {
    const before = new AbortController();
    before.abort();
    const r = await run<Counter>(endless, { strategy, signal: before.signal });
    expect(r.kind === "incomplete" && r.reason).toBe("interrupted");

    const during = new AbortController();
    setTimeout(() => during.abort(), 20);
    const r2 = await run<Counter>(endless, {
      strategy,
      signal: during.signal,
      timeLimitMs: 10_000,
    });
    expect(r2.kind === "incomplete" && r2.reason).toBe("interrupted");
    expect(r2.stats.elapsedMs).toBeLessThan(5_000);
  });
});

describe("view (TLC's VIEW)", () => {
  interface Noisy {
    readonly x: number;
    readonly junk: number;
  }
  const noisy = defineSpec<Noisy>()({
    init: () => ({ x: 0, junk: 0 }),
    actions: {
      Inc: (s) => (s.x < 2 ? { ...s, x: s.x + 1 } : null),
      Junk: (s) => (s.junk < 5 ? { ...s, junk: s.junk + 1 } : null),
    },
  });

  it.each(STRATEGIES)("%s: merges states with equal views", async (strategy) => {
    const all = await run<Noisy>(noisy, { strategy, deadlock: false });
    expect(all.stats.distinct).toBe(3 * 6);
    const viewed = await run<Noisy>(noisy.variant({ view: (s) => s.x }), {
      strategy,
      deadlock: false,
    });
    expect(viewed.kind).toBe("ok");
    expect(viewed.stats.distinct).toBe(3);
    // A state merged into one with the same view is never explored, so never checked.
    const inv = { invariants: { NoJunk: (s: Noisy) => s.junk === 0 } };
    expect((await run<Noisy>(noisy.variant(inv), { strategy, deadlock: false })).kind).toBe(
      "violation",
    );
    expect(
      (await run<Noisy>(noisy.variant({ ...inv, view: (s) => s.x }), { strategy, deadlock: false }))
        .kind,
    ).toBe("ok");
  });
});

describe("spec errors", () => {
  const crashing = defineSpec<Counter>()({
    init: () => ({ x: 0 }),
    actions: {
      Inc: (s) => (s.x < 5 ? { x: s.x + 1 } : null),
      Crash: forEach([1, 2], (s, n) => {
        if (s.x === 2 && n === 2) throw new Error("boom");
        return null;
      }),
    },
  });

  it.each(STRATEGIES)("%s: an action that throws → PMC002 naming Name(arg)", async (strategy) => {
    const r = expectSpecError(
      await run<Counter>(crashing, { strategy }),
      "PMC002",
      "action Crash(2) threw: boom",
    );
    expect((r.error.cause as Error).message).toBe("boom");
    expect(r.trace?.map((t) => `${t.label}:${t.state.x}`)).toEqual(["Init:0", "Inc:1", "Inc:2"]);
  });

  it.each(STRATEGIES)("%s: an action that throws a non-Error → PMC002", async (strategy) => {
    const spec = defineSpec<Counter>()({
      init: () => ({ x: 0 }),
      actions: {
        Boom: (s) => {
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- the point of the test
          if (s.x === 1) throw "boom";
          return { x: s.x + 1 };
        },
      },
    });
    const r = expectSpecError(
      await run<Counter>(spec, { strategy }),
      "PMC002",
      "action Boom threw: boom",
    );
    expect(r.trace?.map((t) => `${t.label}:${t.state.x}`)).toEqual(["Init:0", "Boom:1"]);
  });

  it("predicates and init that throw → PMC002 naming them", async () => {
    const fail = (): never => {
      throw new Error("nope");
    };
    const three = counter(3);
    expectSpecError(
      await run(three.variant({ invariants: { Inv: (s) => (s.x === 2 ? fail() : true) } })),
      "PMC002",
      "invariant Inv threw: nope",
    );
    expectSpecError(
      await run(three.variant({ stepProperties: { Step: fail } })),
      "PMC002",
      "step property Step threw: nope",
    );
    expectSpecError(
      await run(three.variant({ constraint: fail })),
      "PMC002",
      "constraint threw: nope",
    );
    expectSpecError(await run(three.variant({ view: fail })), "PMC002", "view threw: nope");
    expectSpecError(await run(three.variant({ terminal: fail })), "PMC002", "terminal threw: nope");
    const r = expectSpecError(
      await run(three.variant({ init: fail })),
      "PMC002",
      "init threw: nope",
    );
    expect(r.trace).toBeNull();
  });

  it("a nondeterministic action → PMC003 with the trace to the state", async () => {
    let calls = 0;
    const spec = defineSpec<{ x: number; c: number }>()({
      init: () => ({ x: 0, c: 0 }),
      actions: {
        Inc: (s) => (s.x < 3 ? { x: s.x + 1, c: s.c } : null),
        Tick: (s) => (s.x === 1 ? { ...s, c: calls++ } : null),
      },
    });
    const r = expectSpecError(
      await run<{ x: number; c: number }>(spec),
      "PMC003",
      /^action Tick is not deterministic: re-executed on the same state, it returned a different successor$/,
    );
    expect(r.trace?.map((t) => `${t.label}:${t.state.x}`)).toEqual(["Init:0", "Inc:1"]);
  });

  it("an action whose number of successors varies → PMC003", async () => {
    let calls = 0;
    const spec = defineSpec<Counter>()({
      init: () => ({ x: 0 }),
      actions: { Flaky: (s) => (calls++ % 2 === 0 ? { x: s.x + 1 } : null) },
    });
    expectSpecError(await run(spec), "PMC003", /not deterministic.*different number of successors/);
  });

  it.each(STRATEGIES)(
    "%s: an action that mutates its state → PMC004 naming it",
    async (strategy) => {
      interface Arr {
        readonly n: number;
        readonly arr: number[];
      }
      const spec = defineSpec<Arr>()({
        init: () => ({ n: 0, arr: [] }),
        actions: {
          Tick: (s) => (s.n < 2 ? { ...s, n: s.n + 1 } : null),
          Push: forEach([7], (s, v) => {
            if (s.arr.length >= 3) return null;
            s.arr.push(v);
            return { ...s };
          }),
        },
      });
      const r = expectSpecError(
        await run<Arr>(spec, { strategy }),
        "PMC004",
        "action Push(7) mutated the state it was given (a state must not change once produced)",
      );
      expect(r.error.fix).toMatch(/spread syntax or immutable\.js/);
      // The trace leads to the state that was mutated (rebuilt afresh from the initial state).
      expect(r.trace?.map((t) => [t.label, t.state.arr.length])).toEqual([["Init", 0]]);
    },
  );

  // Every way a state can change in place, made by one action on a state whose other fields
  // its siblings share by reference (Tick copies the state with a spread): each is caught,
  // whether the engine walks the state again or compares it with what it recorded.
  interface Nest {
    readonly n: number;
    readonly arr: number[];
    readonly procs: { phase: string }[];
    readonly cfg: { a: number };
    readonly grid: number[][];
    readonly extra?: number;
  }
  const mutations: [string, (s: Nest) => void][] = [
    ["an array element replaced", (s) => void (s.arr[0] = 9)],
    ["an element pushed", (s) => void s.arr.push(1)],
    ["a field reassigned", (s) => void ((s as { arr: number[] }).arr = [1, 2])],
    ["a field added", (s) => void ((s as { extra?: number }).extra = 1)],
    ["a field deleted", (s) => void delete (s as { cfg?: unknown }).cfg],
    ["a field of an object in an array", (s) => void (s.procs[1]!.phase = "done")],
    ["a field of a nested object", (s) => void (s.cfg.a = 2)],
    ["an element of a nested array", (s) => void (s.grid[1]![0] = 7)],
  ];
  it.each(STRATEGIES.flatMap((strategy) => mutations.map(([what, f]) => [strategy, what, f])))(
    "%s: %s by an action → PMC004",
    async (strategy, _what, mutate) => {
      const spec = defineSpec<Nest>()({
        init: () => ({
          n: 0,
          arr: [0, 1],
          procs: [{ phase: "a" }, { phase: "b" }],
          cfg: { a: 1 },
          grid: [[0], [1]],
        }),
        actions: {
          Tick: (s) => (s.n < 4 ? { ...s, n: s.n + 1 } : null),
          Mutate: (s) => {
            if (s.n !== 2) return null;
            (mutate as (s: Nest) => void)(s);
            return null;
          },
        },
      });
      const r = expectSpecError(
        await run<Nest>(spec, { strategy: strategy as "bfs" | "dfs", deadlock: false }),
        "PMC004",
        "action Mutate mutated the state it was given (a state must not change once produced)",
      );
      expect(r.trace?.map((t) => t.label)).toEqual(["Init", "Tick", "Tick"]);
    },
  );

  class Lock {
    held = false;
  }
  const cyclic: { name: string; self?: unknown } = { name: "n" };
  cyclic.self = cyclic;
  const invalidStates: [string, unknown, string][] = [
    [
      "a function",
      { procs: [{ id: 0 }, { id: 1, handler: () => 0 }] },
      "state.procs[1].handler is a function",
    ],
    ["a class instance", { lock: new Lock() }, "state.lock is an instance of class Lock"],
    [
      "a JavaScript Map",
      { peers: new Map([[1, 2]]) },
      "state.peers is a JavaScript Map (use Map from immutable)",
    ],
    [
      "a JavaScript Set",
      { peers: new Set([1]) },
      "state.peers is a JavaScript Set (use Set from immutable)",
    ],
    ["a symbol", { tag: Symbol("t") }, "state.tag is a symbol"],
    [
      "an undefined array element",
      { log: [1, undefined, 3] },
      "state.log[1] is undefined (use null, or leave the key out of the object)",
    ],
    [
      "a hole in a sparse array",
      // eslint-disable-next-line no-sparse-arrays -- the point of the test
      { log: [1, , 3] },
      "state.log[1] is undefined (use null, or leave the key out of the object)",
    ],
    ["a cycle", { nodes: [cyclic] }, "state.nodes[0].self is a cycle (the value contains itself)"],
    ["a Date", { at: new Date(0) }, "state.at is an instance of class Date"],
    [
      "a function in an immutable Map",
      { m: IMap([["k", () => 1]]) },
      'state.m.get("k") is a function',
    ],
    ["a function in a List", { l: List([1, () => 1]) }, "state.l[1] is a function"],
    [
      "a lazy Seq",
      { s: Seq([1]) },
      "state.s is a lazy immutable.js Seq/Range/Repeat (convert it to a List or Set)",
    ],
    ["a key that is not an identifier", { "a b": [() => 1] }, 'state["a b"][0] is a function'],
  ];

  for (const strategy of STRATEGIES) {
    it.each(invalidStates)(
      `${strategy}: an initial state holding %s → PMC001 with the path`,
      async (_what, state, where) => {
        const spec = defineSpec<unknown>()({ init: () => state, actions: {} });
        const r = expectSpecError(
          await run(spec, { strategy }),
          "PMC001",
          `${where}, which cannot be part of a state`,
        );
        expect(r.trace).toBeNull();
      },
    );
  }

  it.each(STRATEGIES)("%s: a state nested too deeply → PMC001, not a crash", async (strategy) => {
    let deep: unknown = null;
    for (let i = 0; i < 10_000; i++) deep = { next: deep };
    const spec = defineSpec<unknown>()({ init: () => deep, actions: {} });
    expectSpecError(
      await run(spec, { strategy }),
      "PMC001",
      "state is nested too deeply to be a state value",
    );
  });

  it.each(STRATEGIES)(
    "%s: a later initial state holding a function → PMC001 without a trace",
    async (strategy) => {
      const spec = defineSpec<{ x: number; f?: () => number }>()({
        init: () => oneOf({ x: 0 }, { x: 1, f: () => 1 }),
        actions: { Inc: (s) => (s.x < 3 ? { x: s.x + 1 } : null) },
      });
      const r = expectSpecError(
        await run(spec, { strategy, deadlock: false }),
        "PMC001",
        "state.f is a function, which cannot be part of a state",
      );
      expect(r.trace).toBeNull();
    },
  );

  it.each(STRATEGIES)(
    "%s: a successor holding a function → PMC001, with the trace to its parent",
    async (strategy) => {
      interface Proc {
        readonly x: number;
        readonly procs: readonly { readonly id: number; readonly handler?: unknown }[];
      }
      // 0 has two successors: the chain 1 → 2 → 3 → 4 (explored first by DFS), and a bad one.
      const spec = defineSpec<Proc>()({
        init: () => ({ x: 0, procs: [{ id: 0 }] }),
        actions: {
          Go: forEach([1, 2], (s, k) => {
            if (s.x === 0 && k === 2)
              return { x: 9, procs: [...s.procs, { id: 1, handler: () => 0 }] };
            return s.x < 4 && k === 1 ? { ...s, x: s.x + 1 } : null;
          }),
        },
      });
      const r = expectSpecError(
        await run<Proc>(spec, { strategy, deadlock: false }),
        "PMC001",
        "state.procs[1].handler is a function, which cannot be part of a state",
      );
      expect(r.trace?.map((t) => `${t.label}:${t.state.x}`)).toEqual(["Init:0"]);
    },
  );

  it("a predicate returning a non-boolean → PMC008", async () => {
    const three = counter(3);
    const weird = (s: Counter) => s.x as unknown as boolean;
    expectSpecError(
      await run(three.variant({ invariants: { Weird: weird } })),
      "PMC008",
      "invariant Weird returned 0, not a boolean",
    );
    expectSpecError(
      await run(three.variant({ invariants: { Forgot: () => undefined as unknown as boolean } })),
      "PMC008",
      "invariant Forgot returned undefined, not a boolean",
    );
    // A truthy non-boolean is not accepted either.
    expectSpecError(
      await run(three.variant({ invariants: { One: () => 1 as unknown as boolean } })),
      "PMC008",
      "invariant One returned 1, not a boolean",
    );
    expectSpecError(
      await run(three.variant({ stepProperties: { S: () => "yes" as unknown as boolean } })),
      "PMC008",
      'step property S returned "yes", not a boolean',
    );
    expectSpecError(
      await run(three.variant({ constraint: () => null as unknown as boolean })),
      "PMC008",
      "constraint returned null, not a boolean",
    );
  });
});

describe("params", () => {
  const typed = defineSpec<Counter>()({
    params: {
      n: param.int({ default: 2, min: 1, max: 5, description: "processes" }),
      mode: param.oneOf(["fast", "slow"], { default: "fast" }),
      verbose: param.bool({ default: false }),
    },
    init: () => ({ x: 0 }),
    actions: ({ n }) => ({ Inc: (s) => (s.x < n ? { x: s.x + 1 } : null) }),
  });
  const spec: AnySpec = typed;
  const VALID =
    "valid params:\n" +
    "  n=<integer in 1..5> (default 2) — processes\n" +
    "  mode=<fast|slow> (default fast)\n" +
    "  verbose=<true|false> (default false)";

  it("resolves defaults and given values, and the model uses them", async () => {
    expect(buildModel(spec).params).toEqual({ n: 2, mode: "fast", verbose: false });
    const m = buildModel<Counter>(spec as Spec<Counter>, { n: 4, verbose: true });
    expect(m.params).toEqual({ n: 4, mode: "fast", verbose: true });
    const r = await checkModel(m, { deadlock: false });
    expect(r.stats.distinct).toBe(5);
  });

  it("rejects unknown names, listing the valid params", () => {
    expect(() => buildModel(spec, { nn: 3 })).toThrow(ParamError);
    expect(() => buildModel(spec, { nn: 3 })).toThrow(`unknown param "nn"; ${VALID}`);
    const none = defineSpec<Counter>()({ init: () => ({ x: 0 }), actions: {} });
    expect(() => buildModel(none, { x: 1 })).toThrow('unknown param "x"; this spec has no params');
  });

  it("rejects out-of-range and ill-typed values", () => {
    const msg = (given: Record<string, number | string | boolean>): string => {
      try {
        buildModel(spec, given);
      } catch (e) {
        expect(e).toBeInstanceOf(ParamError);
        return (e as Error).message;
      }
      throw new Error("no ParamError");
    };
    expect(msg({ n: 6 })).toBe(
      "param n=6 is out of range: n=<integer in 1..5> (default 2) — processes",
    );
    expect(msg({ n: 0 })).toBe(
      "param n=0 is out of range: n=<integer in 1..5> (default 2) — processes",
    );
    expect(msg({ n: 1.5 })).toBe("param n must be an integer, got 1.5");
    expect(msg({ mode: "medium" })).toBe('param mode must be one of fast, slow, got "medium"');
    expect(msg({ verbose: "yes" })).toBe('param verbose must be true or false, got "yes"');
  });
});
