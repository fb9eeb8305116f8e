// Strongly connected components by Tarjan's algorithm, iterative (an explicit call stack in
// typed arrays) so that graphs with millions of states do not overflow the JavaScript stack.
// It decomposes the subgraph of the states whose `region` entry equals a given region number,
// and can be run again on a part of a component (fairness refinement) with a new number.

/** Called with each component: its members are `stack[from..to)` (do not keep the array). */
export type OnComponent = (stack: Uint32Array, from: number, to: number) => void;

export class SccFinder {
  private readonly index: Int32Array;
  private readonly low: Int32Array;
  private readonly onStack: Uint8Array;
  private readonly stack: Uint32Array;
  private readonly callNode: Uint32Array;
  private readonly callEdge: Uint32Array;
  private counter = 0;
  /** Components found so far, over every run. */
  components = 0;

  constructor(
    private readonly offsets: Uint32Array,
    private readonly targets: Uint32Array,
    /** Which region each state is in (0: none). */
    readonly region: Int32Array,
  ) {
    const n = offsets.length - 1;
    this.index = new Int32Array(n);
    this.low = new Int32Array(n);
    this.onStack = new Uint8Array(n);
    this.stack = new Uint32Array(n);
    this.callNode = new Uint32Array(n);
    this.callEdge = new Uint32Array(n);
  }

  get bytes(): number {
    return this.index.length * (4 * 5 + 1);
  }

  /** Forgets that `v` was visited, so that a later run may visit it again. */
  reset(v: number): void {
    this.index[v] = 0;
  }

  /**
   * Finds the components of region `r` reachable from `roots` (every state when null; roots
   * outside the region or already visited are skipped), in reverse topological order.
   */
  run(roots: ArrayLike<number> | null, r: number, onComponent: OnComponent): void {
    const { offsets, targets, region, index, low, onStack, stack, callNode, callEdge } = this;
    let sp = 0;
    const count = roots === null ? index.length : roots.length;
    for (let k = 0; k < count; k++) {
      const root = roots === null ? k : roots[k]!;
      if (region[root] !== r || index[root] !== 0) continue;
      let csp = 0;
      index[root] = low[root] = ++this.counter;
      stack[sp++] = root;
      onStack[root] = 1;
      callNode[csp] = root;
      callEdge[csp++] = offsets[root]!;
      while (csp > 0) {
        const v = callNode[csp - 1]!;
        let e = callEdge[csp - 1]!;
        const end = offsets[v + 1]!;
        let descended = false;
        while (e < end) {
          const w = targets[e++]!;
          if (region[w] !== r) continue;
          if (index[w] === 0) {
            callEdge[csp - 1] = e;
            index[w] = low[w] = ++this.counter;
            stack[sp++] = w;
            onStack[w] = 1;
            callNode[csp] = w;
            callEdge[csp++] = offsets[w]!;
            descended = true;
            break;
          }
          if (onStack[w] === 1 && index[w]! < low[v]!) low[v] = index[w]!;
        }
        if (descended) continue;
        if (low[v] === index[v]) {
          let from = sp;
          do {
            const w = stack[--from]!;
            onStack[w] = 0;
          } while (stack[from] !== v);
          this.components++;
          onComponent(stack, from, sp);
          sp = from;
        }
        csp--;
        if (csp > 0) {
          const u = callNode[csp - 1]!;
          if (low[v]! < low[u]!) low[u] = low[v]!;
        }
      }
    }
  }
}
