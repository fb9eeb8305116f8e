// Checks a model's temporal properties on the state graph recorded during breadth-first
// search. Each property is turned into a search for a fair component of a subgraph:
//   <>p      fair components of the ¬p states reachable from an initial state through ¬p;
//   []<>p    fair components of the ¬p states;
//   <>[]p    fair components that contain a ¬p state;
//   p ~> q   fair components of the ¬q states reachable through ¬q from a p ∧ ¬q state.
// A violation is a lasso with a shortest prefix, rebuilt as concrete states by re-executing
// the spec (as safety traces are), plus an explanation.
import type { CheckResult, LivenessStats, Stats, TraceStep } from "../engine/result.ts";
import { nondeterministic, type SearchContext } from "../engine/search-context.ts";
import type { Model, ModelProperty } from "../spec/model.ts";
import { explainLasso } from "./explain.ts";
import { FairComponents } from "./fair-components.ts";
import { buildFairnessTable, labelsFor } from "./fairness-table.ts";
import { fairCycle, shortestPrefix, type PrefixSearch } from "./lasso.ts";
import { StateGraph, type GraphPredicate } from "./state-graph.ts";

/** Whether a model has properties that need the state graph. */
export function needsGraph(model: Model<unknown>): boolean {
  return (model.properties?.length ?? 0) > 0;
}

/** The recorder for a search of `ctx`'s model; a spec without temporal properties has none. */
export function createStateGraph<S>(ctx: SearchContext<S>): StateGraph<S> | null {
  const props = ctx.model.properties ?? [];
  if (props.length === 0) return null;
  const predicates: GraphPredicate<S>[] = [];
  const add = (test: (s: S) => boolean, name: string): void => {
    if (!predicates.some((p) => p.test === test)) predicates.push({ name, test });
  };
  for (const prop of props) {
    add(prop.p, `${prop.name} (p)`);
    if (prop.q !== null) add(prop.q, `${prop.name} (q)`);
  }
  return new StateGraph(ctx.expander, predicates, labelsFor(ctx.model));
}

/** Checks the temporal properties once the search finished without a violation. */
export function checkLiveness<S>(
  ctx: SearchContext<S>,
  graph: StateGraph<S>,
  safety: Stats,
): CheckResult<S> {
  const started = performance.now();
  graph.finish();
  const model = ctx.model;
  const table = buildFairnessTable(model.fairness ?? [], graph.actionLabels);
  const comps = new FairComponents(graph, table, model.stuttering === "anywhere");
  const stats = (): Stats => ({
    ...safety,
    elapsedMs: safety.elapsedMs + (performance.now() - started),
    liveness: {
      properties: model.properties?.length ?? 0,
      states: graph.states,
      edges: graph.edges,
      graphBytes: graph.peakBytes,
      analysisBytes: comps.bytes,
      sccs: comps.examined,
      fairnessChecks: comps.candidates,
      elapsedMs: performance.now() - started,
    } satisfies LivenessStats,
  });
  const index = (f: (s: S) => boolean): number => graph.predicates.findIndex((p) => p.test === f);
  for (const prop of model.properties ?? []) {
    const pi = index(prop.p);
    const qi = prop.q === null ? -1 : index(prop.q);
    const p = (u: number): boolean => graph.holds(pi, u);
    const q = (u: number): boolean => graph.holds(qi, u);
    const notP = (u: number): boolean => !p(u);
    const notQ = (u: number): boolean => !q(u);
    const inFair = (u: number): boolean => comps.inFair(u);
    const anywhere: PrefixSearch = {
      startLayer: 1,
      enter: () => false,
      allowed: () => true,
      target: inFair,
    };
    let search: PrefixSearch = anywhere;
    let accept: ((u: number) => boolean) | null = null;
    switch (prop.form) {
      case "eventually": {
        const region = reachable(graph, graph.inits.filter(notP), notP);
        comps.search((u) => region[u] === 1, null);
        search = { ...anywhere, allowed: notP };
        break;
      }
      case "alwaysEventually":
        comps.search(notP, null);
        break;
      case "eventuallyAlways":
        accept = notP;
        comps.search(() => true, notP);
        break;
      case "leadsTo": {
        const trigger = (u: number): boolean => p(u) && notQ(u);
        const triggers: number[] = [];
        for (let u = 0; u < graph.states; u++) if (trigger(u)) triggers.push(u);
        const region = reachable(graph, triggers, notQ);
        comps.search((u) => region[u] === 1, null);
        search = { startLayer: 0, enter: trigger, allowed: notQ, target: inFair };
        break;
      }
    }
    if (!comps.found) continue;
    const prefix = shortestPrefix(graph, graph.inits, search);
    if (prefix === null) throw new Error(`liveness: no path to a fair component of ${prop.name}`);
    if (prop.form === "leadsTo") {
      // Report the earliest p-state from which q never holds again.
      for (let i = prefix.entered - 1; i >= 0; i--) {
        const u = prefix.nodes[i]!;
        if (q(u)) break;
        if (p(u)) prefix.entered = i;
      }
    }
    const entry = prefix.nodes[prefix.nodes.length - 1]!;
    const cycle = fairCycle(graph, comps, table, entry, accept);
    try {
      return violation(ctx, graph, prop, prefix, cycle, accept, stats);
    } catch (e) {
      return ctx.specErrorResult(e, null);
    }
  }
  return { kind: "ok", stats: stats() };
}

