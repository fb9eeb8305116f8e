// A timer that is set: which process, which timer. Its timeout is a nondeterministic event.
import type { RecordOf } from "immutable";
import { internedPairRecord } from "./pair-record.ts";
import type { ProcessId } from "./types.ts";

export type Timer = RecordOf<{ readonly process: ProcessId; readonly name: string }>;

/** The timer `name` of `process` (one shared instance per pair). */
export const timer: (process: ProcessId, name: string) => Timer = internedPairRecord(
  "Timer",
  "process",
  "name",
);
