// A run of frontier entries (state, id, fingerprint) as bytes: the unit a frontier spills to
// disk and a checkpoint stores. Layout (little-endian): u32 count, u32 byte length of the
// states, the states as one codec batch, count u32 ids, count (hi, lo) u32 pairs.
import { endianness } from "node:os";
import { StateDecoder } from "../values/codec-decode.ts";
import type { StateEncoder } from "../values/codec-encode.ts";

export const CHUNK_HEADER_BYTES = 8;

if (endianness() !== "LE") {
  throw new Error("protomc stores frontiers and checkpoints little-endian: this machine is not");
}

/** Entries as they are held in memory. */
export interface ChunkEntries<S> {
  readonly states: readonly S[];
  readonly ids: Uint32Array;
  /** (hi, lo) per entry. */
  readonly fps: Uint32Array;
}

/** Encodes entries [from, to) of `entries` into one chunk. */
export function encodeChunk<S>(
  entries: ChunkEntries<S>,
  from: number,
  to: number,
  encoder: StateEncoder,
): Buffer {
  encoder.reset();
  for (let i = from; i < to; i++) encoder.encode(entries.states[i]);
  const states = encoder.bytes();
  const n = to - from;
  const out = Buffer.allocUnsafe(CHUNK_HEADER_BYTES + states.length + 12 * n);
  out.writeUInt32LE(n, 0);
  out.writeUInt32LE(states.length, 4);
  states.copy(out, CHUNK_HEADER_BYTES);
  const tail = CHUNK_HEADER_BYTES + states.length;
  Buffer.from(entries.ids.buffer, entries.ids.byteOffset + 4 * from, 4 * n).copy(out, tail);
  Buffer.from(entries.fps.buffer, entries.fps.byteOffset + 8 * from, 8 * n).copy(out, tail + 4 * n);
  return out;
}

/** The byte length of the chunk that starts with `header`. */
export function chunkLength(header: Buffer): number {
  return CHUNK_HEADER_BYTES + header.readUInt32LE(4) + 12 * header.readUInt32LE(0);
}

/** Decodes a whole chunk. */
export function decodeChunk<S>(bytes: Buffer): ChunkEntries<S> {
  const n = bytes.readUInt32LE(0);
  const stateBytes = bytes.readUInt32LE(4);
  if (bytes.length !== CHUNK_HEADER_BYTES + stateBytes + 12 * n) {
    throw new Error(`corrupt frontier chunk: ${bytes.length} bytes for ${n} states`);
  }
  const decoder = new StateDecoder(
    bytes.subarray(CHUNK_HEADER_BYTES, CHUNK_HEADER_BYTES + stateBytes),
  );
  const states: S[] = [];
  for (let i = 0; i < n; i++) states.push(decoder.decode() as S);
  const tail = CHUNK_HEADER_BYTES + stateBytes;
  const ids = new Uint32Array(n);
  const fps = new Uint32Array(2 * n);
  bytes.copy(Buffer.from(ids.buffer), 0, tail, tail + 4 * n);
  bytes.copy(Buffer.from(fps.buffer), 0, tail + 4 * n, tail + 12 * n);
  return { states, ids, fps };
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
