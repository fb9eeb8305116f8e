// protomc/vitest: model checks and counterexample replays inside a user's vitest tests. Every
// check returns its result in one form and throws the printed report in the other.
export { checkSpec, describeCheck, expectSpecHolds, expectViolation } from "./spec-checks.ts";
export type { SpecCheck, SpecCheckOptions, ViolationExpectation } from "./spec-checks.ts";
export type { SpecInput, ModelOptions } from "./spec-input.ts";
export {
  describeReplay,
  expectTraceDiverges,
  expectTraceDoesNotReproduce,
  expectTraceFixed,
  expectTraceReproduces,
  replayTraceFile,
} from "./trace-checks.ts";
export type { TraceInput, TraceReplay, TraceReplayOptions } from "./trace-checks.ts";
export { simulateSpec, expectSimulationFinds } from "./simulation-checks.ts";
export type {
  SimulationCheck,
  SimulationCheckOptions,
  SimulationExpectation,
} from "./simulation-checks.ts";
export { protomcMatchers } from "./matchers.ts";
export type { ProtomcMatchers } from "./matchers.ts";
export { ProtomcAssertionError } from "./assertion-error.ts";
export type { ReplayKind, ReplayResult } from "../replay/replay-result.ts";
