// A brute-force reference for temporal properties under fairness on small explicit graphs.
// A lasso's infinite part visits a set of states and takes a set of edges infinitely often;
// for any strongly connected set of edges there is a cycle that takes exactly those. So the
// reference enumerates every subset of edges (and every stuttering state), keeps the
// strongly connected ones, and checks fairness and the property on each directly from the
// definitions: no SCC decomposition, no refinement, no shared code with the checker.

export interface Edge {
  readonly from: number;
  readonly to: number;
  /** The action instance, e.g. "A1(0)"; its action is the part before "(". */
  readonly label: string;
}

export type Form = "eventually" | "leadsTo" | "alwaysEventually" | "eventuallyAlways";

export interface RefFairness {
  readonly kind: "weak" | "strong";
  readonly action: string;
  readonly each: boolean;
}

export interface RefSystem {
  readonly n: number;
  readonly inits: readonly number[];
  /** Edges between distinct states (stutters are not edges). */
  readonly edges: readonly Edge[];
  readonly p: readonly boolean[];
  readonly q: readonly boolean[];
  readonly fairness: readonly RefFairness[];
  readonly stutterAnywhere: boolean;
}

/** The states visited and the edges taken infinitely often by a behaviour. */
export interface Loop {
  readonly states: ReadonlySet<number>;
  readonly edges: readonly Edge[];
}

const actionOf = (label: string): string => label.replace(/\(.*$/, "");

/** The fairness constraints: each a set of labels, weak or strong. */
function constraints(sys: RefSystem): { kind: "weak" | "strong"; labels: Set<string> }[] {
  const labels = [...new Set(sys.edges.map((e) => e.label))];
  const out: { kind: "weak" | "strong"; labels: Set<string> }[] = [];
  for (const f of sys.fairness) {
    const mine = labels.filter((l) => actionOf(l) === f.action);
    if (f.each) for (const l of mine) out.push({ kind: f.kind, labels: new Set([l]) });
    else out.push({ kind: f.kind, labels: new Set(mine) });
  }
  return out;
}

export function isFair(sys: RefSystem, loop: Loop): boolean {
  for (const c of constraints(sys)) {
    const taken = loop.edges.some((e) => c.labels.has(e.label));
    if (taken) continue;
    const enabledAt = (s: number): boolean =>
      sys.edges.some((e) => e.from === s && c.labels.has(e.label));
    const states = [...loop.states];
    if (c.kind === "weak" && states.every(enabledAt)) return false;
    if (c.kind === "strong" && states.some(enabledAt)) return false;
  }
  return true;
}

/** States reachable from `from` through states satisfying `ok` (sources must satisfy it). */
function reach(sys: RefSystem, from: readonly number[], ok: (s: number) => boolean): Set<number> {
  const seen = new Set(from.filter(ok));
  const todo = [...seen];
  while (todo.length > 0) {
    const u = todo.pop()!;
    for (const e of sys.edges) {
      if (e.from === u && ok(e.to) && !seen.has(e.to)) {
        seen.add(e.to);
        todo.push(e.to);
      }
    }
  }
  return seen;
}

/** Every possible infinite part of a behaviour (reachable or not). */
export function loops(sys: RefSystem): Loop[] {
  const out: Loop[] = [];
  for (let s = 0; s < sys.n; s++) {
    const stuck = !sys.edges.some((e) => e.from === s);
    if (stuck || sys.stutterAnywhere) out.push({ states: new Set([s]), edges: [] });
  }
  const m = sys.edges.length;
  if (m > 16) throw new Error("reference: too many edges");
  for (let mask = 1; mask < 1 << m; mask++) {
    const edges = sys.edges.filter((_, i) => (mask >>> i) & 1);
    const states = new Set(edges.flatMap((e) => [e.from, e.to]));
    // Strongly connected over its own edges: every state reaches and is reached by one.
    const sub: RefSystem = { ...sys, edges };
    const first = [...states][0]!;
    const fwd = reach(sub, [first], () => true);
    const bwd = reach(
      { ...sub, edges: edges.map((e) => ({ ...e, from: e.to, to: e.from })) },
      [first],
      () => true,
    );
    if ([...states].every((s) => fwd.has(s) && bwd.has(s))) out.push({ states, edges });
  }
  return out;
}

/**
 * Whether some fair behaviour violates the property, and the length of the shortest prefix
 * (steps from an initial state to a state of the loop) over all violating behaviours.
 */
export function reference(sys: RefSystem, form: Form): { violated: boolean; prefix: number } {
  const p = (s: number): boolean => sys.p[s]!;
  const q = (s: number): boolean => sys.q[s]!;
  let best = Infinity;
  for (const loop of loops(sys)) {
    if (!isFair(sys, loop)) continue;
    const states = [...loop.states];
    let d = Infinity;
    switch (form) {
      case "eventually":
        if (states.every((s) => !p(s))) d = distance(sys, sys.inits, (s) => !p(s), loop.states);
        break;
      case "alwaysEventually":
        if (states.every((s) => !p(s))) d = distance(sys, sys.inits, () => true, loop.states);
        break;
      case "eventuallyAlways":
        if (states.some((s) => !p(s))) d = distance(sys, sys.inits, () => true, loop.states);
        break;
      case "leadsTo":
        if (states.every((s) => !q(s))) d = leadsToDistance(sys, loop.states);
        break;
    }
    best = Math.min(best, d);
  }
  return { violated: best < Infinity, prefix: best };
}

/** Shortest path length from `from` to `to` through states satisfying `ok`. */
function distance(
  sys: RefSystem,
  from: readonly number[],
  ok: (s: number) => boolean,
  to: ReadonlySet<number>,
): number {
  let frontier = [...new Set(from.filter(ok))];
  const seen = new Set(frontier);
  for (let d = 0; frontier.length > 0; d++) {
    if (frontier.some((s) => to.has(s))) return d;
    const next: number[] = [];
    for (const u of frontier) {
      for (const e of sys.edges) {
        if (e.from === u && ok(e.to) && !seen.has(e.to)) {
          seen.add(e.to);
          next.push(e.to);
        }
      }
    }
    frontier = next;
  }
  return Infinity;
}

/** p ~> q: reach some p ∧ ¬q state t, then the loop through ¬q states; the shortest total. */
function leadsToDistance(sys: RefSystem, to: ReadonlySet<number>): number {
  let best = Infinity;
  for (let t = 0; t < sys.n; t++) {
    if (!sys.p[t] || sys.q[t]) continue;
    const a = distance(sys, sys.inits, () => true, new Set([t]));
    if (a === Infinity) continue;
    best = Math.min(best, a + distance(sys, [t], (s) => !sys.q[s], to));
  }
  return best;
}
