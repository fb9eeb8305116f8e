// One random behaviour. A policy (policies.ts) chooses each step among the enabled action
// instances; the one that shrinking works with is a list of choices (which fast-check generates
// and shrinks), read by `ChoicePolicy` below.
//
// A choice names an action instance by its slot: one slot per element of an action's fixed
// domain (RMPrepare(0), RMPrepare(1), ...), one for an action without a domain or with a domain
// that is a function of the state (there, the choice's `instance` names one of the action's
// enabled instances by a hash of its label, or else by its position). When the named instance
// is not enabled, the choice falls back to one of the enabled instances, by label hash or
// position again. Naming instances rather than "the n-th successor" keeps a choice's meaning
// when the shrinker removes an earlier step (a message keeps its label however many others are
// in flight), and choices shrink towards slot 0 and the first enabled instance (process 0
// before process 1), so shrunk traces are short and involve few processes.
//
// Every state the walk visits has all of its successors checked (invariants, step properties),
// and a visited state without successors that is not terminal is a deadlock: a violation one step
// off the walk is found without having to choose that step.
//
// A spec's temporal properties are checked on the lassos the walk closes: a step back to a state
// visited before (by fingerprint) closes a cycle, and a state where the spec may stutter forever
// (anywhere, or where nothing else can happen) is a cycle of its own. A lasso that violates a
// property and keeps every fairness assumption is a liveness violation, as `check` would report
// it: the trace without the repeated state, its loop index, and the label of the closing step.
import type { TraceStep, Violation } from "../engine/result.ts";
import { FingerprintSet } from "../engine/fingerprint-set.ts";
import { SearchContext } from "../engine/search-context.ts";
import { specCallError } from "../engine/spec-call-error.ts";
import { SpecError } from "../errors/spec-error.ts";
import type { Instance } from "../liveness/enabled-instances.ts";
import { lassoViolates, unfairOnCycle } from "../liveness/verify-lasso.ts";
import type { Model, ModelProperty } from "../spec/model.ts";

export interface Choice {
  /** An action instance, by its slot (see choiceSlots). */
  readonly slot: number;
  /**
   * For a slot that is a whole action, or when the slot's instance is not enabled: the
   * instance whose label hashes to this (see labelHash), else the one at this position modulo
   * their number.
   */
  readonly instance: number;
  /** Which of the instance's successor states (for `oneOf`), modulo their number. */
  readonly pick: number;
}

export interface WalkInput {
  /** Which initial state, modulo their number. */
  readonly init: number;
  readonly steps: readonly Choice[];
}

/** The step that closes a lasso's cycle (null in a Violation's place: stuttering). */
export interface Closing {
  readonly label: string;
  readonly action: number;
}

export type WalkResult<S> =
  | { readonly kind: "ok"; readonly trace: readonly TraceStep<S>[] }
  | {
      readonly kind: "violation";
      readonly violation: Violation<S>;
      /** For a liveness lasso: its closing step, or null when its last state stutters. */
      readonly closing: Closing | null;
      /** The walk's steps as choices that a ChoicePolicy follows to the same violation. */
      readonly input: WalkInput;
    }
  | {
      readonly kind: "specError";
      readonly error: SpecError;
      readonly trace: readonly TraceStep<S>[];
      /** The walk's steps up to the error, as choices (see above). */
      readonly input: WalkInput;
    };

export interface Successor<S> {
  readonly action: number;
  readonly arg: unknown;
  readonly label: string;
  readonly state: S;
  readonly stutter: boolean;
  /** The fingerprint (of the view, if any); unset for stutters. */
  readonly hi: number;
  readonly lo: number;
}

/** An action instance enabled in a state: its label and its successors that change the state. */
export interface Enabled<S> {
  readonly action: number;
  readonly arg: unknown;
  readonly label: string;
  readonly succ: Successor<S>[];
}

/** Chooses the steps of one walk. */
export interface Policy<S> {
  /** Which of `enabled` (never empty) the walk takes as its step number `k` (from 0); -1 ends it. */
  choose(enabled: readonly Enabled<S>[], k: number): number;
  /** Which of the chosen instance's `n` successors (n ≥ 1). */
  pick(n: number, k: number): number;
}

// Verdicts are cached by fingerprint: walks, and shrinking above all, revisit the same states
// over and over, and an invariant (a linearizability check, say) can cost far more than a step.
// The cache is dropped when it holds this many states.
const MAX_CACHED = 1 << 22;

/** A 24-bit hash of a label (FNV-1a), by which a choice names an instance. */
export function labelHash(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & 0xffffff;
}

export class Walker<S> {
  private readonly ctx: SearchContext<S>;
  private inits: { readonly states: S[]; readonly bad: Violation<S> | null } | null = null;
  private cache = new FingerprintSet(1 << 16, true);
  // The first invariant a state violates, or null; undefined while unknown.
  private readonly verdicts: (string | null | undefined)[] = [];
  readonly slots: readonly Slot[];
  // The first slot of each action.
  private readonly slotBase: number[] = [];
  // Per action with a fixed domain: each element's position in it.
  private readonly positions = new Map<number, Map<unknown, number>>();
  private readonly properties: readonly ModelProperty<S>[];
  /** Steps taken by all walks so far. */
  steps = 0;

