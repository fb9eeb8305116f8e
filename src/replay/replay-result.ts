// What replaying a trace against a spec finds: one discriminated union whose kinds map
// one-to-one to exit codes (reproduced 1, fixed 0, diverged 5, specError 2).
import type { TraceStep } from "../engine/result.ts";
import type { SpecError } from "../errors/spec-error.ts";
import type { TraceKind } from "../itf/trace-file.ts";
import type { Change } from "../values/diff.ts";

interface ReplayBase<S> {
  /** The recorded property and its kind. */
  readonly property: string;
  readonly propertyKind: TraceKind;
  /** The states re-executed so far, with their labels (state 0 is "Init"). */
  readonly trace: readonly TraceStep<S>[];
  /** How many states the trace file holds. */
  readonly recordedLength: number;
}

/** How a liveness lasso's cycle closes: by a step with this label, or by stuttering (null). */
export interface LoopClosure {
  readonly loopIndex: number;
  readonly label: string | null;
}

/**
 * The property fails again, at state `at` (for a step property: the step into `at`; for a
 * liveness lasso, the last state: the lasso is a fair behaviour that violates the property).
 */
export interface ReplayReproduced<S> extends ReplayBase<S> {
  readonly kind: "reproduced";
  readonly at: number;
  /** For a liveness lasso: how its cycle closes. */
  readonly loop?: LoopClosure;
}

/**
 * Every step replays, and the property now holds. For a liveness lasso: the lasso is still a
 * behaviour, but it satisfies the property, or it is not fair (see `unfair`).
 */
export interface ReplayFixed<S> extends ReplayBase<S> {
  readonly kind: "fixed";
  /** Why the property holds, in words ("the last state now has 2 successors", ...). */
  readonly reason: string;
  /** For a liveness lasso: how its cycle closes. */
  readonly loop?: LoopClosure;
  /** For a liveness lasso that is no longer fair: the assumptions its cycle breaks. */
  readonly unfair?: readonly string[];
}

export type DivergenceReason =
  /** No initial state of the spec is the recorded state 0. */
  | "init"
  /** No successor of state `at - 1` has the recorded label. */
  | "not-enabled"
  /** The labelled action is enabled but yields other states than the recorded one. */
  | "different-state"
  /** A liveness lasso: no step leads from the last state back to the state at the loop index. */
  | "loop-not-closed";

/** Step `at` cannot be re-executed: the trace is no longer a behaviour of the spec. */
export interface ReplayDiverged<S> extends ReplayBase<S> {
  readonly kind: "diverged";
  readonly at: number;
  readonly label: string;
  readonly reason: DivergenceReason;
  /** The labels enabled in the state the step leaves from (deduplicated, in order). */
  readonly enabled: readonly string[];
  /** Which recorded state the spec should have produced: `at`, or for a lasso the loop index. */
  readonly recordedIndex: number;
  /** That recorded state (decoded: Lists and Records come back as arrays and objects). */
  readonly recorded: unknown;
  /** The recorded state the step leaves from (null for the initial state). */
  readonly recordedBefore: unknown;
  /** The closest state the spec produces instead (decoded the same way), or null if none. */
  readonly actual: unknown;
  /** What differs from `recorded` to `actual` (empty when `actual` is null). */
  readonly changes: readonly Change[];
}

/** Spec code threw (or returned a non-boolean) while re-executing step `at`. */
export interface ReplaySpecError<S> extends ReplayBase<S> {
  readonly kind: "specError";
  readonly at: number;
  readonly error: SpecError;
}

export type ReplayResult<S> =
  ReplayReproduced<S> | ReplayFixed<S> | ReplayDiverged<S> | ReplaySpecError<S>;

export type ReplayKind = ReplayResult<unknown>["kind"];
