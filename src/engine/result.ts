// What a check returns: one discriminated union whose kinds map one-to-one to exit codes.
import type { SpecError } from "../errors/spec-error.ts";

export interface Stats {
  /** Successor states computed, counting duplicates (TLC's "states generated"). */
  generated: number;
  /** Distinct states found. */
  distinct: number;
  /** States waiting to be expanded. */
  queue: number;
  /** Number of BFS levels (the initial states are level 1), as TLC reports depth. */
  depth: number;
  elapsedMs: number;
  /** Bytes of fingerprint storage (the seen-set table). */
  fingerprintBytes: number;
  /** Probability that a fingerprint collision made two distinct states look the same. */
  collisionProbability: number;
}

export interface TraceStep<S> {
  /** "Init" for the first state, else the action label, `Name` or `Name(arg)`. */
  readonly label: string;
  readonly state: S;
}

export type ViolationKind = "invariant" | "step" | "deadlock" | "liveness";

export interface Violation<S> {
  readonly property: string;
  readonly kind: ViolationKind;
  readonly trace: readonly TraceStep<S>[];
  /** For liveness lassos: the index of the state the last step returns to. */
  readonly loopIndex: number | null;
}

export type IncompleteReason = "max-states" | "max-depth" | "time-limit" | "interrupted";

export type CheckResult<S> =
  | { readonly kind: "ok"; readonly stats: Stats }
  | { readonly kind: "violation"; readonly stats: Stats; readonly violation: Violation<S> }
  | {
      readonly kind: "specError";
      readonly stats: Stats;
      readonly error: SpecError;
      readonly trace: readonly TraceStep<S>[] | null;
    }
  | { readonly kind: "incomplete"; readonly stats: Stats; readonly reason: IncompleteReason };

/**
 * The chance that some pair among `distinct` states shares a 64-bit fingerprint (the birthday
 * bound n²/2^65), which is the chance that the search wrongly took a new state for a seen one.
 */
export function collisionProbability(distinct: number): number {
  return (distinct * distinct) / 2 ** 65;
}
