// Differential tests of the engine against a plain reference search: fast-check generates
// random explicit transition systems, each is turned into a protomc spec, and checkModel must
// agree with an obviously-correct breadth-first search written here (and, for reachability,
// with graphology-traversal) on counts, depth, verdicts and the exact counterexample.
import fc from "fast-check";
import { MultiDirectedGraph } from "graphology";
import { bfsFromNode } from "graphology-traversal";
import { describe, expect, it } from "vitest";
import {
  buildModel,
  checkModel,
  defineSpec,
  forEach,
  oneOf,
  type CheckOptions,
  type CheckResult,
} from "../../src/index.ts";

interface Node {
  readonly node: number;
}

/** An explicit transition system over the nodes 0..n-1. */
interface System {
  readonly n: number;
  /** Successors of each node, in order (duplicates and self-loops allowed). */
  readonly adj: readonly (readonly number[])[];
  /** Initial nodes, in order (duplicates allowed). */
  readonly inits: readonly number[];
  /** Nodes that violate the invariant NotBad. */
  readonly bad: ReadonlySet<number>;
  /** Nodes outside the state constraint, or null for no constraint. */
  readonly outside: ReadonlySet<number> | null;
}

const systemArb: fc.Arbitrary<System> = fc.noBias(fc.integer({ min: 1, max: 40 })).chain((n) => {
  const node = fc.nat({ max: n - 1 });
  return fc
    .record({
      adj: fc.array(fc.array(node, { maxLength: 3 }), { minLength: n, maxLength: n }),
      // When set, every node gets at least one successor (no deadlocks at all).
      total: fc.boolean(),
      inits: fc.array(node, { minLength: 1, maxLength: 3 }),
      bad: fc.option(fc.uniqueArray(node, { minLength: 1, maxLength: 3 }), { nil: null }),
      outside: fc.option(fc.uniqueArray(node, { maxLength: 8 }), { nil: null }),
    })
    .map(({ adj, total, inits, bad, outside }) => ({
      n,
      adj: total ? adj.map((succ, i) => (succ.length > 0 ? succ : [(i + 1) % n])) : adj,
      inits,
      bad: new Set(bad ?? []),
      outside: outside === null ? null : new Set(outside),
    }));
});

/** The same system without bad nodes (so that a search runs to the end). */
const harmless = (sys: System): System => ({ ...sys, bad: new Set() });

function specOf(sys: System) {
  const { adj, inits, bad, outside } = sys;
  return defineSpec<Node>()({
    init: () => oneOf(...inits.map((node) => ({ node }))),
    actions: {
      Go: forEach(
        (s) => adj[s.node]!,
        (_s, to) => ({ node: to }),
      ),
    },
    invariants: { NotBad: (s) => !bad.has(s.node) },
    ...(outside === null ? {} : { constraint: (s: Node) => !outside.has(s.node) }),
  });
}

function check(sys: System, options: CheckOptions = {}): Promise<CheckResult<Node>> {
  return checkModel(buildModel<Node>(specOf(sys)), options);
}

type Verdict =
  | { kind: "ok"; distinct: number; depth: number; generated: number }
  | { kind: "incomplete"; distinct: number; depth: number; generated: number }
  | { kind: "violation"; property: "NotBad" | "deadlock"; traceLength: number; last: number };

/**
 * The reference: a textbook level-by-level BFS with TLC's semantics. Initial states are level
 * 1; successors are generated in adjacency order; every new state is checked against the
 * invariant; a state outside the constraint is counted and checked but not expanded; a state
 * that is expanded and has no successors is a deadlock; states at level `maxDepth` are not
 * expanded (and make the run incomplete).
 */
function referenceBfs(
  sys: System,
  opts: { deadlock: boolean; maxDepth?: number } = { deadlock: true },
): Verdict {
  const levelOf = new Map<number, number>();
  let generated = 0;
  let frontier: number[] = [];
  for (const i of sys.inits) {
    generated++;
    if (levelOf.has(i)) continue;
    levelOf.set(i, 1);
    if (sys.bad.has(i)) return { kind: "violation", property: "NotBad", traceLength: 1, last: i };
    frontier.push(i);
  }
  let depth = frontier.length > 0 ? 1 : 0;
  while (frontier.length > 0) {
    if (opts.maxDepth !== undefined && depth >= opts.maxDepth) {
      return { kind: "incomplete", distinct: levelOf.size, depth, generated };
    }
    const next: number[] = [];
    for (const u of frontier) {
      if (sys.outside?.has(u) === true) continue;
      const succ = sys.adj[u]!;
      for (const v of succ) {
        generated++;
        if (levelOf.has(v)) continue;
        levelOf.set(v, depth + 1);
        if (sys.bad.has(v)) {
          return { kind: "violation", property: "NotBad", traceLength: depth + 1, last: v };
        }
        next.push(v);
      }
      if (succ.length === 0 && opts.deadlock) {
        return { kind: "violation", property: "deadlock", traceLength: depth, last: u };
      }
    }
    frontier = next;
    if (frontier.length > 0) depth++;
  }
  return { kind: "ok", distinct: levelOf.size, depth, generated };
}

