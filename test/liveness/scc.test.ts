// Our iterative Tarjan against graphology-components on random directed graphs.
import fc from "fast-check";
import { MultiDirectedGraph } from "graphology";
import { stronglyConnectedComponents } from "graphology-components";
import { describe, expect, it } from "vitest";
import { SccFinder } from "../../src/liveness/scc.ts";

interface Digraph {
  readonly n: number;
  readonly edges: readonly (readonly [number, number])[];
}

const digraph = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 3 * n }),
  }),
);

function rows(g: Digraph): { offsets: Uint32Array; targets: Uint32Array } {
  const out: number[][] = Array.from({ length: g.n }, () => []);
  for (const [a, b] of g.edges) out[a]!.push(b);
  const offsets = new Uint32Array(g.n + 1);
  for (let u = 0; u < g.n; u++) offsets[u + 1] = offsets[u]! + out[u]!.length;
  return { offsets, targets: Uint32Array.from(out.flat()) };
}

function canonical(components: readonly (readonly number[])[]): string[] {
  return components.map((c) => [...c].sort((a, b) => a - b).join(",")).sort();
}

function ours(g: Digraph, member: (u: number) => boolean = () => true): number[][] {
  const { offsets, targets } = rows(g);
  const region = Int32Array.from({ length: g.n }, (_, u) => (member(u) ? 1 : 0));
  const finder = new SccFinder(offsets, targets, region);
  const found: number[][] = [];
  finder.run(null, 1, (stack, from, to) => found.push([...stack.subarray(from, to)]));
  return found;
}

function graphology(g: Digraph, member: (u: number) => boolean = () => true): number[][] {
  const graph = new MultiDirectedGraph({ allowSelfLoops: true });
  for (let u = 0; u < g.n; u++) if (member(u)) graph.addNode(String(u));
  for (const [a, b] of g.edges) if (member(a) && member(b)) graph.addEdge(String(a), String(b));
  return stronglyConnectedComponents(graph).map((c) => c.map(Number));
}

describe("iterative Tarjan", () => {
  it("finds the components graphology finds", () => {
    fc.assert(
      fc.property(digraph, (g) => {
        expect(canonical(ours(g))).toEqual(canonical(graphology(g)));
      }),
      { numRuns: 300 },
    );
  });

  it("decomposes an induced subgraph (a region) as graphology decomposes it", () => {
    fc.assert(
      fc.property(digraph, fc.integer({ min: 0, max: 2 ** 30 }), (g, mask) => {
        const member = (u: number): boolean => ((mask >>> (u % 30)) & 1) === 1;
        expect(canonical(ours(g, member))).toEqual(canonical(graphology(g, member)));
      }),
      { numRuns: 200 },
    );
  });

  it("emits components in reverse topological order", () => {
    fc.assert(
      fc.property(digraph, (g) => {
        const comps = ours(g);
        const order = new Map<number, number>();
        comps.forEach((c, i) => c.forEach((u) => order.set(u, i)));
        // An edge never leads to a component emitted later.
        for (const [a, b] of g.edges) expect(order.get(b)!).toBeLessThanOrEqual(order.get(a)!);
      }),
      { numRuns: 200 },
    );
  });

  it("runs on a path of a million states without overflowing the stack", () => {
    const n = 1_000_000;
    const offsets = Uint32Array.from({ length: n + 1 }, (_, u) => Math.min(u, n - 1));
    const targets = Uint32Array.from({ length: n - 1 }, (_, u) => u + 1);
    // One long cycle: the last state goes back to the first.
    const cyc = new Uint32Array(n);
    cyc.set(targets);
    cyc[n - 1] = 0;
    const cycOffsets = Uint32Array.from({ length: n + 1 }, (_, u) => u);
    const finder = new SccFinder(cycOffsets, cyc, new Int32Array(n).fill(1));
    const sizes: number[] = [];
    finder.run(null, 1, (_s, from, to) => sizes.push(to - from));
    expect(sizes).toEqual([n]);
    const path = new SccFinder(offsets, targets, new Int32Array(n).fill(1));
    let count = 0;
    path.run(null, 1, () => count++);
    expect(count).toBe(n);
  });
});
