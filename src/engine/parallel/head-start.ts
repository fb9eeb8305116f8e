// The search the calling thread runs on its own while the workers start. Starting them (threads,
// their TypeScript loader, the spec) takes about a second of both cores; a check this thread
// finishes sooner does not wait for them. One that it does not is abandoned, and the workers
// search from the start: taking its states over would save little and slow the workers down
// (decoded states, code optimised on the wrong thread). So the head start is short, unless the
// workers could not do better than this thread yet (its frontier is smaller than what they
// split between them: they would each search every state of such a level), or the search looks
// nearly over.
import { checkModel } from "../check.ts";
import { DEFAULT_PROGRESS_INTERVAL_MS, type CheckOptions } from "../options.ts";
import type { CheckResult, Stats } from "../result.ts";
import type { Model } from "../../spec/model.ts";

/** How long the head start lasts at least. */
const HEAD_START_MS = 300;

/** How often the head start looks at its figures after that. */
const LOOK_EVERY_MS = 50;

/** About what starting the workers costs, in milliseconds. */
const WORKERS_START_MS = 1_000;

/**
 * Whether a search with these figures is worth finishing on one thread rather than starting
 * over on the workers: when the time it has left, estimated from the shrinking of its BFS
 * levels, is at most the time it has taken so far (which the workers would spend again) plus
 * what starting them costs. No estimate (levels that still grow) means not.
 */
export function nearlyOver(stats: Stats): boolean {
  const total = stats.estimate;
  if (total === null || total === undefined || stats.distinct === 0) return false;
  const msLeft = ((total - stats.distinct) * stats.elapsedMs) / stats.distinct;
  return msLeft <= stats.elapsedMs + WORKERS_START_MS;
}

/**
 * Searches on this thread for `minMs`, then for as long as its frontier holds fewer
 * than `splitAt` states (the level size from which the workers split a level between them) or
 * the search looks nearly over (`nearlyOver`); or for `lengthMs`, if given. Returns the result
 * if the search ended, or null if it was abandoned (the user's own signal or time limit end it
 * with its result).
 */
export async function runHeadStart<S>(
  model: Model<S>,
  options: CheckOptions,
  lengthMs: number | undefined,
  splitAt: number,
  minMs = HEAD_START_MS,
): Promise<CheckResult<S> | null> {
  const userLimit = options.timeLimitMs ?? Infinity;
  const user = options.signal;
  const abandon = new AbortController();
  // A search that stays here past the first progress report (a long, narrow one) shows its
  // progress; a shorter one shows none, as it may yet be abandoned.
  const progress = options.onProgress;
  const progressEvery = options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
  let shownAt = 0;
  const result = await checkModel(model, {
    ...options,
    timeLimitMs: lengthMs === undefined ? userLimit : Math.min(lengthMs, userLimit),
    signal: user === undefined ? abandon.signal : AbortSignal.any([user, abandon.signal]),
    progressIntervalMs: LOOK_EVERY_MS,
    onProgress:
      lengthMs !== undefined
        ? undefined
        : (stats) => {
            if (stats.elapsedMs >= minMs && stats.queue >= splitAt && !nearlyOver(stats)) {
              abandon.abort();
            } else if (progress !== undefined && stats.elapsedMs - shownAt >= progressEvery) {
              shownAt = stats.elapsedMs;
              progress(stats);
            }
          },
  });
  if (result.kind !== "incomplete") return result;
  const cut =
    result.reason === "time-limit"
      ? lengthMs !== undefined && lengthMs < userLimit
      : result.reason === "interrupted" && abandon.signal.aborted && user?.aborted !== true;
  return cut ? null : result;
}
