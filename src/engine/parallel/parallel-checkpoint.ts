// Checkpoints of the parallel search, in the format of ../checkpoint.ts (which does not depend
// on the engine): the main thread writes the figures, the seen-set and the records; the
// frontier is one stream per worker, of the chunks (../frontier-chunk.ts) that worker encoded
// from the states it holds, in increasing id order. Either engine resumes the other's.
import {
  CheckpointReader,
  identityMismatch,
  saveSearch,
  type CheckpointIdentity,
  type CheckpointMeta,
  type SavedSearch,
  type StreamInfo,
} from "../checkpoint.ts";
import { CheckpointMismatch } from "../checkpointer.ts";
import { CheckpointFile } from "../checkpoint-file.ts";
import { CHUNK_HEADER_BYTES, chunkLength } from "../frontier-chunk.ts";
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
  const reader = new CheckpointReader(dir);
  let file: CheckpointFile | null = null;
  try {
    const meta = reader.meta;
    const why = identityMismatch(meta.identity, identity);
    if (why !== null) throw new CheckpointMismatch(`cannot resume from ${dir}: ${why}`);
    if (seen.size !== 0 || records.size !== 0) throw new Error("resume into a used search");
    reader.restoreRecords(records);
    reader.restoreSeen(seen);
    file = CheckpointFile.open(dir);
    const chunksOf = (streams: readonly StreamInfo[]): Uint8Array[] => {
      const out: Uint8Array[] = [];
      for (const s of streams) {
        for (let at = s.offset; at < s.offset + s.bytes;) {
          const header = Buffer.alloc(CHUNK_HEADER_BYTES);
          file!.read(header, at);
          const chunk = new Uint8Array(chunkLength(header));
          file!.read(chunk, at);
          out.push(chunk);
          at += chunk.length;
        }
      }
      return out;
    };
    return { meta, current: chunksOf(meta.frontier.current), next: chunksOf(meta.frontier.next) };
  } finally {
    file?.close();
    reader.close();
  }
}

/** How many states a chunk holds. */
export function chunkCount(chunk: Uint8Array): number {
  return new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength).getUint32(0, true);
}

/** The ids of a chunk's states (see frontier-chunk.ts for the layout). */
export function chunkIds(chunk: Uint8Array): Uint32Array {
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const n = view.getUint32(0, true);
  const at = CHUNK_HEADER_BYTES + view.getUint32(4, true);
  const ids = new Uint32Array(n);
  for (let i = 0; i < n; i++) ids[i] = view.getUint32(at + 4 * i, true);
  return ids;
}
