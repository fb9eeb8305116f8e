// One step of a trace at a time (for `replay --step`), and the difference between a recorded and
// a replayed state, in exactly the layout printTrace gives a whole trace. printTrace only prints
// whole traces, so a step's body is cut out of the printout of a one- or two-state trace.
import type { TraceStep } from "../engine/result.ts";
import { printTrace } from "../report/print-trace.ts";
import type { Style } from "../report/style.ts";

function lines(trace: readonly TraceStep<unknown>[], style: Style, full = false): string[] {
  return printTrace(trace, { style, full }).split("\n");
}

/** The body printTrace gives the step from `before` to `after`: one line per change. */
export function printDiff(before: unknown, after: unknown, style: Style): string[] {
  const a = { label: "", state: before };
  const skip = lines([a], style).length + 1; // state 0 in full, then the header of step 1
  return lines([a, { label: "", state: after }], style).slice(skip);
}

/** The body printTrace gives a state printed in full. */
export function printState(state: unknown, style: Style): string[] {
  return lines([{ label: "", state }], style).slice(1);
}

/** Step `i`: its number and label, then its diff (the whole state for step 0, or with `full`). */
export function printStep<S>(
  trace: readonly TraceStep<S>[],
  i: number,
  opts: { readonly full?: boolean; readonly style: Style; readonly mark?: string },
): string {
  const { style } = opts;
  const step = trace[i]!;
  const width = String(trace.length - 1).length;
  const head = `  ${style.bold(String(i).padStart(width) + ".")} ${style.bold(step.label)}`;
  const prev = trace[i - 1];
  const body =
    prev === undefined || opts.full === true
      ? printState(step.state, style)
      : printDiff(prev.state, step.state, style);
  return [head + (opts.mark ?? ""), ...body].join("\n");
}
