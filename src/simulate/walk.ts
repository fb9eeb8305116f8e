// One random behaviour, driven by a list of choices (which fast-check generates and shrinks).
//
// A choice names an action instance by its slot: one slot per element of an action's fixed
// domain (RMPrepare(0), RMPrepare(1), ...), one for an action without a domain or with a domain
// that is a function of the state. When the named instance is not enabled, the choice falls back
// to one of the enabled instances, uniformly, so enabled instances of fixed domains are all
// equally likely, whichever others are disabled. Naming instances
// rather than "the n-th successor" keeps a choice's meaning when the shrinker removes an earlier
// step, and choices shrink towards slot 0 and the first enabled instance (process 0 before
// process 1), so shrunk traces are short and involve few processes.
//
// Every state the walk visits has all of its successors checked (invariants, step properties),
// and a visited state without successors that is not terminal is a deadlock: a violation one step
// off the walk is found without having to choose that step.
import type { TraceStep, Violation } from "../engine/result.ts";
import { FingerprintSet } from "../engine/fingerprint-set.ts";
import { SearchContext } from "../engine/search-context.ts";
import { SpecError } from "../errors/spec-error.ts";
import type { Model } from "../spec/model.ts";

export interface Choice {
  /** An action instance, by its slot (see choiceSlots). */
  readonly slot: number;
  /** The instance taken when the slot's is not enabled, or the slot is a whole action. */
  readonly instance: number;
  /** Which of the instance's successor states (for `oneOf`), modulo their number. */
  readonly pick: number;
}

export interface WalkInput {
  /** Which initial state, modulo their number. */
  readonly init: number;
  readonly steps: readonly Choice[];
}

export type WalkResult<S> =
  | { readonly kind: "ok"; readonly trace: readonly TraceStep<S>[] }
  | { readonly kind: "violation"; readonly violation: Violation<S> }
  | {
      readonly kind: "specError";
      readonly error: SpecError;
      readonly trace: readonly TraceStep<S>[];
    };

interface Successor<S> {
  readonly action: number;
  readonly arg: unknown;
  readonly label: string;
  readonly state: S;
  readonly stutter: boolean;
  /** The fingerprint (of the view, if any), for the verdict cache; unset for stutters. */
  readonly hi: number;
  readonly lo: number;
}

// Verdicts are cached by fingerprint: walks, and shrinking above all, revisit the same states
// over and over, and an invariant (a linearizability check, say) can cost far more than a step.
// The cache is dropped when it holds this many states.
const MAX_CACHED = 1 << 22;

export class Walker<S> {
  private readonly ctx: SearchContext<S>;
  private inits: { readonly states: S[]; readonly bad: Violation<S> | null } | null = null;
  private cache = new FingerprintSet(1 << 16, true);
  // The first invariant a state violates, or null; undefined while unknown.
  private readonly verdicts: (string | null | undefined)[] = [];
  private readonly slots: Slot[];
  // Per action with a fixed domain: each element's position in it.
  private readonly positions = new Map<number, Map<unknown, number>>();
  /** Steps taken by all walks so far. */
  steps = 0;

  constructor(
    private readonly model: Model<S>,
    private readonly deadlock = true,
  ) {
    this.ctx = new SearchContext(model, { deadlock });
    this.slots = choiceSlots(model);
  }

  walk(input: WalkInput): WalkResult<S> {
    const ctx = this.ctx;
    const trace: TraceStep<S>[] = [];
    const violation = (property: string, kind: Violation<S>["kind"], last?: TraceStep<S>) => ({
      kind: "violation" as const,
      violation: { property, kind, trace: last ? [...trace, last] : trace, loopIndex: null },
    });
    try {
      this.inits ??= this.initialStates();
      if (this.inits.bad !== null) return { kind: "violation", violation: this.inits.bad };
      const inits = this.inits.states;
      if (inits.length === 0) return { kind: "ok", trace };
      let state: S = inits[input.init % inits.length]!;
      trace.push({ label: "Init", state });
      for (let k = 0; ; k++) {
        if (!ctx.inConstraint(state)) return { kind: "ok", trace };
        const next = this.successors(state);
        for (const s of next) {
          const badStep = ctx.violatedStepProperty(state, s.state);
          if (badStep !== null) return violation(badStep, "step", s);
          const bad = s.stutter ? null : this.violatedInvariant(s);
          if (bad !== null) return violation(bad, "invariant", s);
        }
        if (next.length === 0) {
          if (this.deadlock && !ctx.isTerminal(state)) return violation("deadlock", "deadlock");
          return { kind: "ok", trace };
        }
        const choice = input.steps[k];
        const chosen = choice === undefined ? undefined : this.choose(next, choice);
        if (chosen === undefined) return { kind: "ok", trace };
        trace.push(chosen);
        state = chosen.state;
        this.steps++;
      }
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      return { kind: "specError", error: e, trace };
    }
  }

