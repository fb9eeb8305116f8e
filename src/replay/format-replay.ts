// A replay result as a person reads it (CLI output, vitest failure messages) and as JSON.
import type { ParamValue } from "../spec/params.ts";
import type { TraceKind } from "../itf/trace-file.ts";
import { printChanges, printTrace } from "../report/print-trace.ts";
import type { Style } from "../report/style.ts";
import { formatValue } from "../values/format.ts";
import { formatPath } from "../values/path.ts";
import type { LoopClosure, ReplayDiverged, ReplayResult } from "./replay-result.ts";

export interface ReplayContext {
  /** The trace file, as the user named it. */
  readonly tracePath: string;
  /** The spec replayed against, `path.ts` or `path.ts#export`. */
  readonly specRef: string;
  readonly params: Readonly<Record<string, ParamValue>>;
}

const KIND_WORDS: Record<TraceKind, string> = {
  invariant: "invariant",
  step: "step property",
  deadlock: "deadlock",
  liveness: "liveness property",
};

function propertyText(r: ReplayResult<unknown>): string {
  return r.propertyKind === "deadlock" ? "deadlock" : `${KIND_WORDS[r.propertyKind]} ${r.property}`;
}

function steps(n: number): string {
  return `${n} step${n === 1 ? "" : "s"}`;
}

function paramsText(params: Readonly<Record<string, ParamValue>>): string {
  const entries = Object.entries(params);
  return entries.length === 0
    ? ""
    : ` with ${entries.map(([k, v]) => `${k}=${String(v)}`).join(" ")}`;
}

/** The one-line verdict, e.g. "Reproduced: invariant Consistent is violated after 5 steps". */
export function replayHeadline(r: ReplayResult<unknown>, ctx: ReplayContext, st: Style): string {
  const spec = `${ctx.specRef}${paramsText(ctx.params)}`;
  const recordedSteps = r.recordedLength - 1;
  switch (r.kind) {
    case "reproduced": {
      const what =
        r.propertyKind === "deadlock"
          ? `deadlock reached after ${steps(r.at)}`
          : r.loop !== undefined
            ? `${propertyText(r)} is violated by a fair lasso of ${steps(r.at)} ` +
              `(cycle back to step ${r.loop.loopIndex})`
            : `${propertyText(r)} is violated after ${steps(r.at)}`;
      const when =
        r.at === recordedSteps || r.loop !== undefined
          ? "as recorded"
          : `sooner than recorded (${steps(recordedSteps)})`;
      return `${st.red("✗")} ${st.bold("Reproduced")}: ${what}, ${when}, on ${spec}.`;
    }
    case "fixed": {
      const trace =
        r.loop === undefined
          ? `the trace (${steps(recordedSteps)})`
          : `the lasso (${steps(recordedSteps)}, cycle back to step ${r.loop.loopIndex})`;
      return `${st.green("✓")} ${st.bold("Fixed")}: ${trace} still replays on ${spec}, but ${r.reason}.`;
    }
    case "diverged":
      return `${st.yellow("≠")} ${st.bold("Diverged")} at step ${r.at}: ${divergence(r)} on ${spec}.`;
    case "specError":
      return `${st.red("error")} while replaying step ${r.at} on ${spec}: ${r.error.message}`;
  }
}

function divergence(r: ReplayDiverged<unknown>): string {
  switch (r.reason) {
    case "init":
      return "no initial state of the spec is the recorded one";
    case "not-enabled":
      return `${r.label} is not enabled after step ${r.at - 1}`;
    case "different-state":
      return `${r.label} yields a different state than recorded`;
    case "loop-not-closed":
      if (r.recordedIndex === r.at - 1) {
        return (
          `the lasso ends by stuttering in step ${r.recordedIndex}, but the spec lets a ` +
          "behaviour stutter forever only where no step changes the state"
        );
      }
      return r.label.startsWith("(")
        ? `no step leads from the last state back to step ${r.recordedIndex}`
        : `${r.label} does not lead from the last state back to step ${r.recordedIndex}`;
  }
}

