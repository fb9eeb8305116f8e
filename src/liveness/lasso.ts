// Builds a lasso over state ids: the shortest prefix from an initial state into a fair
// component, then a cycle inside it through the entry state that discharges every fairness
// constraint (takes the fair actions it must take, visits a state where a weakly fair action
// is disabled, visits an accepting state), so that the lasso is itself a fair behaviour.
import type { FairComponents, GraphRows } from "./fair-components.ts";
import { WEAK, type FairnessTable } from "./fairness-table.ts";

export interface Path {
  /** The states, first to last. */
  readonly nodes: number[];
  /** `edges[i]` leads from `nodes[i]` to `nodes[i + 1]`. */
  readonly edges: number[];
}

export interface PrefixSearch {
  /** 0: start outside the "bad" part (leadsTo), 1: start in it. */
  readonly startLayer: 0 | 1;
  /** Where a layer-0 path may enter layer 1 (the p ∧ ¬q states of p ~> q). */
  readonly enter: (u: number) => boolean;
  /** The states layer 1 may visit. */
  readonly allowed: (u: number) => boolean;
  /** The layer-1 states to reach. */
  readonly target: (u: number) => boolean;
}

/**
 * The shortest path from an initial state to a target; `entered` is the index in `nodes` at
 * which it entered layer 1.
 */
export function shortestPrefix(
  g: GraphRows,
  inits: readonly number[],
  s: PrefixSearch,
): (Path & { entered: number }) | null {
  const n = g.offsets.length - 1;
  const prev = new Int32Array(2 * n).fill(-2);
  const prevEdge = new Int32Array(2 * n).fill(-1);
  const queue = new Int32Array(2 * n);
  let head = 0;
  let tail = 0;
  let found = -1;
  // Discovers (u, layer) from key `from` by edge `e`; returns true once a target is found.
  const discover = (u: number, layer: number, from: number, e: number): boolean => {
    const key = 2 * u + layer;
    if (prev[key] !== -2) return false;
    if (layer === 1 && !s.allowed(u)) return false;
    prev[key] = from;
    prevEdge[key] = e;
    queue[tail++] = key;
    if (layer === 1) {
      if (s.target(u)) {
        found = key;
        return true;
      }
      return false;
    }
    return s.enter(u) && discover(u, 1, key, -1);
  };
  for (const u of inits) if (discover(u, s.startLayer, -1, -1)) break;
  while (found < 0 && head < tail) {
    const key = queue[head++]!;
    const u = key >> 1;
    const layer = key & 1;
    for (let e = g.offsets[u]!, end = g.offsets[u + 1]!; e < end; e++) {
      if (discover(g.targets[e]!, layer, key, e)) break;
    }
  }
  if (found < 0) return null;
  const keys: number[] = [];
  for (let k = found; k !== -1; k = prev[k]!) keys.push(k);
  keys.reverse();
  const nodes: number[] = [];
  const edges: number[] = [];
  let entered = s.startLayer === 1 ? 0 : -1;
  for (const k of keys) {
    const e = prevEdge[k]!;
    if (nodes.length > 0 && e === -1) {
      entered = nodes.length - 1; // the switch from layer 0 to layer 1 stays in the state
      continue;
    }
    if (e !== -1) edges.push(e);
    nodes.push(k >> 1);
  }
  return { nodes, edges, entered };
}

const TAKE = 0;
const TAKE_OR_DISABLED = 1;

/**
 * A cycle from `entry` back to it, inside its fair component, that discharges the fairness
 * constraints; no edges when the component is a single stuttering state.
 */
