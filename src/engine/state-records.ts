// Per-state (parent, successor ordinal) records, indexed by the order in which states were
// first seen. A trace is rebuilt from them by re-executing the spec: the ordinal says which of
// the parent's successors (in the engine's deterministic expansion order) leads to the state.

export const NO_PARENT = 0xffffffff;

export class StateRecords {
  private parents: Uint32Array;
  private ordinals: Uint32Array;
  private count = 0;

  constructor(initial = 1 << 16) {
    this.parents = new Uint32Array(initial);
    this.ordinals = new Uint32Array(initial);
  }

  get size(): number {
    return this.count;
  }

  get bytes(): number {
    return this.parents.byteLength + this.ordinals.byteLength;
  }

  /** Records a state; returns its id. */
  push(parent: number, ordinal: number): number {
    if (this.count === this.parents.length) {
      const n = Math.ceil(this.parents.length * 1.5);
      const p = new Uint32Array(n);
      p.set(this.parents);
      this.parents = p;
      const o = new Uint32Array(n);
      o.set(this.ordinals);
      this.ordinals = o;
    }
    this.parents[this.count] = parent;
    this.ordinals[this.count] = ordinal;
    return this.count++;
  }

  /** Re-parents a state reached again by a shorter path (bounded depth-first search). */
  set(id: number, parent: number, ordinal: number): void {
    this.parents[id] = parent;
    this.ordinals[id] = ordinal;
  }

  parent(id: number): number {
    return this.parents[id]!;
  }

  ordinal(id: number): number {
    return this.ordinals[id]!;
  }

  /** The ids from an initial state to `id`, inclusive. */
  pathTo(id: number): number[] {
    const path: number[] = [];
    for (let cur = id; cur !== NO_PARENT; cur = this.parents[cur]!) path.push(cur);
    return path.reverse();
  }
}
