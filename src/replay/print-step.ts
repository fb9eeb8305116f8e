// One step of a trace at a time, for `replay --step`: printTrace's layout for that step alone
// (its number padded as in the whole trace), with a mark after its label.
import type { TraceStep } from "../engine/result.ts";
import { printStep as printTraceStep } from "../report/print-trace.ts";
import type { Style } from "../report/style.ts";

/** Step `i`: its number and label, then its diff (the whole state for step 0, or with `full`). */
export function printStep<S>(
  trace: readonly TraceStep<S>[],
  i: number,
  opts: { readonly full?: boolean; readonly style: Style; readonly mark?: string },
): string {
  const width = String(trace.length - 1).length;
  return printTraceStep(trace[i - 1] ?? null, trace[i]!, i, { ...opts, width });
}
