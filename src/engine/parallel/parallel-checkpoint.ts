// Checkpoints of the parallel search, in the format of ../checkpoint.ts (which does not depend
// on the engine): the main thread writes the figures, the seen-set and the records; the
// frontier is one stream per worker, of the chunks (../frontier-chunk.ts) that worker encoded
// from the states it holds, in increasing id order. Either engine resumes the other's.
import {
  saveSearch,
  type CheckpointIdentity,
  type CheckpointMeta,
  type SavedSearch,
  type StreamInfo,
} from "../checkpoint.ts";
import { openToResume } from "../checkpointer.ts";
import { chunkCount } from "../frontier-chunk.ts";
import type { StateRecords } from "../state-records.ts";
import type { SharedFingerprintSet } from "./shared-fingerprint-set.ts";

/** The parallel search at a level boundary, or before a level whose expansion was cut short. */
export interface ParallelSnapshot extends SavedSearch {
  readonly seen: SharedFingerprintSet;
  /** Per worker: the frontier states it holds, as chunks in increasing id order. */
  readonly streams: readonly (readonly Uint8Array[])[];
}

/** Saves the search into `dir` (atomically); returns the checkpoint's size in bytes. */
export function saveParallelCheckpoint(dir: string, snap: ParallelSnapshot): number {
  return saveSearch(dir, snap, (sink) => {
    const current: StreamInfo[] = [];
    for (const chunks of snap.streams) {
      if (chunks.length === 0) continue;
      const offset = sink.offset;
      let states = 0;
      for (const c of chunks) {
        sink.write(c);
        states += chunkCount(c);
      }
      current.push({ offset, bytes: sink.offset - offset, chunks: chunks.length, states });
    }
    return { current, next: [] };
  });
}

/** A checkpoint loaded for the parallel search. */
export interface ParallelResume {
  readonly meta: CheckpointMeta;
  /** The chunks of the states at `meta.stats.depth` not expanded yet. */
  readonly current: Uint8Array[];
  /**
   * The chunks of the states at the next depth already found (a search on one thread saves
   * in the middle of a level when it is stopped there).
   */
  readonly next: Uint8Array[];
}

/**
 * Reads the checkpoint in `dir` into an empty seen-set and records; the frontier comes back
 * as raw chunks, for the workers to decode. Throws CheckpointMismatch if the checkpoint is of
 * another search.
 */
export function loadParallelCheckpoint(
  dir: string,
  identity: CheckpointIdentity,
  seen: SharedFingerprintSet,
  records: StateRecords,
): ParallelResume {
  const reader = openToResume(dir, identity, seen, records);
  try {
    return { meta: reader.meta, current: reader.chunks("current"), next: reader.chunks("next") };
  } finally {
    reader.close();
  }
}
