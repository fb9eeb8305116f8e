// Action-instance labels for the edges of the state graph. An edge is labelled with its action
// (labels 0..actions-1), or, for an action with per-instance fairness, with the instance: the
// action and its domain element, told apart by the element's fingerprint (labels from
// `actions` up). Fairness is checked per label.
import { fingerprintInto } from "../values/fingerprint.ts";

export class ActionLabels {
  /** The action of each instance label, from label `actionCount` on. */
  private readonly instanceAction: number[] = [];
  /** A representative domain element of each instance label (for reports). */
  private readonly instanceArg: unknown[] = [];
  private readonly byPrimitive: (Map<unknown, number> | null)[];
  private readonly byObject: (WeakMap<object, number> | null)[];
  private readonly byFingerprint: (Map<string, number> | null)[];
  private readonly fp = new Uint32Array(2);

  constructor(
    readonly actionCount: number,
    /** Whether each action is labelled per instance. */
    readonly perInstance: readonly boolean[],
  ) {
    this.byPrimitive = perInstance.map((e) => (e ? new Map() : null));
    this.byObject = perInstance.map((e) => (e ? new WeakMap() : null));
    this.byFingerprint = perInstance.map((e) => (e ? new Map() : null));
  }

  get size(): number {
    return this.actionCount + this.instanceAction.length;
  }

  actionOf(label: number): number {
    return label < this.actionCount ? label : this.instanceAction[label - this.actionCount]!;
  }

  /** The domain element of an instance label (undefined for a whole-action label). */
  argOf(label: number): unknown {
    return label < this.actionCount ? undefined : this.instanceArg[label - this.actionCount];
  }

  /** The label of a step of action `action` on domain element `arg`. */
  labelOf(action: number, arg: unknown): number {
    const prim = this.byPrimitive[action];
    if (prim === undefined || prim === null) return action;
    if (typeof arg !== "object" || arg === null) {
      const known = prim.get(arg);
      if (known !== undefined) return known;
      const label = this.intern(action, arg);
      prim.set(arg, label);
      return label;
    }
    // Immutable elements are shared between states: most lookups hit this identity cache.
    const objects = this.byObject[action]!;
    const cached = objects.get(arg);
    if (cached !== undefined) return cached;
    const label = this.intern(action, arg);
    objects.set(arg, label);
    return label;
  }

  private intern(action: number, arg: unknown): number {
    const byFp = this.byFingerprint[action]!;
    let key: string | null = null;
    try {
      fingerprintInto(arg, this.fp, 0);
      key = `${this.fp[0]!}:${this.fp[1]!}`;
    } catch {
      // An element that is not a state value (undefined, a function): its identity tells it.
    }
    const known = key === null ? undefined : byFp.get(key);
    if (known !== undefined) return known;
    const label = this.actionCount + this.instanceAction.length;
    this.instanceAction.push(action);
    this.instanceArg.push(arg);
    if (key !== null) byFp.set(key, label);
    return label;
  }
}
