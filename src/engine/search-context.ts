// What every search strategy shares: the model, the seen-set, the per-state records, the
// running figures, and the checks made on each state and step.
import { SpecError } from "../errors/spec-error.ts";
import type { Model } from "../spec/model.ts";
import {
  fingerprintInto,
  fingerprintSuccessorInto,
  unchangedSinceBase,
  setFingerprintBase,
} from "../values/fingerprint.ts";
import { formatValue } from "../values/format.ts";
import { canonicalizer } from "./symmetry.ts";
import { Expander, initialStates } from "./expander.ts";
import { FingerprintSet } from "./fingerprint-set.ts";
import type { CheckOptions } from "./options.ts";
import {
  collisionProbability,
  type CheckResult,
  type Stats,
  type TraceStep,
  type ViolationKind,
} from "./result.ts";
import { specCallError } from "./spec-call-error.ts";
import { NO_PARENT, StateRecords } from "./state-records.ts";

const formatArg = (v: unknown): string => formatValue(v, { bareStrings: true });

export class SearchContext<S> {
  readonly seen: FingerprintSet;
  readonly records = new StateRecords();
  readonly expander: Expander<S>;
  /** The fingerprint of the last state passed to `fingerprint`: [hi, lo]. */
  readonly fp = new Uint32Array(2);
  private readonly scratch = new Uint32Array(2);
  generated = 0;
  depth = 0;
  /** New states found at each BFS level so far (for the estimate of the total). */
  readonly levelSizes: number[] = [];
  queue = 0;
  readonly startedAt = performance.now();
  /** Search time of the earlier runs a resumed search continues (counted in the figures). */
  priorElapsedMs = 0;
  readonly deadlineAt: number;
  readonly maxStates: number;
  readonly maxDepth: number;
  readonly checkDeadlock: boolean;
  /** The symmetry reduction in force: a state to its orbit's representative, or null. */
  readonly canonical: ((state: S) => S) | null;

  constructor(
    readonly model: Model<S>,
    readonly options: CheckOptions,
  ) {
    this.expander = new Expander(model);
    // Depth-first search needs fp → id to revisit a state reached again by a shorter path.
    this.seen = new FingerprintSet(1 << 16, options.strategy === "dfs");
    this.deadlineAt =
      options.timeLimitMs === undefined ? Infinity : this.startedAt + options.timeLimitMs;
    this.maxStates = options.maxStates ?? Infinity;
    this.maxDepth = options.maxDepth ?? Infinity;
    this.checkDeadlock = options.deadlock ?? true;
    this.canonical = options.symmetry === true ? symmetryOf(model) : null;
  }

  stats(): Stats {
    return this.statsWith(this.seen.size, this.seen.bytes);
  }

  /** The figures, with the distinct count and the seen-set's size given. */
  protected statsWith(distinct: number, fingerprintBytes: number): Stats {
    return {
      generated: this.generated,
      distinct,
      queue: this.queue,
      depth: this.depth,
      elapsedMs: this.elapsedMs(),
      fingerprintBytes,
      collisionProbability: collisionProbability(distinct),
      estimate: estimateTotal(this.levelSizes, distinct),
    };
  }

  /** Search time until `at`, the earlier runs of a resumed search included. */
  elapsedMs(at = performance.now()): number {
    return at - this.startedAt + this.priorElapsedMs;
  }

  /** Fingerprints a state (its view, if the spec has one) into `this.fp`. */
  fingerprint(state: S): void {
    const view = this.model.view;
    const canonical = this.canonical;
    if (view === null && canonical === null) {
      fingerprintInto(state, this.fp, 0);
      return;
    }
    // The whole state is still walked: that validates it.
    fingerprintInto(state, this.scratch, 0);
    let v: unknown;
    try {
      const rep = canonical === null ? state : canonical(state);
      v = view === null ? rep : view(rep);
    } catch (e) {
      throw specCallError(canonical === null ? "view" : "symmetry", e);
    }
    fingerprintInto(v, this.fp, 0);
  }

