// Model checking from a test: a spec holds all of its properties, or a variant violates a named
// one within a given trace length. Each check has a form that returns the result and one that
// throws the printed report.
import { checkModel } from "../engine/check.ts";
import type { CheckOptions } from "../engine/options.ts";
import type { CheckResult, Violation, ViolationKind } from "../engine/result.ts";
import { printTrace } from "../report/print-trace.ts";
import { plainStyle } from "../report/style.ts";
import type { Model } from "../spec/model.ts";
import { ProtomcAssertionError } from "./assertion-error.ts";
import {
  describeModel,
  modelFor,
  writeViolation,
  type ModelOptions,
  type SpecInput,
  type TraceOptions,
} from "./spec-input.ts";

/**
 * `traceDir` defaults to "counterexamples" for expectSpecHolds (a CI artifact to replay), to
 * nowhere for the others.
 */
export interface SpecCheckOptions
  extends
    ModelOptions,
    TraceOptions,
    Pick<CheckOptions, "strategy" | "maxStates" | "maxDepth" | "timeLimitMs" | "deadlock"> {}

export interface ViolationExpectation extends SpecCheckOptions {
  /** The property expected to fail ("deadlock" for a deadlock); any property if not given. */
  readonly property?: string;
  readonly kind?: ViolationKind;
  /** The exact number of steps of the (shortest, with BFS) counterexample. */
  readonly length?: number;
  /** At most this many steps. */
  readonly maxLength?: number;
}

export interface SpecCheck {
  readonly model: Model<unknown>;
  readonly result: CheckResult<unknown>;
  /** The trace file written for a violation, or null. */
  readonly traceFile: string | null;
}

/** Checks a spec exhaustively (BFS by default); returns the result, even a violation. */
export async function checkSpec(
  spec: SpecInput,
  options: SpecCheckOptions = {},
): Promise<SpecCheck> {
  const model = await modelFor(spec, options);
  const result = await checkModel(model, {
    strategy: options.strategy,
    maxStates: options.maxStates,
    maxDepth: options.maxDepth,
    timeLimitMs: options.timeLimitMs,
    deadlock: options.deadlock,
  });
  const traceFile =
    result.kind === "violation" ? writeViolation(model, result.violation, options) : null;
  return { model, result, traceFile };
}

const steps = (v: Violation<unknown>): number => v.trace.length - 1;

const KIND_WORDS: Record<ViolationKind, string> = {
  invariant: "invariant",
  step: "step property",
  deadlock: "deadlock",
  liveness: "liveness property",
};

function violationText(v: Violation<unknown>): string {
  return v.kind === "deadlock"
    ? `deadlock reached after ${steps(v)} steps`
    : `${KIND_WORDS[v.kind]} ${v.property} is violated after ${steps(v)} steps`;
}

/** The printed report of a check: what failed and the trace, as `protomc check` prints it. */
export function describeCheck({ model, result, traceFile }: SpecCheck): string {
  const name = describeModel(model);
  switch (result.kind) {
    case "ok":
      return `${name}: every property holds (${result.stats.distinct} distinct states)`;
    case "incomplete":
      return `${name}: the check stopped (${result.reason}) after ${result.stats.distinct} distinct states`;
    case "violation": {
      const v = result.violation;
      const lines = [
        `${name}: ${violationText(v)}:`,
        "",
        printTrace(v.trace, { style: plainStyle, loopIndex: v.loopIndex }),
      ];
      if (traceFile !== null) {
        lines.push("", `Trace written to ${traceFile} (replay: npx protomc replay ${traceFile})`);
      }
      return lines.join("\n");
    }
    case "specError": {
      const e = result.error;
      const lines = [`${name}: spec error [${e.code}] ${e.message}`];
      if (e.fix !== undefined) lines.push(`fix: ${e.fix}`);
      if (result.trace !== null && result.trace.length > 0) {
        lines.push("", "The state where it happened was reached by:", "");
        lines.push(printTrace(result.trace, { style: plainStyle }));
      }
      return lines.join("\n");
    }
  }
}

/**
 * Passes when the spec holds all its properties (invariants, step properties, deadlock
 * freedom) on every reachable state; otherwise throws the printed trace. A check stopped by a
 * limit fails too: a bounded check proves nothing.
 */
export async function expectSpecHolds(
  spec: SpecInput,
  options: SpecCheckOptions = {},
): Promise<SpecCheck> {
  const check = await checkSpec(spec, {
    ...options,
    traceDir: options.traceDir ?? "counterexamples",
  });
  if (check.result.kind !== "ok") throw new ProtomcAssertionError(describeCheck(check));
  return check;
}

/** Why a check does not meet the expectation, or null when it does. */
export function violationMismatch(check: SpecCheck, want: ViolationExpectation): string | null {
  const r = check.result;
  const what = want.property === undefined ? "a violation" : `${want.property} to be violated`;
  if (r.kind !== "violation") return `expected ${what}, but ${describeCheck(check)}`;
  const v = r.violation;
  const problems: string[] = [];
  if (want.property !== undefined && v.property !== want.property) {
    problems.push(`expected ${what}, but ${v.property} is`);
  }
  if (want.kind !== undefined && v.kind !== want.kind) {
    problems.push(`expected a ${want.kind} violation, got a ${v.kind} one`);
  }
  if (want.length !== undefined && steps(v) !== want.length) {
    problems.push(`expected a trace of ${want.length} steps, got ${steps(v)}`);
  }
  if (want.maxLength !== undefined && steps(v) > want.maxLength) {
    problems.push(`expected a trace of at most ${want.maxLength} steps, got ${steps(v)}`);
  }
  return problems.length === 0 ? null : `${problems.join("; ")}.\n\n${describeCheck(check)}`;
}

/**
 * Passes when checking the spec finds the expected violation (property, kind, trace length);
 * returns it so a test can look further. Otherwise throws what was found instead.
 */
export async function expectViolation(
  spec: SpecInput,
  expectation: ViolationExpectation = {},
): Promise<Violation<unknown>> {
  const check = await checkSpec(spec, expectation);
  const problem = violationMismatch(check, expectation);
  if (problem !== null) throw new ProtomcAssertionError(problem);
  return (check.result as Extract<CheckResult<unknown>, { kind: "violation" }>).violation;
}
