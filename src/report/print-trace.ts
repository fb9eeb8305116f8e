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

function printFull(state: unknown, style: Style): string[] {
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

export function printTrace<S>(trace: readonly TraceStep<S>[], opts: PrintTraceOptions): string {
  const { style } = opts;
  const out: string[] = [];
  const width = String(trace.length - 1).length;
  trace.forEach((step, i) => {
    const loopMark = opts.loopIndex === i ? style.yellow("  ⟲ cycle starts here") : "";
    out.push(
      `  ${style.bold(String(i).padStart(width) + ".")} ${style.bold(step.label)}${loopMark}`,
    );
    const prev = trace[i - 1];
    if (i === 0 || opts.full === true || prev === undefined) {
      out.push(...printFull(step.state, style));
      return;
    }
    const changes = diffValues(prev.state, step.state);
    if (changes.length === 0) out.push(`${INDENT}${style.dim("(no change)")}`);
    for (const c of changes) out.push(INDENT + describeChange(c, style));
  });
  if (opts.loopIndex !== undefined && opts.loopIndex !== null) {
    out.push(`  ${style.yellow(`⟲ back to step ${opts.loopIndex}`)}`);
  }
  return out.join("\n");
}