  /**
   * Call before expanding `parent`: `fingerprintSuccessor` then reuses what the successors
   * share with it. (A mutated parent is caught by `unchanged` after the expansion.)
   */
  beginExpansion(parent: S): void {
    if (this.model.view === null && this.canonical === null) setFingerprintBase(parent);
  }

  /**
   * Whether `state`, just expanded, still has the fingerprint (hi, lo) it was recorded with:
   * the check that catches a spec mutating the state it was given.
   */
  unchanged(state: S, hi: number, lo: number): boolean {
    if (this.model.view === null && this.canonical === null) {
      return unchangedSinceBase(state, hi, lo);
    }
    this.fingerprint(state);
    return this.fp[0] === hi >>> 0 && this.fp[1] === lo >>> 0;
  }

  /** As `fingerprint`, for a successor of the state given to `beginExpansion`. */
  fingerprintSuccessor(state: S): void {
    if (this.model.view === null && this.canonical === null) {
      fingerprintSuccessorInto(state, this.fp, 0);
    } else {
      this.fingerprint(state);
    }
  }

  /** The name of the first invariant that `state` violates, or null. */
  violatedInvariant(state: S): string | null {
    const invs = this.model.invariants;
    for (let i = 0; i < invs.length; i++) {
      const inv = invs[i]!;
      let ok: unknown;
      try {
        ok = inv.test(state);
      } catch (e) {
        throw specCallError(`invariant ${inv.name}`, e);
      }
      if (ok !== true) {
        if (ok !== false) throw notBoolean(`invariant ${inv.name}`, ok);
        return inv.name;
      }
    }
    return null;
  }

  /** The name of the first step property that (before, after) violates, or null. */
  violatedStepProperty(before: S, after: S): string | null {
    const props = this.model.stepProperties;
    for (let i = 0; i < props.length; i++) {
      const p = props[i]!;
      let ok: unknown;
      try {
        ok = p.test(before, after);
      } catch (e) {
        throw specCallError(`step property ${p.name}`, e);
      }
      if (ok !== true) {
        if (ok !== false) throw notBoolean(`step property ${p.name}`, ok);
        return p.name;
      }
    }
    return null;
  }

  /** Whether the state is inside the state constraint (and so is expanded). */
  inConstraint(state: S): boolean {
    const c = this.model.constraint;
    if (c === null) return true;
    let ok: unknown;
    try {
      ok = c(state);
    } catch (e) {
      throw specCallError("constraint", e);
    }
    if (typeof ok !== "boolean") throw notBoolean("constraint", ok);
    return ok;
  }

  isTerminal(state: S): boolean {
    const t = this.model.terminal;
    if (t === null) return false;
    let ok: unknown;
    try {
      ok = t(state);
    } catch (e) {
      throw specCallError("terminal", e);
    }
    if (typeof ok !== "boolean") throw notBoolean("terminal", ok);
    return ok;
  }

  /** The label of the action instance the expander is running. */
  currentLabel(): string {
    return this.expander.label(formatArg);
  }

  /** The spec error for an exception thrown while expanding a state. */
  expansionError(e: unknown): SpecError {
    if (e instanceof SpecError) return e;
    return specCallError(`action ${this.currentLabel()}`, e);
  }

  initialStates(): S[] {
    try {
      return initialStates(this.model);
    } catch (e) {
      throw specCallError("init", e);
    }
  }

  /** The result for a violation found at recorded state `id` (plus a step out of it). */
  violationResult(v: {
    readonly property: string;
    readonly kind: ViolationKind;
    readonly id: number;
    readonly step: { readonly label: string; readonly state: unknown } | null;
  }): CheckResult<S> {
    let trace: TraceStep<S>[];
    try {
      trace = this.rebuildTrace(v.id);
    } catch (e) {
      return this.specErrorResult(e, null);
    }
    if (v.step !== null) trace.push({ label: v.step.label, state: v.step.state as S });
    return {
      kind: "violation",
      stats: this.stats(),
      violation: { property: v.property, kind: v.kind, trace, loopIndex: null },
    };
  }

