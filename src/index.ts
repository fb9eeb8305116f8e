// protomc's public API. Every name is written out: nothing is exported by accident.
export { defineSpec, isSpec } from "./spec/define-spec.ts";
export type {
  Spec,
  AnySpec,
  SpecDefinition,
  StateOf,
  ParamsOf,
  StatePredicate,
  StepPredicate,
  ActionTable,
} from "./spec/define-spec.ts";
export type { Stuttering, PropertyTable } from "./spec/define-spec.ts";
export { forEach, oneOf, range, Choice } from "./spec/action.ts";
export type { Next, Domain, DomainAction, ActionDef } from "./spec/action.ts";
export { param, ParamError } from "./spec/params.ts";
export type {
  ParamValue,
  ParamValues,
  ParamDecl,
  ParamDecls,
  IntParam,
  BoolParam,
  EnumParam,
} from "./spec/params.ts";
export { buildModel, withoutTemporalProperties } from "./spec/model.ts";
export type { Model, SpecSource } from "./spec/model.ts";
export { checkModel } from "./engine/check.ts";
export type { CheckOptions, CheckpointOptions, CheckpointSaved } from "./engine/options.ts";
export { checkParallel, checkModelParallel } from "./engine/parallel/check-parallel.ts";
export type { ParallelOptions, LevelReport } from "./engine/parallel/check-parallel.ts";
export { WorkerPool } from "./engine/parallel/pool.ts";
export { CheckpointMismatch } from "./engine/checkpointer.ts";
export { specDigest } from "./engine/checkpoint.ts";
export { registerRecordType } from "./values/record-registry.ts";
export type {
  CheckResult,
  Stats,
  TraceStep,
  Violation,
  ViolationKind,
  IncompleteReason,
} from "./engine/result.ts";
export {
  always,
  eventually,
  leadsTo,
  alwaysEventually,
  eventuallyAlways,
} from "./liveness/temporal.ts";
export type { TemporalProperty, TemporalPredicate, TemporalForm } from "./liveness/temporal.ts";
export { weak, strong } from "./liveness/fairness.ts";
export type { Fairness, FairnessKind, FairnessOptions } from "./liveness/fairness.ts";
export type { LivenessStats, LivenessExplanation } from "./engine/result.ts";
export { verifyLasso } from "./liveness/verify-lasso.ts";
export type { LassoVerdict } from "./liveness/verify-lasso.ts";
export { fingerprint, fingerprintHex } from "./values/fingerprint.ts";
export { valueRecord } from "./values/value-record.ts";
export type { Fingerprint } from "./values/fingerprint.ts";
export { SpecError } from "./errors/spec-error.ts";
export type { SpecErrorCode } from "./errors/spec-error.ts";
export { replayTrace } from "./replay/replay.ts";
export { loadReplayTarget } from "./replay/load-replay.ts";
export type { ReplayTarget, ReplayTargetOptions } from "./replay/load-replay.ts";
export type {
  ReplayResult,
  ReplayKind,
  ReplayReproduced,
  ReplayFixed,
  ReplayDiverged,
  ReplaySpecError,
  DivergenceReason,
  LoopClosure,
} from "./replay/replay-result.ts";
export { simulate, STRATEGIES } from "./simulate/simulate.ts";
export type {
  SimulateOptions,
  SimulationResult,
  SimulationStats,
  Strategy,
} from "./simulate/simulate.ts";
export {
  defineSystem,
  messageType,
  envelope,
  inFlight,
  isCrashed,
  historyOf,
  linearizable,
  sequentiallyConsistent,
  explainHistory,
} from "./actors/index.ts";
export type {
  System,
  SystemStateOf,
  SystemDefinition,
  SystemChanges,
  FaultOptions,
  Roles,
  RoleDef,
  Context,
  ProcessId,
  RoleName,
  SystemTypes,
  TimerName,
  NetworkOptions,
  Network,
  ProcessStates,
  SystemState,
  Message,
  MessageFactory,
  MessageOf,
  Envelope,
  Channel,
  Timer,
  CrashNotice,
  ClientHistory,
  ClientOp,
} from "./actors/index.ts";
export {
  checkLinearizability,
  checkSequentialConsistency,
  parseHistory,
  formatExplanation,
  register,
  casRegister,
  kv,
  models,
  HistoryParseError,
} from "./lincheck/index.ts";
export type {
  History,
  Operation,
  Model as SequentialModel,
  CheckResult as LincheckResult,
  Explanation,
} from "./lincheck/index.ts";
