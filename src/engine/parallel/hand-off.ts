// The search on this thread hands over to the worker threads. Starting the workers and loading
// the spec in each takes about a second; meanwhile the search runs here, as the sequential
// search, and at the first level boundary after the workers are ready (with a level large
// enough to split) it hands over what a checkpoint would hold: the figures, the seen-set, the
// records, and the level's states encoded in chunks. A check that ends before then never
// waits for the workers, so a small check costs what it costs on one thread.
import { assertUsedNamesUnique } from "../../values/record-registry.ts";
import { StateEncoder } from "../../values/codec-encode.ts";
import type { HandOff } from "../bfs.ts";
import { encodeChunk } from "../frontier-chunk.ts";
import type { Frontier } from "../frontier.ts";
import type { FingerprintSet } from "../fingerprint-set.ts";
import type { SearchContext } from "../search-context.ts";
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
  /** Set once every worker has loaded the spec. */
  private ready = false;
  /** Set when the states cannot be handed over (then the search stays on this thread). */
  private refused = false;

  /** `loading` settles when every worker has loaded the spec. */
  constructor(
    private readonly workers: number,
    private readonly at: HandOffPoint,
    private readonly loading: Promise<void>,
  ) {
    loading.then(
      () => (this.ready = true),
      () => {},
    );
  }

  async wanted(levelSize: number, depth: number): Promise<boolean> {
    if (this.refused) return false;
    if ("depth" in this.at) {
      if (depth !== this.at.depth) return false;
      await this.loading;
      return true;
    }
    return this.ready && levelSize >= this.at.minStates;
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
