// The byte format of encoded state values (see docs/scale.md). A batch starts with a header
// (format version, then the token of the thread that wrote it) and holds values one after
// another; strings, record types and shared objects are written once per batch and referred
// to by number after that.
import { randomBytes } from "node:crypto";

export const CODEC_VERSION = 1;
/** Header: version byte, then the writer's 8-byte process token. */
export const HEADER_BYTES = 9;

/**
 * A random token per thread (per load of this module). A batch written by this same thread
 * names record types by their position in its registry (exact even when two types share a
 * name); a batch from another thread or process is decoded by record names.
 */
export const PROCESS_TOKEN: Uint8Array = randomBytes(8);

// One byte per value kind; small non-negative integers are their own tag.
export const T_UNDEFINED = 0;
export const T_NULL = 1;
export const T_FALSE = 2;
export const T_TRUE = 3;
/** A 32-bit integer, zigzag varint. */
export const T_INT = 4;
/** Any other number: 8 bytes, little-endian IEEE 754 (keeps -0 and NaN). */
export const T_FLOAT = 5;
export const T_STRING = 6;
/** Sign byte (0 or 1), then the magnitude as a string of hex digits. */
export const T_BIGINT = 7;
/** An object seen earlier in the batch (varint: its number). */
export const T_REF = 8;
export const T_ARRAY = 9;
export const T_ARRAY_FROZEN = 10;
export const T_OBJECT = 11;
export const T_OBJECT_FROZEN = 12;
export const T_OBJECT_NULL = 13;
export const T_OBJECT_NULL_FROZEN = 14;
export const T_LIST = 15;
export const T_STACK = 16;
/** Map and Set: insertion-ordered array form, or hash trie (see collection-shape.ts). */
export const T_MAP = 17;
export const T_MAP_TRIE = 18;
export const T_ORDERED_MAP = 19;
export const T_SET = 20;
export const T_SET_TRIE = 21;
export const T_ORDERED_SET = 22;
export const T_RECORD = 23;
/** A record whose fields are also its own read-only properties (actors' fast fields). */
export const T_RECORD_OWN_FIELDS = 24;
/** Tags from here on are the integers 0..127. */
export const T_SMALL_INT = 0x80;

// A string (after T_STRING, or wherever a string is expected) is one varint `k`:
// k % 4 == 0: a new UTF-8 string of k >> 2 bytes follows; 1: the batch's string number k >> 2;
// 2: a new string of k >> 2 UTF-16 code units follows (for strings that are not valid UTF-16,
// such as a lone surrogate, which UTF-8 cannot carry).
export const S_NEW_UTF8 = 0;
export const S_REF = 1;
export const S_NEW_UTF16 = 2;

// A record type (after T_RECORD) is one varint: 0, then a new type (name, registry position in
// the writing process, field count, field names); or 1 + the batch's type number.

/** A malformed or unreadable batch. */
export class CodecError extends Error {
  override readonly name = "CodecError";
}
