// A crash that a watching process has not been told about yet: the perfect failure detector
// of the fail-stop model delivers it as the event `detect(watcher, crashed)`.
import type { RecordOf } from "immutable";
import { internedPairRecord } from "./pair-record.ts";
import type { ProcessId } from "./types.ts";

export type CrashNotice = RecordOf<{ readonly watcher: ProcessId; readonly crashed: ProcessId }>;

export const crashNotice: (watcher: ProcessId, crashed: ProcessId) => CrashNotice =
  internedPairRecord("CrashNotice", "watcher", "crashed");
