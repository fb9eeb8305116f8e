// Checkpoints of the breadth-first search: when to save (every so often at a level boundary,
// and where the search stops early), and how a search picks up from one.
import { identityMismatch, identityOf, saveCheckpoint, CheckpointReader } from "./checkpoint.ts";
import type { CheckpointIdentity } from "./checkpoint.ts";
import type { Frontier } from "./frontier.ts";
import type { CheckpointOptions } from "./options.ts";
import type { SearchContext } from "./search-context.ts";
import type { StateRecords } from "./state-records.ts";

const DEFAULT_EVERY_MS = 300_000;

/** A checkpoint that does not belong to the search asked for, or that contradicts its spec. */
export class CheckpointMismatch extends Error {
  override readonly name = "CheckpointMismatch";
}

export function searchIdentity<S>(ctx: SearchContext<S>): CheckpointIdentity {
  return identityOf(
    ctx.model as SearchContext<unknown>["model"],
    ctx.options,
    ctx.options.checkpoint?.specDigest ?? null,
  );
}

/** When checkpoints are due: `everyMs` after the last one (or the start of the run). */
export class CheckpointClock {
  private last: number;
  private readonly everyMs: number;

  constructor(options: CheckpointOptions, startedAt: number) {
    this.last = startedAt;
    this.everyMs = options.everyMs ?? DEFAULT_EVERY_MS;
  }

  /** Whether a level boundary reached now should be saved. */
  due(): boolean {
    return performance.now() - this.last >= this.everyMs;
  }

  /** A checkpoint was just saved (or tried). */
  restart(): void {
    this.last = performance.now();
  }
}

export class Checkpointer<S> {
  private readonly clock: CheckpointClock;

  constructor(
    private readonly ctx: SearchContext<S>,
    private readonly options: CheckpointOptions,
  ) {
    this.clock = new CheckpointClock(options, ctx.startedAt);
  }

  due(): boolean {
    return this.clock.due();
  }

  /** Saves the search: `level` holds the states at ctx.depth not expanded yet. */
  save(level: Frontier<S>, next: Frontier<S>): void {
    const ctx = this.ctx;
    const started = performance.now();
    const base = {
      dir: this.options.dir,
      depth: ctx.depth,
      distinct: ctx.seen.size,
      frontier: level.remaining + next.remaining,
    };
    try {
      const bytes = saveCheckpoint(this.options.dir, {
        identity: searchIdentity(ctx),
        generated: ctx.generated,
        depth: ctx.depth,
        levelSizes: ctx.levelSizes,
        elapsedMs: ctx.elapsedMs(started),
        seen: ctx.seen,
        records: ctx.records,
        current: level,
        next: next,
      });
      ctx.options.onCheckpoint?.({ ...base, bytes, ms: performance.now() - started });
    } catch (e) {
      // The previous checkpoint, if any, is intact: report and search on.
      const error = e instanceof Error ? e.message : String(e);
      ctx.options.onCheckpoint?.({ ...base, bytes: 0, ms: performance.now() - started, error });
    }
    this.clock.restart();
  }
}

/**
 * Opens the checkpoint in `dir` for the search with `identity` (else CheckpointMismatch) and
 * restores its fingerprints and records into `seen` and `records`, which must be empty. The
 * caller reads the frontier and closes the reader.
 */
export function openToResume(
  dir: string,
  identity: CheckpointIdentity,
  seen: Parameters<CheckpointReader["restoreSeen"]>[0],
  records: StateRecords,
): CheckpointReader {
  const reader = new CheckpointReader(dir);
  try {
    const why = identityMismatch(reader.meta.identity, identity);
    if (why !== null) throw new CheckpointMismatch(`cannot resume from ${dir}: ${why}`);
    if (seen.size !== 0 || records.size !== 0) throw new Error("resume into a used search");
    reader.restoreSeen(seen);
    reader.restoreRecords(records);
    return reader;
  } catch (e) {
    reader.close();
    throw e;
  }
}

/**
 * Loads the search saved in `dir` into a fresh context and empty frontiers (the saved runs'
 * search time becomes ctx.priorElapsedMs). Frontier states are checked against their saved
 * fingerprints, which catches a spec whose states changed shape since.
 */
export function resumeSearch<S>(
  ctx: SearchContext<S>,
  dir: string,
  level: Frontier<S>,
  next: Frontier<S>,
): void {
  const reader = openToResume(dir, searchIdentity(ctx), ctx.seen, ctx.records);
  try {
    const meta = reader.meta;
    ctx.priorElapsedMs = meta.stats.elapsedMs;
    ctx.generated = meta.stats.generated;
    ctx.depth = meta.stats.depth;
    ctx.levelSizes.push(...meta.stats.levelSizes);
    const fp = ctx.fp;
    const into =
      (f: Frontier<S>) =>
      (state: unknown, id: number, hi: number, lo: number): void => {
        ctx.fingerprint(state as S);
        if (fp[0] !== hi || fp[1] !== lo) {
          throw new CheckpointMismatch(
            `cannot resume from ${dir}: saved state ${id} no longer has its saved fingerprint ` +
              `(the spec's states or view changed since the checkpoint)`,
          );
        }
        f.push(state as S, id, hi, lo);
      };
    reader.forEachEntry("current", into(level));
    reader.forEachEntry("next", into(next));
  } finally {
    reader.close();
  }
}
