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
  /**
   * While running: the estimated total of distinct states, from the shrinking of BFS levels
   * (null while levels still grow, or for depth-first search).
   */
  estimate?: number | null;
  /** Frontier states written to disk because of the memory budget (absent: none). */
  spilledStates?: number;
  /** Figures of the temporal-property check, when the spec has temporal properties. */
  liveness?: LivenessStats;
}

/** The temporal-property check, apart from the safety figures above. */
export interface LivenessStats {
  /** Temporal properties checked on the state graph (`always` ones are invariants). */
  properties: number;
  /** States and edges of the recorded graph (steps that change the state). */
  states: number;
  edges: number;
  /** Peak bytes of the recorded graph: fp → id table, rows, edges, labels, predicate bits. */
  graphBytes: number;
  /** Bytes of the working arrays of the analysis (SCC search, components). */
  analysisBytes: number;
  /** Strongly connected components found, over every decomposition and refinement. */
  sccs: number;
  /** Components (with a cycle, or a stuttering state) whose fairness was examined. */
  fairnessChecks: number;
  /** Milliseconds spent after the search: packing the graph, components, counterexample. */
  elapsedMs: number;
}

/** Why a lasso violates a temporal property, for a person deciding what to fix. */
export interface LivenessExplanation {
  /** The property in TLA+ notation, with the predicates' names where they have one. */
  readonly formula: string;
  /** Which predicate fails where, in terms of the trace's step numbers. */
  readonly summary: string;
  /** The behaviour ends by stuttering forever in its last state. */
  readonly stutters: boolean;
  /** The label of the step from the last state back to the loop index (null: stutter). */
  readonly closingAction: string | null;
  /** Each fairness assumption (per instance for `each`) on the cycle. */
  readonly fairness: readonly {
    readonly assumption: string;
    readonly status: "taken" | "never enabled" | "not always enabled" | "enabled, not taken";
  }[];
  /** Action instances enabled on the cycle but never taken on it. */
  readonly starved: readonly {
    readonly action: string;
    /** Enabled in every state of the cycle, or only in some. */
    readonly enabled: "always" | "sometimes";
  }[];
  /** Protocol bug or missing fairness assumption: what would rule this behaviour out. */
  readonly hint: string;
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
  /** For liveness lassos: why the lasso violates the property. */
  readonly explanation?: LivenessExplanation;
}

/** Why a search stopped early; "memory": it could not go on within its memory or disk. */
export type IncompleteReason = "max-states" | "max-depth" | "time-limit" | "interrupted" | "memory";

export type CheckResult<S> =
  | { readonly kind: "ok"; readonly stats: Stats }
  | { readonly kind: "violation"; readonly stats: Stats; readonly violation: Violation<S> }
  | {
      readonly kind: "specError";
      readonly stats: Stats;
      readonly error: SpecError;
      readonly trace: readonly TraceStep<S>[] | null;
    }
  | {
      readonly kind: "incomplete";
      readonly stats: Stats;
      readonly reason: IncompleteReason;
      /** What ran out, for reason "memory". */
      readonly detail?: string;
    };

/**
 * The chance that some pair among `distinct` states shares a 64-bit fingerprint (the birthday
 * bound n²/2^65), which is the chance that the search wrongly took a new state for a seen one.
 */
export function collisionProbability(distinct: number): number {
  return (distinct * distinct) / 2 ** 65;
}