/** Reachability as graphology sees it: the union of a BFS from each initial node. */
function graphologyReach(sys: System): { distinct: number; depth: number } {
  const graph = new MultiDirectedGraph({ allowSelfLoops: true });
  for (let i = 0; i < sys.n; i++) graph.addNode(String(i));
  sys.adj.forEach((succ, u) => succ.forEach((v) => graph.addEdge(String(u), String(v))));
  const dist = new Map<string, number>();
  for (const i of new Set(sys.inits)) {
    bfsFromNode(graph, String(i), (key, _attrs, d) => {
      const before = dist.get(key);
      if (before === undefined || d < before) dist.set(key, d);
      // Returning true stops the traversal at this node: it is not expanded.
      return sys.outside?.has(Number(key)) === true;
    });
  }
  return { distinct: dist.size, depth: 1 + Math.max(...dist.values()) };
}

/** Checks that a trace is a behaviour of the system and returns its nodes. */
function tracePath(sys: System, r: CheckResult<Node>): number[] {
  if (r.kind !== "violation") throw new Error(`expected a violation, got ${r.kind}`);
  const trace = r.violation.trace;
  const nodes = trace.map((step) => step.state.node);
  expect(trace[0]!.label).toBe("Init");
  expect(sys.inits).toContain(nodes[0]);
  for (let k = 1; k < trace.length; k++) {
    expect(trace[k]!.label).toBe(`Go(${nodes[k]})`);
    expect(sys.adj[nodes[k - 1]!]).toContain(nodes[k]);
    // Only states inside the constraint are expanded.
    expect(sys.outside?.has(nodes[k - 1]!) ?? false).toBe(false);
  }
  return nodes;
}

function expectAgrees(sys: System, r: CheckResult<Node>, ref: Verdict): void {
  if (ref.kind === "violation") {
    expect(r.kind).toBe("violation");
    if (r.kind !== "violation") return;
    expect(r.violation.property).toBe(ref.property);
    expect(r.violation.kind).toBe(ref.property === "deadlock" ? "deadlock" : "invariant");
    expect(r.violation.loopIndex).toBeNull();
    const nodes = tracePath(sys, r);
    expect(nodes.length).toBe(ref.traceLength);
    expect(nodes[nodes.length - 1]).toBe(ref.last);
    return;
  }
  expect(r.kind).toBe(ref.kind);
  if (r.kind === "incomplete") expect(r.reason).toBe("max-depth");
  expect(r.stats.distinct).toBe(ref.distinct);
  expect(r.stats.depth).toBe(ref.depth);
  expect(r.stats.generated).toBe(ref.generated);
}

const RUNS = { numRuns: 150 };

describe("checkModel against a reference BFS on random transition systems", () => {
  it("agrees on the verdict, the exact counterexample and the counts (deadlock checked)", async () => {
    await fc.assert(
      fc.asyncProperty(systemArb, async (sys) => {
        expectAgrees(sys, await check(sys), referenceBfs(sys, { deadlock: true }));
      }),
      RUNS,
    );
  });

  it("agrees with deadlock checking off", async () => {
    await fc.assert(
      fc.asyncProperty(systemArb, async (sys) => {
        const r = await check(sys, { deadlock: false });
        expectAgrees(sys, r, referenceBfs(sys, { deadlock: false }));
      }),
      RUNS,
    );
  });

  it("counts the reachable states as graphology-traversal does", async () => {
    await fc.assert(
      fc.asyncProperty(systemArb, async (raw) => {
        const sys = harmless(raw);
        const r = await check(sys, { deadlock: false });
        const ref = referenceBfs(sys, { deadlock: false });
        expectAgrees(sys, r, ref);
        const g = graphologyReach(sys);
        expect(r.stats.distinct).toBe(g.distinct);
        expect(r.stats.depth).toBe(g.depth);
      }),
      RUNS,
    );
  });

  it("agrees with maxDepth: the same states, incomplete exactly when a level is cut off", async () => {
    await fc.assert(
      fc.asyncProperty(systemArb, fc.integer({ min: 1, max: 8 }), async (raw, maxDepth) => {
        const sys = harmless(raw);
        const r = await check(sys, { deadlock: false, maxDepth });
        expectAgrees(sys, r, referenceBfs(sys, { deadlock: false, maxDepth }));
      }),
      RUNS,
    );
  });
});