  constructor(
    private readonly model: Model<S>,
    private readonly deadlock = true,
    liveness = true,
  ) {
    this.ctx = new SearchContext(model, { deadlock });
    this.slots = choiceSlots(model);
    this.slots.forEach((s, i) => {
      if (this.slotBase[s.action] === undefined) this.slotBase[s.action] = i;
    });
    this.properties = liveness ? (model.properties ?? []) : [];
  }

  /** Walks the behaviour that `input`'s choices name. */
  walk(input: WalkInput): WalkResult<S> {
    return this.walkWith(input.init, new ChoicePolicy(this, input.steps));
  }

  /** Walks from initial state `init` (modulo their number), taking the steps `policy` chooses. */
  walkWith(init: number, policy: Policy<S>): WalkResult<S> {
    const ctx = this.ctx;
    const trace: TraceStep<S>[] = [];
    const choices: Choice[] = [];
    const input = (): WalkInput => ({ init, steps: choices });
    const violation = (property: string, kind: Violation<S>["kind"], last?: TraceStep<S>) => ({
      kind: "violation" as const,
      violation: { property, kind, trace: last ? [...trace, last] : trace, loopIndex: null },
      closing: null,
      input: input(),
    });
    const lasso = new LassoTracker(this.model, this.properties);
    try {
      this.inits ??= this.initialStates();
      if (this.inits.bad !== null) {
        return { kind: "violation", violation: this.inits.bad, closing: null, input: input() };
      }
      const inits = this.inits.states;
      if (inits.length === 0) return { kind: "ok", trace };
      let state: S = inits[init % inits.length]!;
      trace.push({ label: "Init", state });
      for (let k = 0; ; k++) {
        if (!ctx.inConstraint(state)) return { kind: "ok", trace };
        const { all: next, hi, lo } = this.successors(state);
        for (const s of next) {
          const badStep = ctx.violatedStepProperty(state, s.state);
          if (badStep !== null) return violation(badStep, "step", s);
          const bad = s.stutter ? null : this.violatedInvariant(s);
          if (bad !== null) return violation(bad, "invariant", s);
        }
        if (next.length === 0 && this.deadlock && !ctx.isTerminal(state)) {
          return violation("deadlock", "deadlock");
        }
        const enabled = instancesOf(next);
        if (lasso.active) {
          lasso.visit(state, hi, lo, enabled);
          const stutters = enabled.length === 0 || this.model.stuttering === "anywhere";
          const bad = stutters ? lasso.stutterViolation() : null;
          if (bad !== null) {
            const v = { property: bad, kind: "liveness" as const, trace, loopIndex: k };
            return { kind: "violation", violation: v, closing: null, input: input() };
          }
        }
        if (enabled.length === 0) return { kind: "ok", trace };
        const i = policy.choose(enabled, k);
        if (i < 0) return { kind: "ok", trace };
        const chosen = enabled[i]!;
        const j = policy.pick(chosen.succ.length, k);
        const step = chosen.succ[j]!;
        choices.push(this.choiceFor(enabled, chosen, j));
        this.steps++;
        if (lasso.active) {
          const closed = lasso.close(step);
          if (closed !== null) {
            const v = { property: closed.property, kind: "liveness" as const, trace };
            const closing = { label: step.label, action: step.action };
            return {
              kind: "violation",
              violation: { ...v, loopIndex: closed.loopIndex },
              closing,
              input: input(),
            };
          }
        }
        trace.push(step);
        state = step.state;
      }
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      return { kind: "specError", error: e, trace, input: input() };
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

  private successors(state: S): { all: Successor<S>[]; hi: number; lo: number } {
    const ctx = this.ctx;
    ctx.fingerprint(state);
    const hi = ctx.fp[0]!;
    const lo = ctx.fp[1]!;
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
    const all = out.map((s) => {
      if (s.state === state) return { ...s, stutter: true };
      ctx.fingerprint(s.state);
      const [h, l] = ctx.fp;
      return { ...s, stutter: h === hi && l === lo, hi: h!, lo: l! };
    });
    return { all, hi, lo };
  }

  /**
   * The instance a choice names among `enabled` (see Choice): the slot's if it is enabled (for
   * a slot that is a whole action, one of its instances), else one of all enabled instances.
   */
  named(enabled: readonly Enabled<S>[], c: Choice): Enabled<S> {
    const slot = this.slots[c.slot % this.slots.length]!;
    if (slot.position !== null) {
      const pos = this.positionOf(slot.action);
      const mine = enabled.find((i) => i.action === slot.action && pos(i.arg) === slot.position);
      if (mine !== undefined) return mine;
    } else {
      const mine = enabled.filter((i) => i.action === slot.action);
      if (mine.length > 0) return byName(mine, c.instance);
    }
    return byName(enabled, c.instance);
  }

  /** The slot of an action instance: its own for a fixed domain, else its action's. */
  slotOf(e: { readonly action: number; readonly arg: unknown }): number {
    const position = this.positionOf(e.action)(e.arg);
    const base = this.slotBase[e.action]!;
    return position === undefined ? base : base + position;
  }

  /** A choice that names `chosen` among `enabled`, and its successor `pick`. */
  private choiceFor(enabled: readonly Enabled<S>[], chosen: Enabled<S>, pick: number): Choice {
    const slot = this.slotOf(chosen);
    const hash = labelHash(chosen.label);
    if (this.named(enabled, { slot, instance: hash, pick }) === chosen) {
      return { slot, instance: hash, pick };
    }
    // Another enabled instance's label has the same hash: name it by position instead, with
    // a number that is no enabled instance's hash.
    const mine = enabled.filter((i) => i.action === chosen.action);
    const hashes = new Set(mine.map((i) => labelHash(i.label)));
    for (let n = mine.indexOf(chosen); ; n += mine.length) {
      if (!hashes.has(n)) return { slot, instance: n, pick };
    }
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

function byName<S>(list: readonly Enabled<S>[], instance: number): Enabled<S> {
  return list.find((i) => labelHash(i.label) === instance) ?? list[instance % list.length]!;
}

/** The successors that change the state, grouped by action instance (in expansion order). */
function instancesOf<S>(all: readonly Successor<S>[]): Enabled<S>[] {
  const out: Enabled<S>[] = [];
  for (const s of all) {
    if (s.stutter) continue;
    const last = out[out.length - 1];
    if (last !== undefined && last.action === s.action && Object.is(last.arg, s.arg)) {
      last.succ.push(s);
    } else out.push({ action: s.action, arg: s.arg, label: s.label, succ: [s] });
  }
  return out;
}

/** Follows a list of choices; stops when they run out. */
export class ChoicePolicy<S> implements Policy<S> {
  constructor(
    private readonly walker: Walker<S>,
    private readonly choices: readonly Choice[],
  ) {}

  choose(enabled: readonly Enabled<S>[], k: number): number {
    const c = this.choices[k];
    return c === undefined ? -1 : enabled.indexOf(this.walker.named(enabled, c));
  }

  pick(n: number, k: number): number {
    return this.choices[k]!.pick % n;
  }
}

/**
 * The lassos of one walk: the states visited (by fingerprint), the instances enabled in each,
 * and the values of the properties' predicates, for checking each lasso the walk closes.
 */
class LassoTracker<S> {
  readonly active: boolean;
  private readonly states: S[] = [];
  private readonly labels: string[] = [];
  private readonly enabled: Map<string, Instance>[] = [];
  // Fingerprint → the indices of the visits of that state (first and latest).
  private readonly visits = new Map<string, [number, number]>();

  constructor(
    private readonly model: Model<S>,
    private readonly properties: readonly ModelProperty<S>[],
  ) {
    this.active = properties.length > 0;
  }

  /** Records the walk's next state, its fingerprint and its enabled instances. */
  visit(state: S, hi: number, lo: number, enabled: readonly Enabled<S>[]): void {
    const k = this.states.length;
    this.states.push(state);
    const m = new Map<string, Instance>();
    for (const e of enabled) m.set(e.label, { label: e.label, action: e.action });
    this.enabled.push(m);
    const key = `${hi}:${lo}`;
    const seen = this.visits.get(key);
    if (seen === undefined) this.visits.set(key, [k, k]);
    else seen[1] = k;
  }

  /** Records the label of the step into the next state. */
  private stepLabel(label: string): void {
    this.labels[this.states.length] = label;
  }

  /** The first property that stuttering forever in the last state visited violates fairly. */
  stutterViolation(): string | null {
    const k = this.states.length - 1;
    if (unfairOnCycle(this.model, [this.enabled[k]!], []).length > 0) return null;
    return this.violated(k, []);
  }

  /**
   * The lasso closed if the walk takes `step` out of the last state visited: its loop index and
   * the first property it violates fairly, or null.
   */
  close(step: Successor<S>): { loopIndex: number; property: string } | null {
    this.stepLabel(step.label);
    const seen = this.visits.get(`${step.hi}:${step.lo}`);
    if (seen === undefined) return null;
    const k = this.states.length - 1;
    // The latest visit closes the shortest cycle; the first, the one that takes the most steps.
    for (const loop of seen[1] === seen[0] ? [seen[1]] : [seen[1], seen[0]]) {
      const taken = [...this.labels.slice(loop + 1, k + 1), step.label];
      const property = this.violated(loop, taken);
      if (property !== null) return { loopIndex: loop, property };
    }
    return null;
  }

  private violated(loop: number, taken: readonly string[]): string | null {
    let fair: boolean | null = null;
    for (const prop of this.properties) {
      let violates: boolean;
      try {
        violates = lassoViolates(prop, this.states, loop);
      } catch (e) {
        throw specCallError(`liveness property ${prop.name}`, e);
      }
      if (!violates) continue;
      fair ??= unfairOnCycle(this.model, this.enabled.slice(loop), taken).length === 0;
      if (fair) return prop.name;
    }
    return null;
  }
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
