// Replaying a stored counterexample from a test: it still reproduces (a kept regression trace
// on its buggy variant), or it is fixed / no longer a behaviour (on the corrected spec).
import { fileURLToPath } from "node:url";
import { formatReplay, type ReplayContext } from "../replay/format-replay.ts";
import { loadReplayTarget, type ReplayTargetOptions } from "../replay/load-replay.ts";
import type { ReplayKind, ReplayResult } from "../replay/replay-result.ts";
import { replayTrace } from "../replay/replay.ts";
import { plainStyle } from "../report/style.ts";
import { ProtomcAssertionError } from "./assertion-error.ts";

/** A trace file: a path (relative to `cwd`) or a file URL (`new URL(path, import.meta.url)`). */
export type TraceInput = string | URL;

export type TraceReplayOptions = ReplayTargetOptions;

export interface TraceReplay {
  readonly result: ReplayResult<unknown>;
  readonly context: ReplayContext;
}

/** Replays a trace file against its spec (or `spec` / `exportName`) and returns the outcome. */
export async function replayTraceFile(
  trace: TraceInput,
  options: TraceReplayOptions = {},
): Promise<TraceReplay> {
  const path = typeof trace === "string" ? trace : fileURLToPath(trace);
  const target = await loadReplayTarget(path, options);
  const result = replayTrace(target.model, target.file);
  return {
    result,
    context: { tracePath: path, specRef: target.specRef, params: target.model.params },
  };
}

/** The printed report of a replay (the verdict and the trace replayed). */
export function describeReplay({ result, context }: TraceReplay): string {
  return formatReplay(result, context, { style: plainStyle });
}

const WANTED: Readonly<Record<string, string>> = {
  reproduced: "to reproduce",
  fixed: "to be fixed (every step replays and the property holds)",
  diverged: "to diverge (no longer a behaviour of the spec)",
  "fixed|diverged": "not to reproduce (to be fixed, or to diverge)",
};

async function expectOutcome(
  trace: TraceInput,
  options: TraceReplayOptions,
  accepted: readonly ReplayKind[],
): Promise<TraceReplay> {
  const replay = await replayTraceFile(trace, options);
  if (!accepted.includes(replay.result.kind)) {
    const want = WANTED[accepted.join("|")] ?? accepted.join(" or ");
    throw new ProtomcAssertionError(
      `expected ${replay.context.tracePath} ${want} on ${replay.context.specRef}, but:\n\n` +
        describeReplay(replay),
    );
  }
  return replay;
}

/** Passes when the trace still violates its property on its spec (a kept regression trace). */
export function expectTraceReproduces(trace: TraceInput, options: TraceReplayOptions = {}) {
  return expectOutcome(trace, options, ["reproduced"]);
}

/** Passes when every step of the trace replays but its property now holds. */
export function expectTraceFixed(trace: TraceInput, options: TraceReplayOptions = {}) {
  return expectOutcome(trace, options, ["fixed"]);
}

/** Passes when the trace is no longer a behaviour of the spec (some step cannot be re-executed). */
export function expectTraceDiverges(trace: TraceInput, options: TraceReplayOptions = {}) {
  return expectOutcome(trace, options, ["diverged"]);
}

/**
 * Passes when the trace no longer shows the bug: it is fixed or diverged. The usual check of a
 * variant's trace against the default export, `{ exportName: "default" }`.
 */
export function expectTraceDoesNotReproduce(trace: TraceInput, options: TraceReplayOptions = {}) {
  return expectOutcome(trace, options, ["fixed", "diverged"]);
}
