// Per-state (parent, successor ordinal) records, indexed by the order in which states were
// first seen. A trace is rebuilt from them by re-executing the spec: the ordinal says which of
// the parent's successors (in the engine's deterministic expansion order) leads to the state.
import { MemoryExhausted } from "./memory.ts";

export const NO_PARENT = 0xffffffff;

export class StateRecords {
  private parents: Uint32Array;
  private ordinals: Uint32Array;
  private count = 0;
  /** Called with the bytes a growth is about to allocate; may throw to refuse it. */
  onGrow: ((bytes: number) => void) | null = null;

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
    if (this.count === this.parents.length) this.grow(Math.ceil(this.parents.length * 1.5));
    this.parents[this.count] = parent;
    this.ordinals[this.count] = ordinal;
    return this.count++;
  }

  /** Grows now, if needed, so that `n` more records fit without growing. */
  ensureRoom(n: number): void {
    if (this.count + n <= this.parents.length) return;
    let size = this.parents.length;
    while (this.count + n > size) size = Math.ceil(size * 1.5);
    if (size !== this.parents.length) this.grow(size);
  }

  /** The parents and ordinals of every record, by id (views: copy them to keep them). */
  arrays(): { readonly parents: Uint32Array; readonly ordinals: Uint32Array } {
    return {
      parents: this.parents.subarray(0, this.count),
      ordinals: this.ordinals.subarray(0, this.count),
    };
  }

  /** Appends records read back from a checkpoint. */
  append(parents: Uint32Array, ordinals: Uint32Array): void {
    this.ensureRoom(parents.length);
    this.parents.set(parents, this.count);
    this.ordinals.set(ordinals, this.count);
    this.count += parents.length;
  }

  private grow(n: number): void {
    this.onGrow?.(8 * n);
    let p: Uint32Array;
    let o: Uint32Array;
    try {
      p = new Uint32Array(n);
      o = new Uint32Array(n);
    } catch (e) {
      if (e instanceof RangeError) {
        throw new MemoryExhausted(`cannot allocate state records for ${n} states`);
      }
      throw e;
    }
    p.set(this.parents.subarray(0, this.count));
    o.set(this.ordinals.subarray(0, this.count));
    this.parents = p;
    this.ordinals = o;
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
