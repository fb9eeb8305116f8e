// Public surface of the linearizability / sequential-consistency checker. Everything else in
// this folder is an implementation detail and may change.
export type {
  EventType,
  FailedOps,
  History,
  HistoryEvent,
  Operation,
  OpSpec,
  OpStatus,
  ProcessId,
} from "./history.ts";
export { HistoryError, describeOp, historyFromEvents, historyFromOps } from "./history.ts";
export type { Value } from "./values.ts";
export type { Model, ModelName, StepResult } from "./models.ts";
export type { KvEntry, KvState } from "./kv.ts";
export { casRegister, isModelName, kv, models, register } from "./models.ts";
export type { CheckOptions, CheckResult, Explanation } from "./result.ts";
export { formatExplanation } from "./result.ts";
export { checkLinearizability } from "./linearizability.ts";
export { checkSequentialConsistency } from "./sequential.ts";
export type { HistoryFormat, ParseOptions } from "./parse.ts";
export { detectFormat, parseHistory } from "./parse.ts";
export { HistoryParseError } from "./parse-error.ts";
