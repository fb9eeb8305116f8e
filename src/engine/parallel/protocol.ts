// The messages between the main thread and the workers of the parallel search. Only plain
// data and typed arrays cross threads. States stay with the worker that generated them, except
// those moved to balance the load, which travel encoded by the state codec (structured cloning
// would lose the prototypes of immutable.js values).
import type { ParamValue } from "../../spec/params.ts";
import type { SharedTable } from "./shared-fingerprint-set.ts";

/** The `workerData` of a pool's workers (so that the module does nothing elsewhere). */
export const WORKER_ROLE = "protomc-parallel-search";

/** Starts a check on a worker: where to load the spec from and how to check it. */
export interface LoadMessage {
  readonly type: "load";
  /** Absolute path of the spec module. */
  readonly path: string;
  readonly exportName: string;
  readonly params: Readonly<Record<string, ParamValue>>;
  /** The check options that are plain data (deadlock, determinismSampleRate, ...). */
  readonly options: Readonly<Record<string, number | boolean | string>>;
  /** Control words shared with the main thread (see CONTROL_* below). */
  readonly control: SharedArrayBuffer;
  readonly index: number;
  /** How many workers share the search (each holds its share of the memory budget). */
  readonly workers: number;
}

/**
 * Layout of the control buffer: one Int32 stop word, then per worker two Float64 progress
 * figures (frontier states handled, successors generated) for progress reports.
 */
export const CONTROL_STOP = 0;
/** The stop word: keep going. */
export const RUN = 0;
/** The stop word: the main thread ran out of time or was interrupted. */
export const ABORT = 1;
/** The stop word: a worker found a violation on its frontier, this level's work is moot. */
export const FOUND = 2;
export const PROGRESS_OFFSET = 8;

export function controlBytes(workers: number): number {
  return PROGRESS_OFFSET + workers * 16;
}

/**
 * Starts a round: adopt the winners of the last merge as the new frontier, check the
 * invariants on them, then expand them.
 */
export interface RoundMessage {
  readonly type: "round";
  readonly table: SharedTable;
  /** The first round: the candidates are the initial states, in init order. */
  readonly first: boolean;
  /** Indices, into this worker's last candidate list, of the candidates it keeps. */
  readonly keep: Uint32Array;
  /** The state id of each kept candidate (increasing). */
  readonly ids: Uint32Array;
  /**
   * States moved here from other workers to balance the load, or read from a checkpoint:
   * chunks of (state, id, fingerprint) entries (see ../frontier-chunk.ts).
   */
  readonly imports: readonly Uint8Array[];
  readonly checkInvariants: boolean;
  readonly expand: boolean;
  /**
   * Keep the expanded frontier until the next round (to save it in a checkpoint if the state
   * limit cuts the merge short); by default it is dropped once expanded.
   */
  readonly keepFrontier: boolean;
  /**
   * Bytes the main thread holds outside the heap (seen-set, records): they count against the
   * memory budget, so the workers' share of it for states is what is left.
   */
  readonly offHeapBytes: number;
}

/** Drop every state held and the files they spilled to (the check is over). */
export interface ReleaseMessage {
  readonly type: "release";
}

/**
 * Asks a worker for states it holds, encoded as chunks: either groups of its last candidates
 * (candidate indices and the ids they won; a group per receiving worker, or all it keeps for a
 * checkpoint), which it still holds until its next round; or the frontier it was expanding
 * when a round was stopped (for a checkpoint).
 */
export type ExportMessage =
  | {
      readonly type: "export";
      readonly source: "candidates";
      readonly groups: readonly Uint32Array[];
      readonly ids: readonly Uint32Array[];
    }
  | { readonly type: "export"; readonly source: "frontier" };

/**
 * Where an event happens in the sequential search's order: while expanding state `parent`,
 * at successor ordinal `k`, at step `sub` of the handling of that successor. Events compare
 * by (parent, k, sub).
 */
export const SUB_BEFORE = 0; // before the expansion (the state constraint)
export const SUB_ACTION = 1; // an action threw before producing successor k
export const SUB_EMIT = 2; // successor k: step properties, fingerprint
export const SUB_INVARIANT = 3; // successor k is a new state: its invariants
export const SUB_AFTER = 4; // after the expansion (k = successor count): mutation, deadlock
export const SUB_LIMIT = 5; // after the expansion: the state limit

/** A SpecError as plain data. */
export interface WireError {
  readonly code: string;
  readonly message: string;
  readonly fix: string | undefined;
  readonly cause: {
    readonly name: string;
    readonly message: string;
    readonly stack: string;
  } | null;
}

interface EventBase {
  readonly parent: number;
  readonly k: number;
  readonly sub: number;
}

/** The first event of a worker's expansion, in its own order (it stops there). */
export type ExpansionEvent =
  | (EventBase & { readonly kind: "step"; readonly property: string })
  | (EventBase & { readonly kind: "deadlock" })
  | (EventBase & { readonly kind: "mutation" })
  | (EventBase & { readonly kind: "error"; readonly error: WireError });

/** The first frontier state (in id order) whose invariant check fails. */
export type InvariantEvent =
  | { readonly kind: "invariant"; readonly id: number; readonly property: string }
  | { readonly kind: "error"; readonly id: number; readonly error: WireError };

export interface RoundReply {
  readonly inv: InvariantEvent | null;
  /** How many frontier states the expansion handled (all of them, unless it stopped). */
  readonly processed: number;
  /** Per handled frontier state: its successor count, or -1 if outside the constraint. */
  readonly counts: Int32Array;
  /** New candidates: (hi, lo, parent id, ordinal) each, in (parent, ordinal) order. */
  readonly cand: Uint32Array;
  readonly event: ExpansionEvent | null;
  /** The expansion stopped because of the stop word. */
  readonly stopped: boolean;
  /** Why this worker stopped the search for want of memory (it set the stop word), or null. */
  readonly memory: string | null;
  /** States this worker has written to disk so far in the check. */
  readonly spilledStates: number;
  /** Milliseconds the worker spent on the round. */
  readonly busyMs: number;
  /** CPU milliseconds of the worker's thread in the round (NaN where unknown). */
  readonly cpuMs: number;
}

export type MainMessage = LoadMessage | RoundMessage | ExportMessage | ReleaseMessage;

export type WorkerMessage =
  | { readonly type: "loaded" }
  /** The spec could not be loaded in the worker (the message of the error). */
  | { readonly type: "loadFailed"; readonly message: string }
  | { readonly type: "reply"; readonly reply: RoundReply }
  | { readonly type: "released" }
  /** Per group asked for (one group for the frontier), its chunks. */
  | { readonly type: "exported"; readonly groups: readonly (readonly Uint8Array[])[] };