/** The states reachable from `sources` (which must satisfy `allowed`) through `allowed`. */
function reachable<S>(
  graph: StateGraph<S>,
  sources: readonly number[],
  allowed: (u: number) => boolean,
): Uint8Array {
  const seen = new Uint8Array(graph.states);
  const queue = new Uint32Array(graph.states);
  let tail = 0;
  for (const s of sources) {
    if (seen[s] === 1) continue;
    seen[s] = 1;
    queue[tail++] = s;
  }
  const { offsets, targets } = graph;
  for (let head = 0; head < tail; head++) {
    const u = queue[head]!;
    for (let e = offsets[u]!, end = offsets[u + 1]!; e < end; e++) {
      const v = targets[e]!;
      if (seen[v] === 1 || !allowed(v)) continue;
      seen[v] = 1;
      queue[tail++] = v;
    }
  }
  return seen;
}

function violation<S>(
  ctx: SearchContext<S>,
  graph: StateGraph<S>,
  prop: ModelProperty<S>,
  prefix: { readonly nodes: number[]; readonly edges: number[]; readonly entered: number },
  cycle: { readonly nodes: number[]; readonly edges: number[] },
  accept: ((u: number) => boolean) | null,
  stats: () => Stats,
): CheckResult<S> {
  const nodes = [...prefix.nodes, ...cycle.nodes.slice(1)];
  const edges = [...prefix.edges, ...cycle.edges];
  const steps = replay(ctx, graph, nodes, edges);
  const loopIndex = prefix.nodes.length - 1;
  const trace = steps.slice(0, nodes.length - (cycle.edges.length > 0 ? 1 : 0));
  const closingStep = cycle.edges.length > 0 ? steps[steps.length - 1]! : null;
  let rejecting = -1;
  if (accept !== null) {
    for (let i = loopIndex; i < trace.length && rejecting < 0; i++)
      if (accept(nodes[i]!)) rejecting = i;
  }
  const explanation = explainLasso(ctx, prop as ModelProperty<unknown>, {
    trace,
    loopIndex,
    closing: closingStep === null ? null : { label: closingStep.label, action: closingStep.action },
    actions: steps.map((s) => s.action),
    entered: prefix.entered,
    rejecting,
  });
  return {
    kind: "violation",
    stats: stats(),
    violation: {
      property: prop.name,
      kind: "liveness",
      trace: trace.map(({ label, state }) => ({ label, state })),
      loopIndex,
      explanation,
    },
  };
}

/**
 * Re-executes the spec along `nodes` (state ids) by `edges`: from each state, the first
 * successor that is the next state (and, with fairness labels, comes from the edge's action
 * instance). The cycle's last step back to the loop state is included.
 */
function replay<S>(
  ctx: SearchContext<S>,
  graph: StateGraph<S>,
  nodes: readonly number[],
  edges: readonly number[],
): (TraceStep<S> & { readonly action: number })[] {
  const first = nodes[0]!;
  const init = ctx.initialStates()[ctx.records.ordinal(first)];
  if (init === undefined) throw nondeterministic("init", "returned fewer initial states");
  type Step = TraceStep<S> & { readonly action: number };
  const steps: Step[] = [{ label: "Init", state: init, action: -1 }];
  let state: S = init;
  const labels = graph.labels;
  const labeller = graph.actionLabels;
  for (let i = 0; i < edges.length; i++) {
    const want = nodes[i + 1]!;
    const wantLabel = labels === null ? -1 : labels[edges[i]!]!;
    let found: Step | null = null;
    ctx.expander.expand(state, (next) => {
      if (found !== null || next === state) return;
      ctx.fingerprint(next);
      const id = graph.ids.getOrAdd(ctx.fp[0]!, ctx.fp[1]!, 0xffffffff);
      if (id !== want) return;
      const x = ctx.expander;
      if (labeller !== null && labeller.labelOf(x.actionIndex, x.arg) !== wantLabel) return;
      found = { label: ctx.currentLabel(), state: next, action: x.actionIndex };
    });
    // (Assigned in the callback, which TypeScript's narrowing does not see.)
    const step = found as Step | null;
    if (step === null) {
      throw nondeterministic(`the successors of step ${i}`, "no longer include the next state");
    }
    steps.push(step);
    state = step.state;
  }
  return steps;
}
