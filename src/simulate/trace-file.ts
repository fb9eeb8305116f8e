// A simulation's counterexample as a trace file, in the same format `check` writes, so that
// `protomc replay` re-executes it. The one trace writer is src/itf/trace-file.ts; this module
// keeps the name the simulation's callers import.
export { violationTraceFile, writeViolationTrace } from "../itf/trace-file.ts";
