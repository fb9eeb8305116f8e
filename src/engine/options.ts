import type { Stats } from "./result.ts";

/** How often progress is reported when `progressIntervalMs` is not given. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 2_000;

export interface CheckOptions {
  /** Breadth-first (default: shortest counterexamples) or depth-first. */
  readonly strategy?: "bfs" | "dfs";
  /** Stop with an incomplete result once this many distinct states were found. */
  readonly maxStates?: number;
  /** Do not expand states at this depth (the initial states are depth 1). */
  readonly maxDepth?: number;
  /** Stop with an incomplete result after this many milliseconds. */
  readonly timeLimitMs?: number;
  /** Report states without successors that the spec does not mark terminal (default true). */
  readonly deadlock?: boolean;
  /** Called every `progressIntervalMs` (default 2000) while the search runs. */
  readonly onProgress?: (stats: Stats) => void;
  readonly progressIntervalMs?: number;
  /** Aborting ends the search with an incomplete ("interrupted") result. */
  readonly signal?: AbortSignal;
  /** Apply the symmetry reduction the spec declares (off by default). */
  readonly symmetry?: boolean;
  /** How often to re-run an expansion to check that actions are deterministic (default 1/256). */
  readonly determinismSampleRate?: number;
  /**
   * Memory budget in bytes (default: half the machine's memory). Frontier states beyond their
   * share go to disk; the seen-set and the state records may not outgrow it (the search then
   * ends incomplete, reason "memory"). Breadth-first search only.
   */
  readonly memoryBytes?: number;
  /** Where to make the directory spilled frontier states go to (default: the OS temp dir). */
  readonly spillDir?: string;
  /** States per spilled chunk (default 4096). */
  readonly spillChunkStates?: number;
  /** Assume this V8 heap limit instead of the real one (for tests of memory exhaustion). */
  readonly heapLimitBytes?: number;
  /** Save the search to a directory now and then, and when it stops early (BFS only). */
  readonly checkpoint?: CheckpointOptions;
  /** Continue the search saved in this directory (it must be of the same spec and params). */
  readonly resume?: string;
  /** Called after each checkpoint saved (or that failed to save). */
  readonly onCheckpoint?: (saved: CheckpointSaved) => void;
}

export interface CheckpointOptions {
  readonly dir: string;
  /** Save at the first level boundary this long after the last save (default 300 000). */
  readonly everyMs?: number;
  /** A digest of the spec's source (see specDigest), compared on resume. */
  readonly specDigest?: string;
}

export interface CheckpointSaved {
  readonly dir: string;
  /** The depth of the states not expanded yet. */
  readonly depth: number;
  readonly distinct: number;
  /** Frontier states saved. */
  readonly frontier: number;
  readonly bytes: number;
  readonly ms: number;
  /** Why the checkpoint could not be saved (the previous one, if any, is still there). */
  readonly error?: string;
}
