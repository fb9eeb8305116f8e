// Prints a trace for a person: numbered steps, each with its action label and only what
// changed (or the whole state with `full`), and for a lasso the step the cycle returns to.
import type { TraceStep } from "../engine/result.ts";
import { diffValues, type Change } from "../values/diff.ts";
import { formatValue, formatValueMultiline } from "../values/format.ts";
import { formatPath } from "../values/path.ts";
import { kindOf, ValueKind } from "../values/value-kind.ts";
import type { Style } from "./style.ts";

export interface PrintTraceOptions {
  readonly full?: boolean;
  readonly style: Style;
  /** For a liveness lasso: the index of the state the last step returns to. */
  readonly loopIndex?: number | null;
}

const INDENT = "     ";

function fields(state: unknown): [string, unknown][] {
  if (typeof state === "object" && state !== null) {
    const kind = kindOf(state);
    if (kind === ValueKind.PlainObject) {
      return Object.entries(state).filter(([, v]) => v !== undefined);
    }
    if (kind === ValueKind.Record) {
      return Object.entries((state as { toObject(): Record<string, unknown> }).toObject());
    }
  }
  return [["state", state]];
}

/** A state printed in full: one line per field (or one line for a non-object state). */
export function printState(state: unknown, style: Style): string[] {
  return fields(state).map(
    ([k, v]) =>
      `${INDENT}${style.cyan(k)} = ${formatValueMultiline(v, INDENT.length + k.length + 3)}`,
  );
}

function describeChange(c: Change, style: Style): string {
  const path = formatPath("", c.path).replace(/^\./, "");
  const where = style.cyan(path === "" ? "state" : path);
  const show = (v: unknown): string => formatValue(v, { maxLength: 160 });
  switch (c.kind) {
    case "added":
      return `${where}: ${style.green("+ " + show(c.after))}`;
    case "removed":
      return `${where}: ${style.red("- " + show(c.before))}`;
    case "changed":
      return `${where}: ${show(c.before)} ${style.yellow("→")} ${style.bold(show(c.after))}`;
  }
}

/** What changed from `before` to `after`: one line per change, or "(no change)". */
export function printChanges(before: unknown, after: unknown, style: Style): string[] {
  const changes = diffValues(before, after);
  if (changes.length === 0) return [`${INDENT}${style.dim("(no change)")}`];
  return changes.map((c) => INDENT + describeChange(c, style));
}

export interface PrintStepOptions {
  readonly full?: boolean;
  readonly style: Style;
  /** The width step numbers are padded to (that of the trace's last index); default: none. */
  readonly width?: number;
  /** Appended to the step's header line (e.g. a cycle mark). */
  readonly mark?: string;
}

/**
 * Step `index` of a trace, as printTrace prints it: its number and label, then what changed
 * since `prev` (the whole state for the first step, when `prev` is null, or with `full`).
 */
export function printStep<S>(
  prev: TraceStep<S> | null,
  step: TraceStep<S>,
  index: number,
  opts: PrintStepOptions,
): string {
  const { style } = opts;
  const number = String(index).padStart(opts.width ?? 0) + ".";
  const head = `  ${style.bold(number)} ${style.bold(step.label)}${opts.mark ?? ""}`;
  const body =
    index === 0 || prev === null || opts.full === true
      ? printState(step.state, style)
      : printChanges(prev.state, step.state, style);
  return [head, ...body].join("\n");
}

export function printTrace<S>(trace: readonly TraceStep<S>[], opts: PrintTraceOptions): string {
  const { style, full } = opts;
  const width = String(trace.length - 1).length;
  const out = trace.map((step, i) => {
    const mark = opts.loopIndex === i ? style.yellow("  ⟲ cycle starts here") : "";
    return printStep(trace[i - 1] ?? null, step, i, { style, width, mark, full });
  });
  if (opts.loopIndex !== undefined && opts.loopIndex !== null) {
    out.push(`  ${style.yellow(`⟲ back to step ${opts.loopIndex}`)}`);
  }
  return out.join("\n");
}
