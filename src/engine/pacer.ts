// Everything a search does "every so often": progress reports, the time limit, interruption,
// and yielding to the event loop so that signals (Ctrl-C) and timers get a chance to run.
import { DEFAULT_PROGRESS_INTERVAL_MS } from "./options.ts";
import type { IncompleteReason } from "./result.ts";
import type { SearchContext } from "./search-context.ts";

const YIELD_EVERY_MS = 100;

export class Pacer<S> {
  private lastProgress: number;
  private lastYield: number;
  private readonly interval: number;

  constructor(private readonly ctx: SearchContext<S>) {
    this.lastProgress = ctx.startedAt;
    this.lastYield = ctx.startedAt;
    this.interval = ctx.options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
  }

  /** Called every few hundred states: returns why the search must stop, or null. */
  async tick(): Promise<IncompleteReason | null> {
    const now = performance.now();
    if (now >= this.ctx.deadlineAt) return "time-limit";
    if (now - this.lastYield >= YIELD_EVERY_MS) {
      this.lastYield = now;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (this.ctx.options.signal?.aborted === true) return "interrupted";
    const onProgress = this.ctx.options.onProgress;
    if (onProgress !== undefined && now - this.lastProgress >= this.interval) {
      this.lastProgress = now;
      onProgress(this.ctx.stats());
    }
    return null;
  }

  /** A last progress report, for runs long enough to have shown progress at all. */
  finish(): void {
    if (this.lastProgress !== this.ctx.startedAt) this.ctx.options.onProgress?.(this.ctx.stats());
  }
}
