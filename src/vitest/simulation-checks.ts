// Random simulation from a test, for specs too big to check exhaustively: a fixed seed makes
// the test deterministic, and a failure shows the shrunk trace.
import type { Violation } from "../engine/result.ts";
import { printTrace } from "../report/print-trace.ts";
import { plainStyle } from "../report/style.ts";
import { simulate, type SimulateOptions, type SimulationResult } from "../simulate/simulate.ts";
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

/** `traceDir` defaults to nowhere. */
export interface SimulationCheckOptions
  extends
    ModelOptions,
    TraceOptions,
    Pick<
      SimulateOptions,
      "runs" | "depth" | "seed" | "deadlock" | "timeLimitMs" | "strategies" | "liveness"
    > {}

export interface SimulationExpectation extends SimulationCheckOptions {
  /** The property expected to fail ("deadlock" for a deadlock); any, if not given. */
  readonly property?: string;
  /** The shrunk trace has at most this many steps. */
  readonly maxLength?: number;
}

export interface SimulationCheck {
  readonly model: Model<unknown>;
  readonly result: SimulationResult<unknown>;
  readonly traceFile: string | null;
}

export async function simulateSpec(
  spec: SpecInput,
  options: SimulationCheckOptions = {},
): Promise<SimulationCheck> {
  const model = await modelFor(spec, options);
  const result = simulate(model, options);
  const traceFile =
    result.kind === "violation" ? writeViolation(model, result.violation, options) : null;
  return { model, result, traceFile };
}

function describeSimulation({ model, result, traceFile }: SimulationCheck): string {
  const name = describeModel(model);
  const seed = `seed ${result.seed}, ${result.runs} runs of up to ${result.depth} steps`;
  switch (result.kind) {
    case "ok":
      return `${name}: no violation found (${seed})`;
    case "incomplete":
      return `${name}: the time limit was reached after ${result.stats.runs} runs (${seed})`;
    case "specError":
      return `${name}: spec error [${result.error.code}] ${result.error.message} (${seed})`;
    case "violation": {
      const v = result.violation;
      const what = v.kind === "deadlock" ? "deadlock reached" : `${v.property} is violated`;
      const lines = [
        `${name}: ${what} after ${v.trace.length - 1} steps (${seed}; shrunk from ${result.foundSteps}):`,
        "",
        printTrace(v.trace, { style: plainStyle }),
      ];
      if (traceFile !== null) lines.push("", `Trace written to ${traceFile}`);
      return lines.join("\n");
    }
  }
}

/**
 * Passes when random simulation finds the expected violation, shrunk to at most `maxLength`
 * steps; returns it. Pass a `seed` to make the test deterministic.
 */
export async function expectSimulationFinds(
  spec: SpecInput,
  expectation: SimulationExpectation = {},
): Promise<Violation<unknown>> {
  const check = await simulateSpec(spec, expectation);
  const r = check.result;
  const problems: string[] = [];
  if (r.kind !== "violation") problems.push("expected simulation to find a violation");
  else {
    const v = r.violation;
    if (expectation.property !== undefined && v.property !== expectation.property) {
      problems.push(`expected ${expectation.property} to be violated, but ${v.property} is`);
    }
    if (expectation.maxLength !== undefined && v.trace.length - 1 > expectation.maxLength) {
      problems.push(
        `expected a shrunk trace of at most ${expectation.maxLength} steps, got ${v.trace.length - 1}`,
      );
    }
  }
  if (problems.length > 0) {
    throw new ProtomcAssertionError(`${problems.join("; ")}:\n\n${describeSimulation(check)}`);
  }
  return (r as Extract<SimulationResult<unknown>, { kind: "violation" }>).violation;
}
