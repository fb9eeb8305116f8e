// The same checks as `expect` matchers, for tests that prefer `await expect(x).toY()`:
// register them once with `expect.extend(protomcMatchers)` (e.g. in a vitest setup file).
import type { MatcherState } from "vitest";
import type { ReplayKind } from "../replay/replay-result.ts";
import { describeModel } from "./spec-input.ts";
import type { SpecInput } from "./spec-input.ts";
import {
  checkSpec,
  describeCheck,
  violationMismatch,
  type SpecCheckOptions,
  type ViolationExpectation,
} from "./spec-checks.ts";
import {
  describeReplay,
  replayTraceFile,
  type TraceInput,
  type TraceReplayOptions,
} from "./trace-checks.ts";

interface MatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}

export interface ProtomcMatchers {
  /** The received spec (a spec object or `path.ts#export`) holds all its properties. */
  toHoldAllProperties(options?: SpecCheckOptions): Promise<void>;
  /** Checking the received spec finds a violation of `property` (any, if not given). */
  toViolate(property?: string, options?: Omit<ViolationExpectation, "property">): Promise<void>;
  /** The received trace file reproduces its violation. */
  toReproduce(options?: TraceReplayOptions): Promise<void>;
  /** Replaying the received trace file ends with one of these outcomes. */
  toReplayAs(
    outcome: ReplayKind | readonly ReplayKind[],
    options?: TraceReplayOptions,
  ): Promise<void>;
}

declare module "vitest" {
  // The type parameter must match vitest's own declaration of Matchers to merge with it.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unused-vars, @typescript-eslint/no-empty-object-type
  interface Matchers<T = any> extends ProtomcMatchers {}
}

async function toHoldAllProperties(
  this: MatcherState,
  received: SpecInput,
  options: SpecCheckOptions = {},
): Promise<MatcherResult> {
  const check = await checkSpec(received, {
    ...options,
    traceDir: options.traceDir ?? (this.isNot ? false : "counterexamples"),
  });
  const pass = check.result.kind === "ok";
  return {
    pass,
    message: () =>
      pass
        ? `expected a violation, but ${describeModel(check.model)} holds every property`
        : describeCheck(check),
  };
}

async function toViolate(
  this: MatcherState,
  received: SpecInput,
  property?: string,
  options: Omit<ViolationExpectation, "property"> = {},
): Promise<MatcherResult> {
  const want: ViolationExpectation = {
    ...options,
    ...(property !== undefined ? { property } : {}),
  };
  const check = await checkSpec(received, want);
  const problem = violationMismatch(check, want);
  return {
    pass: problem === null,
    message: () => problem ?? `expected no such violation, but:\n\n${describeCheck(check)}`,
  };
}

async function toReplayAs(
  this: MatcherState,
  received: TraceInput,
  outcome: ReplayKind | readonly ReplayKind[],
  options: TraceReplayOptions = {},
): Promise<MatcherResult> {
  const accepted: readonly ReplayKind[] = typeof outcome === "string" ? [outcome] : outcome;
  const replay = await replayTraceFile(received, options);
  const pass = accepted.includes(replay.result.kind);
  return {
    pass,
    message: () =>
      `expected the replay ${pass ? "not " : ""}to end ${accepted.join(" or ")}, ` +
      `and it ended ${replay.result.kind}:\n\n${describeReplay(replay)}`,
  };
}

function toReproduce(
  this: MatcherState,
  received: TraceInput,
  options: TraceReplayOptions = {},
): Promise<MatcherResult> {
  return toReplayAs.call(this, received, "reproduced", options);
}

/** For `expect.extend`: toHoldAllProperties, toViolate, toReproduce, toReplayAs. */
export const protomcMatchers = { toHoldAllProperties, toViolate, toReproduce, toReplayAs };
