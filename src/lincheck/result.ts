// Options, results and the search budget shared by both checkers.
import { describeOp, type Operation } from "./history.ts";
import type { Model } from "./models.ts";

export interface CheckOptions {
  /** Give up with `{ ok: "unknown" }` after this many milliseconds (wall clock). */
  readonly timeoutMs?: number | undefined;
  /** Give up with `{ ok: "unknown" }` after this many search steps (deterministic). */
  readonly maxSteps?: number | undefined;
  /**
   * Linearizability only: check the model's partitions separately (default true). Sound
   * because linearizability is local; turning it off is for testing and comparisons.
   */
  readonly partition?: boolean | undefined;
}

/**
 * Why a history has no valid order: the longest prefix the search could order legally (a
 * valid linearization, or sequentially consistent order, of those ops), the model state after
 * it, and an operation that has to come next but cannot. For a partitioned model the ops all
 * belong to the partition that failed.
 */
export interface Explanation<St = unknown> {
  readonly prefix: readonly Operation[];
  readonly blocked: Operation;
  readonly state: St;
}

export type CheckResult<St = unknown> =
  | { readonly ok: true }
  | { readonly ok: false; readonly explanation: Explanation<St> }
  | { readonly ok: "unknown"; readonly reason: "timeout" | "max-steps" };

/** Counts search steps; reads the clock only every 1024 steps to keep the hot loop cheap. */
export class Budget {
  private steps = 0;
  private readonly deadline: number;
  private readonly maxSteps: number;
  exceeded: "timeout" | "max-steps" | undefined;

  constructor(opts: CheckOptions) {
    this.deadline = opts.timeoutMs === undefined ? Infinity : performance.now() + opts.timeoutMs;
    this.maxSteps = opts.maxSteps ?? Infinity;
  }

  /** False once the budget is spent (and stays false). */
  tick(): boolean {
    if (this.exceeded) return false;
    this.steps++;
    if (this.steps > this.maxSteps) this.exceeded = "max-steps";
    else if ((this.steps & 1023) === 0 && performance.now() > this.deadline)
      this.exceeded = "timeout";
    return this.exceeded === undefined;
  }
}

/** Multi-line human-readable rendering of an explanation. */
export function formatExplanation<St>(e: Explanation<St>, model?: Model<St>): string {
  const show = (s: St): string => (model?.showState ? model.showState(s) : String(s));
  const lines = [`longest valid prefix (${e.prefix.length} ops):`];
  for (const op of e.prefix) lines.push(`  ${describeOp(op)}`);
  lines.push(`state after the prefix: ${show(e.state)}`);
  lines.push(`cannot be placed next: ${describeOp(e.blocked)}`);
  return lines.join("\n");
}
