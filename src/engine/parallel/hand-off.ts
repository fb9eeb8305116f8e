// The search on this thread hands over to the worker threads. It starts here, as the sequential
// search; a search still running after a second starts the workers (threads, their TypeScript
// loader, the spec: about a second more), and at the first level boundary after they are
// ready, with a level large enough to split and enough left to do, it hands over what a
// checkpoint would hold: the figures, the seen-set, the records, and the level's states
// encoded in chunks. A small check thus costs what it costs on one thread.
import { assertUsedNamesUnique } from "../../values/record-registry.ts";
import { StateEncoder } from "../../values/codec-encode.ts";
import type { HandOff } from "../bfs.ts";
import { encodeChunk } from "../frontier-chunk.ts";
import type { Frontier } from "../frontier.ts";
import type { FingerprintSet } from "../fingerprint-set.ts";
import { estimateTotal, type SearchContext } from "../search-context.ts";
import type { StateRecords } from "../state-records.ts";

/** The search as the workers take it over: at a level boundary, the level not expanded. */
export interface TakenSearch {
  readonly generated: number;
  /** The depth of the level's states (the initial states are at depth 1). */
  readonly depth: number;
  readonly levelSizes: readonly number[];
  readonly seen: FingerprintSet;
  readonly records: StateRecords;
  /** The level's states, in id order, in chunks to deal out to the workers. */
  readonly chunks: readonly Uint8Array[];
}

// A search that ends within this time never starts the workers: starting them (threads, their
// TypeScript loader, the spec) takes about a second of both cores, which would slow it down.
const START_AFTER_MS = 1000;

// Handing over costs the transfer of the level, and each worker's first levels run slower than
// later ones (its code is not optimised yet): a search with less than this left is finished here.
const MIN_LEFT_MS = 1000;

/**
 * Whether the search, about to expand a level of `levelSize` states, has enough left to be
 * worth handing over: the states left to expand (the level, and the levels after it as the
 * progress line estimates them, unbounded while levels still grow) at this thread's rate.
 */
function worthHandingOff<S>(ctx: SearchContext<S>, levelSize: number): boolean {
  const distinct = ctx.seen.size;
  const total = estimateTotal(ctx.levelSizes, distinct);
  if (total === null) return true;
  const expanded = distinct - levelSize;
  const msPerState = ctx.elapsedMs() / Math.max(1, expanded);
  return (levelSize + total - distinct) * msPerState >= MIN_LEFT_MS;
}

// Chunks per worker: the workers get the level in turns, so that each holds a fair share of
// it before the first balancing.
const CHUNKS_PER_WORKER = 4;

/**
 * Where the workers take over: the first level of at least `minStates` states once they are
 * ready, or the level at `depth` (waiting for them if need be).
 */
export type HandOffPoint = { readonly minStates: number } | { readonly depth: number };

export class HandOffToWorkers<S> implements HandOff<S> {
  taken: TakenSearch | null = null;
  /** Set once the workers have been asked to load the spec. */
  private loading: Promise<void> | null = null;
  /** Set once every worker has loaded the spec. */
  private ready = false;
  /** Set when the states cannot be handed over (then the search stays on this thread). */
  private refused = false;
  private readonly timer: ReturnType<typeof setTimeout> | null = null;

  /** `load` starts the workers and loads the spec into them. */
  constructor(
    private readonly workers: number,
    private readonly at: HandOffPoint,
    private readonly load: () => Promise<void>,
  ) {
    if ("minStates" in at) {
      this.timer = setTimeout(() => void this.startWorkers().catch(() => {}), START_AFTER_MS);
    }
  }

  async wanted(ctx: SearchContext<S>, levelSize: number): Promise<boolean> {
    if (this.refused) return false;
    if ("depth" in this.at) {
      if (ctx.depth !== this.at.depth) return false;
      await this.startWorkers();
      return true;
    }
    return this.ready && levelSize >= this.at.minStates && worthHandingOff(ctx, levelSize);
  }

  /** The search on this thread has ended or been handed over: workers not started never are. */
  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
  }

  private startWorkers(): Promise<void> {
    if (this.loading === null) {
      this.loading = this.load();
      this.loading.then(
        () => (this.ready = true),
        () => {},
      );
    }
    return this.loading;
  }

  take(ctx: SearchContext<S>, level: Frontier<S>): boolean {
    // Spilled states stay on this thread (the parallel search does not spill), and the
    // workers find record types by name: two types of one name would be mistaken.
    if (level.spilled > 0) return this.refuse();
    try {
      assertUsedNamesUnique();
    } catch {
      return this.refuse();
    }
    const per = Math.max(1, Math.ceil(level.remaining / (CHUNKS_PER_WORKER * this.workers)));
    const encoder = new StateEncoder(1 << 16);
    const chunks: Uint8Array[] = [];
    let states: S[] = [];
    let ids = new Uint32Array(per);
    let fps = new Uint32Array(2 * per);
    const flush = (): void => {
      const bytes = encodeChunk({ states, ids, fps }, 0, states.length, encoder);
      // A buffer of its own (small Buffers are slices of a shared pool): chunks are transferred.
      chunks.push(new Uint8Array(bytes));
      states = [];
      ids = new Uint32Array(per);
      fps = new Uint32Array(2 * per);
    };
    level.forEachRest((state, id, hi, lo) => {
      const i = states.length;
      states.push(state);
      ids[i] = id;
      fps[2 * i] = hi;
      fps[2 * i + 1] = lo;
      if (states.length === per) flush();
    });
    if (states.length > 0) flush();
    this.taken = {
      generated: ctx.generated,
      depth: ctx.depth,
      levelSizes: [...ctx.levelSizes],
      seen: ctx.seen,
      records: ctx.records,
      chunks,
    };
    return true;
  }

  private refuse(): false {
    this.refused = true;
    return false;
  }
}