  /**
   * The result for an exception thrown by spec code, with the trace to the state being
   * processed (when the error is a spec error, not a bug in protomc).
   */
  specErrorResult(e: unknown, failedAt: number | null): CheckResult<S> {
    if (!(e instanceof SpecError)) throw e;
    let trace: TraceStep<S>[] | null = null;
    if (failedAt !== null && failedAt >= 0 && failedAt < this.records.size) {
      try {
        trace = this.rebuildTrace(failedAt);
      } catch {
        trace = null;
      }
    }
    return { kind: "specError", stats: this.stats(), error: e, trace };
  }

  /**
   * Rebuilds the trace to a recorded state by re-executing the spec from its initial state,
   * following the recorded successor ordinals (TLC rebuilds traces the same way).
   */
  rebuildTrace(id: number): TraceStep<S>[] {
    const path = this.records.pathTo(id);
    const first = path[0]!;
    if (this.records.parent(first) !== NO_PARENT) throw new Error("trace does not start at init");
    const init = this.initialStates()[this.records.ordinal(first)];
    if (init === undefined) throw nondeterministic("init", "returned fewer initial states");
    const steps: TraceStep<S>[] = [{ label: "Init", state: init }];
    let state: S = init;
    for (let k = 1; k < path.length; k++) {
      const step = this.successor(state, this.records.ordinal(path[k]!));
      if (step === null)
        throw nondeterministic(`the successors of step ${k - 1}`, "are fewer than before");
      this.fingerprint(step.state);
      if (!this.hasSeen(this.fp[0]!, this.fp[1]!))
        throw nondeterministic(`action ${step.label}`, "produced a state never seen before");
      steps.push(step);
      state = step.state;
    }
    return steps;
  }

  /** Successor number `ordinal` of `state` (re-executing the actions), with its label. */
  successor(state: S, ordinal: number): TraceStep<S> | null {
    let i = 0;
    let found: TraceStep<S> | null = null;
    this.expander.expand(state, (next) => {
      if (i++ === ordinal) found = { label: this.currentLabel(), state: next };
    });
    return found;
  }

  /** Whether the search has met the state with this fingerprint (the parallel one overrides). */
  protected hasSeen(hi: number, lo: number): boolean {
    return this.seen.has(hi, lo);
  }
}

/**
 * An estimate of the total distinct states from the sizes of the BFS levels: once the levels
 * shrink, the remaining ones are assumed to keep shrinking by the last ratio (a geometric
 * tail). While they still grow there is no honest estimate, so none is given.
 */
export function estimateTotal(levels: readonly number[], distinct: number): number | null {
  const n = levels.length;
  if (n < 3) return null;
  const last = levels[n - 1]!;
  const before = levels[n - 2]!;
  if (before === 0) return null;
  const ratio = last / before;
  if (ratio >= 0.95) return null;
  return Math.round(distinct + (last * ratio) / (1 - ratio));
}

function symmetryOf<S>(model: Model<S>): (state: S) => S {
  if (model.symmetry === null) {
    throw new SpecError(
      "PMC006",
      `${model.name} declares no symmetry`,
      "Add a symmetry to the spec, or check without --symmetry.",
    );
  }
  if ((model.properties?.length ?? 0) > 0) {
    throw new SpecError(
      "PMC006",
      "temporal properties are not checked under symmetry: a fair cycle of representatives " +
        "need not be a fair cycle of concrete states, so a verdict could be wrong",
      "Check temporal properties without --symmetry, or leave them out with --no-liveness.",
    );
  }
  return canonicalizer(model.symmetry, model.params);
}

function notBoolean(where: string, v: unknown): SpecError {
  return new SpecError(
    "PMC008",
    `${where} returned ${formatValue(v)}, not a boolean`,
    "Predicates must return true or false.",
  );
}

export function nondeterministic(where: string, what: string): SpecError {
  return new SpecError(
    "PMC003",
    `${where} is not deterministic: re-executed on the same state, it ${what}`,
    "Actions must be pure functions of the state: no Math.random, Date.now, or shared " +
      "mutable variables outside the state.",
  );
}