/** The full human report: the verdict, the trace replayed, and for a divergence what differs. */
export function formatReplay(
  r: ReplayResult<unknown>,
  ctx: ReplayContext,
  opts: { readonly full?: boolean; readonly style: Style; readonly withTrace?: boolean },
): string {
  const st = opts.style;
  const lines = [replayHeadline(r, ctx, st)];
  const withTrace = opts.withTrace ?? true;
  const trace = (loopIndex: number | null = null): void => {
    if (withTrace && r.trace.length > 0)
      lines.push("", printTrace(r.trace, { full: opts.full, style: st, loopIndex }));
  };
  switch (r.kind) {
    case "reproduced":
      trace(r.loop?.loopIndex ?? null);
      if (r.loop !== undefined) lines.push(loopLine(r.loop));
      break;
    case "fixed":
      break;
    case "diverged": {
      if (r.enabled.length > 0 && r.reason !== "init") {
        const shown = r.enabled.slice(0, 12).join(", ") + (r.enabled.length > 12 ? ", …" : "");
        lines.push(`  Enabled after step ${Math.min(r.at, r.trace.length) - 1}: ${shown}`);
      } else if (r.reason === "not-enabled" || r.reason === "loop-not-closed") {
        lines.push(`  No action is enabled after step ${r.at - 1}.`);
      }
      lines.push(...divergenceDiff(r, st));
      if (withTrace && r.trace.length > 0)
        lines.push("", `  The trace replays up to step ${r.trace.length - 1}:`);
      trace();
      break;
    }
    case "specError":
      if (r.error.fix !== undefined) lines.push(`  ${st.cyan("fix:")} ${r.error.fix}`);
      if (withTrace && r.trace.length > 0)
        lines.push("", `  The trace replays up to step ${r.trace.length - 1}:`);
      trace();
      break;
  }
  return lines.join("\n");
}

/** How a lasso's cycle closes, in words. */
export function loopLine(loop: LoopClosure): string {
  return loop.label === null
    ? `  The cycle is the last state stuttering forever.`
    : `  The cycle closes with ${loop.label} back to step ${loop.loopIndex}.`;
}

// What the step should have done, or how the state the spec yields differs from the recorded one.
function divergenceDiff(r: ReplayDiverged<unknown>, st: Style): string[] {
  if (r.reason === "not-enabled") {
    return [
      `  Recorded step ${r.at} (${r.label}) did:`,
      ...printChanges(r.recordedBefore, r.recorded, st),
    ];
  }
  if (r.actual === null) return [];
  const head = {
    init: "  Recorded initial state → the closest initial state of the spec:",
    "different-state": `  Recorded state ${r.at} → what ${r.label} yields now:`,
    "loop-not-closed": `  Recorded state ${r.recordedIndex} → the closest successor of the last state:`,
  }[r.reason];
  return [head, ...printChanges(r.recorded, r.actual, st)];
}

function changesJson(
  r: ReplayDiverged<unknown>,
): { path: string; kind: string; before?: string; after?: string }[] {
  return r.changes.map((c) => ({
    path: formatPath("", c.path).replace(/^\./, ""),
    kind: c.kind,
    ...(c.before !== undefined ? { before: formatValue(c.before) } : {}),
    ...(c.after !== undefined ? { after: formatValue(c.after) } : {}),
  }));
}

function loopJson(loop: LoopClosure | undefined): Record<string, unknown> {
  return loop === undefined ? {} : { loopIndex: loop.loopIndex, loopLabel: loop.label };
}

export function replayJson(r: ReplayResult<unknown>, ctx: ReplayContext): Record<string, unknown> {
  const base = {
    result: r.kind,
    trace: ctx.tracePath,
    spec: ctx.specRef,
    params: ctx.params,
    property: r.property,
    kind: r.propertyKind,
    recordedSteps: r.recordedLength - 1,
    replayedSteps: r.trace.length - 1,
    actions: r.trace.map((s) => s.label),
  };
  switch (r.kind) {
    case "reproduced":
      return { ...base, at: r.at, ...loopJson(r.loop) };
    case "fixed":
      return {
        ...base,
        reason: r.reason,
        ...loopJson(r.loop),
        ...(r.unfair !== undefined ? { unfair: r.unfair } : {}),
      };
    case "diverged":
      return {
        ...base,
        at: r.at,
        label: r.label,
        reason: r.reason,
        enabled: r.enabled,
        changes: changesJson(r),
      };
    case "specError":
      return {
        ...base,
        at: r.at,
        error: {
          code: r.error.code,
          message: r.error.message,
          ...(r.error.fix !== undefined ? { fix: r.error.fix } : {}),
        },
      };
  }
}
