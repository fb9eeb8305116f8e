// Finds the fair components of a subgraph: strongly connected sets of states in which a
// behaviour can stay forever while satisfying every fairness constraint (and, for <>[]p,
// visiting an accepting state). Weak fairness of A holds on a component if A is taken inside
// it or is disabled in one of its states; strong fairness if A is taken inside it or disabled
// in all of them. A strongly fair A that is enabled in the component but never taken inside
// it rules out the states where it is enabled: they are removed and the rest decomposed again
// (the Emerson–Lei refinement TLC uses). A state without successors stutters forever, and is
// fair: nothing is enabled there. With stuttering "anywhere", any state in which no fair
// action is enabled is such a component too.
import type { FairnessTable } from "./fairness-table.ts";
import { STRONG, WEAK } from "./fairness-table.ts";
import { SccFinder } from "./scc.ts";

export interface GraphRows {
  readonly offsets: Uint32Array;
  readonly targets: Uint32Array;
  readonly labels: Uint16Array | Uint32Array | null;
}

export class FairComponents {
  /** The component of each state (0: none); the last decomposition a state took part in. */
  readonly compOf: Int32Array;
  readonly region: Int32Array;
  private readonly finder: SccFinder;
  private regions = 0;
  private comps = 0;
  private readonly fairComps = new Set<number>();
  // Per-constraint scratch, stamped so that nothing is cleared between components.
  private readonly seenAt: Int32Array;
  private readonly enabledIn: Int32Array;
  private readonly enabledCount: Int32Array;
  private readonly takenIn: Int32Array;
  private readonly ruledOut: Int32Array;
  private stamp = 0;
  private readonly touched: number[] = [];
  private jobs: Uint32Array[] = [];
  private accept: ((u: number) => boolean) | null = null;
  /** Components examined (every component of every decomposition). */
  get examined(): number {
    return this.finder.components;
  }
  /** Components checked for fairness: those with a cycle, and states that may stutter. */
  candidates = 0;

  constructor(
    private readonly g: GraphRows,
    private readonly table: FairnessTable,
    private readonly stutterAnywhere: boolean,
  ) {
    const n = g.offsets.length - 1;
    this.compOf = new Int32Array(n);
    this.region = new Int32Array(n);
    this.finder = new SccFinder(g.offsets, g.targets, this.region);
    const c = table.count;
    this.seenAt = new Int32Array(c);
    this.enabledIn = new Int32Array(c);
    this.enabledCount = new Int32Array(c);
    this.takenIn = new Int32Array(c);
    this.ruledOut = new Int32Array(c);
  }

  get bytes(): number {
    return this.finder.bytes + this.compOf.byteLength + this.region.byteLength;
  }

  isFair(comp: number): boolean {
    return this.fairComps.has(comp);
  }

  get found(): boolean {
    return this.fairComps.size > 0;
  }

  /** Whether state `u` lies in a fair component. */
  inFair(u: number): boolean {
    return this.fairComps.has(this.compOf[u]!);
  }

  /**
   * Searches the subgraph of the states for which `member` holds; `accept`, if given, is a
   * state every fair component must contain one of.
   */
  search(member: (u: number) => boolean, accept: ((u: number) => boolean) | null): void {
    const n = this.compOf.length;
    this.compOf.fill(0);
    this.fairComps.clear();
    this.accept = accept;
    const r = ++this.regions;
    const region = this.region;
    for (let u = 0; u < n; u++) {
      region[u] = member(u) ? r : 0;
      this.finder.reset(u);
    }
    this.finder.run(null, r, this.onComponent);
    while (this.jobs.length > 0) {
      const job = this.jobs.pop()!;
      const r2 = ++this.regions;
      for (let i = 0; i < job.length; i++) {
        region[job[i]!] = r2;
        this.finder.reset(job[i]!);
      }
      this.finder.run(job, r2, this.onComponent);
    }
  }

  private readonly onComponent = (stack: Uint32Array, from: number, to: number): void => {
    const comp = ++this.comps;
    const { compOf } = this;
    const { offsets, targets, labels } = this.g;
    for (let i = from; i < to; i++) compOf[stack[i]!] = comp;
    const size = to - from;
    if (size === 1) {
      const u = stack[from]!;
      const stuck = offsets[u] === offsets[u + 1];
      if (!stuck && !this.stutterAnywhere) return;
      this.candidates++;
      if (!stuck && !this.nothingFairEnabled(u)) return;
      if (this.accept === null || this.accept(u)) this.fairComps.add(comp);
      return;
    }
    this.candidates++;
    const table = this.table;
    const { seenAt, enabledIn, enabledCount, takenIn } = this;
    const touched = this.touched;
    touched.length = 0;
    let accepted = this.accept === null;
    if (table.count > 0 && labels !== null) {
      for (let i = from; i < to; i++) {
        const u = stack[i]!;
        const st = ++this.stamp;
        for (let e = offsets[u]!, end = offsets[u + 1]!; e < end; e++) {
          const l = labels[e]!;
          const cEnd = table.offsets[l + 1]!;
          let k = table.offsets[l]!;
          if (k === cEnd) continue;
          const inside = compOf[targets[e]!] === comp;
          for (; k < cEnd; k++) {
            const c = table.list[k]!;
            if (inside) takenIn[c] = comp;
            if (seenAt[c] === st) continue;
            seenAt[c] = st;
            if (enabledIn[c] !== comp) {
              enabledIn[c] = comp;
              enabledCount[c] = 0;
              touched.push(c);
            }
            enabledCount[c]!++;
          }
        }
      }
    }
    if (!accepted) {
      for (let i = from; i < to && !accepted; i++) accepted = this.accept!(stack[i]!);
      if (!accepted) return;
    }
    // Strong fairness: states where a strongly fair constraint is enabled but never taken
    // here cannot be on a fair cycle of this component.
    let refine = false;
    for (const c of touched) {
      if (table.kinds[c] === STRONG && takenIn[c] !== comp) {
        this.ruledOut[c] = comp;
        refine = true;
      }
    }
    if (refine) {
      const keep: number[] = [];
      for (let i = from; i < to; i++) {
        const u = stack[i]!;
        if (!this.enables(u, (c) => this.ruledOut[c] === comp)) keep.push(u);
      }
      if (keep.length > 0) this.jobs.push(Uint32Array.from(keep));
      return;
    }
    for (const c of touched) {
      if (table.kinds[c] === WEAK && takenIn[c] !== comp && enabledCount[c] === size) return;
    }
    this.fairComps.add(comp);
  };

  /** Whether some constraint for which `test` holds is enabled in state `u`. */
  enables(u: number, test: (c: number) => boolean): boolean {
    const { offsets, labels } = this.g;
    const table = this.table;
    if (labels === null) return false;
    for (let e = offsets[u]!, end = offsets[u + 1]!; e < end; e++) {
      const l = labels[e]!;
      for (let k = table.offsets[l]!, cEnd = table.offsets[l + 1]!; k < cEnd; k++) {
        if (test(table.list[k]!)) return true;
      }
    }
    return false;
  }

  private nothingFairEnabled(u: number): boolean {
    return !this.enables(u, () => true);
  }
}