export function fairCycle(
  g: GraphRows,
  comps: FairComponents,
  table: FairnessTable,
  entry: number,
  accept: ((u: number) => boolean) | null,
): Path {
  const comp = comps.compOf[entry]!;
  const inComp = (v: number): boolean => comps.compOf[v] === comp;
  const { offsets, targets, labels } = g;
  let hasEdge = false;
  for (let e = offsets[entry]!; e < offsets[entry + 1]! && !hasEdge; e++)
    hasEdge = inComp(targets[e]!);
  if (!hasEdge) return { nodes: [entry], edges: [] };

  const members = bfsFrom(g, entry, inComp, () => false, null).order;
  // What each constraint needs on the cycle.
  const c = table.count;
  const enabledCount = new Int32Array(c);
  const taken = new Uint8Array(c);
  const stamp = new Int32Array(c).fill(-1);
  for (const u of members) {
    forConstraints(g, table, u, (k, e) => {
      if (inComp(targets[e]!)) taken[k] = 1;
      if (stamp[k] !== u) {
        stamp[k] = u;
        enabledCount[k]!++;
      }
    });
  }
  const need = new Int8Array(c).fill(-1);
  // The constraints a visit can discharge (weakly fair ones disabled somewhere in the component).
  let disabledNeeds: number[] = [];
  let open = 0;
  for (let k = 0; k < c; k++) {
    if (enabledCount[k] === 0) continue;
    if (table.kinds[k] === WEAK && enabledCount[k]! < members.length) {
      need[k] = TAKE_OR_DISABLED;
      disabledNeeds.push(k);
    } else if (taken[k] === 1) need[k] = TAKE;
    else continue;
    open++;
  }
  let needAccept = accept !== null;
  if (needAccept) open++;

  const enabledHere = new Int32Array(c).fill(-1);
  // Discharges what visiting `u` discharges.
  const visit = (u: number): void => {
    if (needAccept && accept!(u)) {
      needAccept = false;
      open--;
    }
    forConstraints(g, table, u, (k) => (enabledHere[k] = u));
    for (const k of disabledNeeds) {
      if (need[k] === TAKE_OR_DISABLED && enabledHere[k] !== u) {
        need[k] = -1;
        open--;
      }
    }
    disabledNeeds = disabledNeeds.filter((k) => need[k] === TAKE_OR_DISABLED);
  };
  const takes = (e: number): boolean => {
    if (labels === null) return false;
    const l = labels[e]!;
    for (let k = table.offsets[l]!; k < table.offsets[l + 1]!; k++) {
      if (need[table.list[k]!]! >= 0) return true;
    }
    return false;
  };
  const take = (e: number): void => {
    if (labels === null) return;
    const l = labels[e]!;
    for (let k = table.offsets[l]!; k < table.offsets[l + 1]!; k++) {
      const kk = table.list[k]!;
      if (need[kk]! >= 0) {
        need[kk] = -1;
        open--;
      }
    }
  };
  const wouldVisit = (u: number): boolean => {
    if (needAccept && accept!(u)) return true;
    forConstraints(g, table, u, (k) => (enabledHere[k] = u));
    for (const k of disabledNeeds) {
      if (need[k] === TAKE_OR_DISABLED && enabledHere[k] !== u) return true;
    }
    return false;
  };

  const nodes = [entry];
  const edges: number[] = [];
  visit(entry);
  let cur = entry;
  while (open > 0) {
    const step = bfsFrom(g, cur, inComp, wouldVisit, takes);
    if (step.path === null) throw new Error("fair cycle: a requirement is unreachable");
    for (let i = 0; i < step.path.edges.length; i++) {
      const e = step.path.edges[i]!;
      take(e);
      const v = step.path.nodes[i + 1]!;
      visit(v);
      nodes.push(v);
      edges.push(e);
    }
    cur = nodes[nodes.length - 1]!;
  }
  if (cur === entry && edges.length > 0) return { nodes, edges };
  // Back to the entry (at least one step, so that the cycle is not empty).
  const back = bfsFrom(g, cur, inComp, (u) => u === entry, null, true);
  if (back.path === null) throw new Error("fair cycle: entry unreachable");
  for (let i = 0; i < back.path.edges.length; i++) {
    edges.push(back.path.edges[i]!);
    nodes.push(back.path.nodes[i + 1]!);
  }
  return { nodes, edges };
}

function forConstraints(
  g: GraphRows,
  table: FairnessTable,
  u: number,
  f: (constraint: number, edge: number) => void,
): void {
  const labels = g.labels;
  if (labels === null) return;
  for (let e = g.offsets[u]!, end = g.offsets[u + 1]!; e < end; e++) {
    const l = labels[e]!;
    for (let k = table.offsets[l]!; k < table.offsets[l + 1]!; k++) f(table.list[k]!, e);
  }
}

/**
 * Breadth-first search from `start` over states where `inside` holds, to the first state for
 * which `isTarget` holds (not `start` itself) or the first edge for which `isTargetEdge` does.
 * With `nonEmpty`, `start` can be a target once reached again. Without targets, it returns
 * the states reached, in order.
 */
function bfsFrom(
  g: GraphRows,
  start: number,
  inside: (u: number) => boolean,
  isTarget: (u: number) => boolean,
  isTargetEdge: ((e: number) => boolean) | null,
  nonEmpty = false,
): { readonly order: number[]; readonly path: Path | null } {
  const prev = new Map<number, number>(); // state → edge that reached it (-1: start)
  const from = new Map<number, number>(); // state → previous state
  const order = [start];
  prev.set(start, -1);
  // The path to `u`, then edge `e` to `v`.
  const pathTo = (u: number, e: number, v: number): Path => {
    const nodes = [v];
    const edges = [e];
    for (let x = u; x !== start; x = from.get(x)!) {
      nodes.push(x);
      edges.push(prev.get(x)!);
    }
    nodes.push(start);
    return { nodes: nodes.reverse(), edges: edges.reverse() };
  };
  for (let head = 0; head < order.length; head++) {
    const u = order[head]!;
    for (let e = g.offsets[u]!, end = g.offsets[u + 1]!; e < end; e++) {
      const v = g.targets[e]!;
      if (!inside(v)) continue;
      if (isTargetEdge?.(e) === true || (isTarget(v) && (v !== start || nonEmpty))) {
        return { order, path: pathTo(u, e, v) };
      }
      if (prev.has(v)) continue;
      prev.set(v, e);
      from.set(v, u);
      order.push(v);
    }
  }
  return { order, path: null };
}