  private initialStates(): { states: S[]; bad: Violation<S> | null } {
    const states = this.ctx.initialStates();
    for (const state of states) {
      const bad = this.ctx.violatedInvariant(state);
      if (bad !== null) {
        const trace = [{ label: "Init", state }];
        return { states, bad: { property: bad, kind: "invariant", trace, loopIndex: null } };
      }
    }
    return { states, bad: null };
  }

  private violatedInvariant(s: Successor<S>): string | null {
    if (this.verdicts.length >= MAX_CACHED) {
      this.cache = new FingerprintSet(1 << 16, true);
      this.verdicts.length = 0;
    }
    let i = this.cache.getOrAdd(s.hi, s.lo, this.verdicts.length);
    if (i === -1) i = this.verdicts.push(undefined) - 1;
    const known = this.verdicts[i];
    if (known !== undefined) return known;
    // Left undefined if the spec throws, so that the error comes again next time.
    const bad = this.ctx.violatedInvariant(s.state);
    this.verdicts[i] = bad;
    return bad;
  }

  private successors(state: S): Successor<S>[] {
    const ctx = this.ctx;
    ctx.fingerprint(state);
    const hi = ctx.fp[0];
    const lo = ctx.fp[1];
    const out: Successor<S>[] = [];
    try {
      ctx.expander.expand(state, (next) => {
        const { actionIndex: action, arg } = ctx.expander;
        const label = ctx.currentLabel();
        out.push({ action, arg, label, state: next, stutter: false, hi: 0, lo: 0 });
      });
    } catch (e) {
      throw ctx.expansionError(e);
    }
    return out.map((s) => {
      if (s.state === state) return { ...s, stutter: true };
      ctx.fingerprint(s.state);
      const [h, l] = ctx.fp;
      return { ...s, stutter: h === hi && l === lo, hi: h!, lo: l! };
    });
  }

  // The instance at the chosen slot if it is enabled (for an action whose domain is a function
  // of the state, one of its enabled instances), else one of all enabled instances; then one of
  // that instance's successors. Stuttering successors are never chosen: they would only
  // lengthen the behaviour.
  private choose(all: readonly Successor<S>[], c: Choice): Successor<S> | undefined {
    const instances: Instance<S>[] = [];
    for (const s of all) {
      if (s.stutter) continue;
      const last = instances[instances.length - 1];
      if (last !== undefined && last.action === s.action && Object.is(last.arg, s.arg)) {
        last.succ.push(s);
      } else instances.push({ action: s.action, arg: s.arg, succ: [s] });
    }
    if (instances.length === 0) return undefined;
    const slot = this.slots[c.slot % this.slots.length]!;
    let instance: Instance<S> | undefined;
    if (slot.position === null) {
      const mine = instances.filter((i) => i.action === slot.action);
      instance = mine[c.instance % Math.max(1, mine.length)];
    } else {
      const pos = this.positionOf(slot.action);
      instance = instances.find((i) => i.action === slot.action && pos(i.arg) === slot.position);
    }
    instance ??= instances[c.instance % instances.length]!;
    return instance.succ[c.pick % instance.succ.length];
  }

  private positionOf(action: number): (arg: unknown) => number | undefined {
    let map = this.positions.get(action);
    if (map === undefined) {
      map = new Map();
      const domain = this.model.actions[action]!.domain;
      if (Array.isArray(domain)) for (let i = domain.length - 1; i >= 0; i--) map.set(domain[i], i);
      this.positions.set(action, map);
    }
    const m = map;
    return (arg) => m.get(arg);
  }
}

interface Instance<S> {
  readonly action: number;
  readonly arg: unknown;
  readonly succ: Successor<S>[];
}

interface Slot {
  readonly action: number;
  /** The domain position of a fixed-domain action's instance; null for the whole action. */
  readonly position: number | null;
}

/**
 * The slots a choice names: one per element of a fixed domain, one per action whose domain is
 * a function of the state (or that has no domain).
 */
export function choiceSlots<S>(model: Model<S>): Slot[] {
  const slots: Slot[] = [];
  model.actions.forEach((a, action) => {
    if (Array.isArray(a.domain))
      a.domain.forEach((_, position) => slots.push({ action, position }));
    else slots.push({ action, position: null });
  });
  return slots;
}
