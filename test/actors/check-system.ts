// Shared by the layer's tests: build a model of a system and search it.
import type { SystemStateOf } from "../../src/actors/index.ts";
import {
  buildModel,
  checkModel,
  type AnySpec,
  type CheckOptions,
  type CheckResult,
} from "../../src/index.ts";

export function check<X extends AnySpec>(
  spec: X,
  params: Readonly<Record<string, number | boolean | string>> = {},
  options: CheckOptions = {},
): Promise<CheckResult<SystemStateOf<X>>> {
  return checkModel(buildModel<SystemStateOf<X>>(spec, params), options);
}

/** The labels of a violation's trace (throws unless the result is a violation). */
export function labels(r: CheckResult<unknown>): string[] {
  if (r.kind !== "violation") throw new Error(`expected a violation, got ${r.kind}`);
  return r.violation.trace.map((s) => s.label);
}

/** A violation with its trace's labels and last state (throws unless it is a violation). */
export function violationOf<S>(r: CheckResult<S>) {
  if (r.kind !== "violation") throw new Error(`expected a violation, got ${r.kind}`);
  const v = r.violation;
  return { ...v, labels: v.trace.map((s) => s.label), last: v.trace.at(-1)!.state };
}