describe("depth-first search", () => {
  it("finds the same distinct states as BFS when nothing is violated", async () => {
    await fc.assert(
      fc.asyncProperty(systemArb, async (raw) => {
        const sys = harmless(raw);
        const bfs = await check(sys, { deadlock: false });
        const dfs = await check(sys, { deadlock: false, strategy: "dfs" });
        expect(bfs.kind).toBe("ok");
        expect(dfs.kind).toBe("ok");
        expect(dfs.stats.distinct).toBe(bfs.stats.distinct);
        expect(dfs.stats.distinct).toBe(graphologyReach(sys).distinct);
      }),
      RUNS,
    );
  });

  it("with maxDepth finds what BFS finds to that depth, and is incomplete exactly when BFS is", async () => {
    await fc.assert(
      fc.asyncProperty(systemArb, fc.integer({ min: 1, max: 8 }), async (raw, maxDepth) => {
        const sys = harmless(raw);
        const bfs = await check(sys, { deadlock: false, maxDepth });
        const dfs = await check(sys, { deadlock: false, maxDepth, strategy: "dfs" });
        expect(dfs.stats.distinct).toBeLessThanOrEqual(bfs.stats.distinct);
        // Bounded DFS re-explores a state reached again by a shorter path, so it misses none.
        expect(dfs.stats.distinct).toBe(bfs.stats.distinct);
        expect(dfs.kind).toBe(bfs.kind);
        if (bfs.kind === "incomplete") {
          expect(bfs.reason).toBe("max-depth");
          expect(dfs.kind === "incomplete" && dfs.reason).toBe("max-depth");
        }
      }),
      RUNS,
    );
  });

  it("reports a violation exactly when one exists, with a valid trace to it", async () => {
    await fc.assert(
      fc.asyncProperty(systemArb, fc.boolean(), async (sys, deadlock) => {
        const ref = referenceBfs(sys, { deadlock });
        const dfs = await check(sys, { deadlock, strategy: "dfs" });
        expect(dfs.kind).toBe(ref.kind);
        if (dfs.kind !== "violation") return;
        const nodes = tracePath(sys, dfs);
        const last = nodes[nodes.length - 1]!;
        if (dfs.violation.property === "NotBad") {
          expect(sys.bad.has(last)).toBe(true);
        } else {
          expect(dfs.violation.property).toBe("deadlock");
          expect(deadlock).toBe(true);
          expect(sys.adj[last]).toEqual([]);
          expect(sys.outside?.has(last) ?? false).toBe(false);
        }
      }),
      RUNS,
    );
  });
});

describe("the reference itself (so that a wrong reference cannot pass silently)", () => {
  const chain: System = {
    n: 4,
    adj: [[1], [2], [3], []],
    inits: [0],
    bad: new Set(),
    outside: null,
  };

  it("computes levels, deadlocks and constraints on a hand-checked chain", () => {
    expect(referenceBfs(chain, { deadlock: false })).toEqual({
      kind: "ok",
      distinct: 4,
      depth: 4,
      generated: 4,
    });
    expect(referenceBfs(chain, { deadlock: true })).toEqual({
      kind: "violation",
      property: "deadlock",
      traceLength: 4,
      last: 3,
    });
    expect(referenceBfs({ ...chain, outside: new Set([2]) }, { deadlock: true })).toEqual({
      kind: "ok",
      distinct: 3,
      depth: 3,
      generated: 3,
    });
    expect(referenceBfs({ ...chain, bad: new Set([2, 3]) })).toEqual({
      kind: "violation",
      property: "NotBad",
      traceLength: 3,
      last: 2,
    });
    expect(referenceBfs(chain, { deadlock: false, maxDepth: 2 })).toEqual({
      kind: "incomplete",
      distinct: 2,
      depth: 2,
      generated: 2,
    });
    expect(graphologyReach({ ...chain, outside: new Set([1]) })).toEqual({ distinct: 2, depth: 2 });
  });
});
