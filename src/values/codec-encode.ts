// Encodes state values into compact bytes, for frontiers that spill to disk and for
// checkpoints. Every value kind a state may hold is covered, in a form that decodes to a value
// with the same fingerprint, the same prototypes and the same iteration order (see
// codec-decode.ts). An object met twice in one batch is written once and referred to after.
import type { List, Map as ImmutableMap, Set as ImmutableSet } from "immutable";
import { isTrieMap, isTrieSet } from "./collection-shape.ts";
import * as F from "./codec-format.ts";
import { recordTypeOf, type RecordType } from "./record-registry.ts";
import { explainInvalidValue } from "./validate.ts";
import { kindOf, ValueKind } from "./value-kind.ts";

interface Iterated {
  readonly size: number;
  forEach(fn: (v: unknown, k: unknown) => unknown): number;
}

interface RecordLike {
  get(key: string): unknown;
}

const INVALID = new Error("not a state value");
const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

export class StateEncoder {
  private buf: Buffer;
  private pos = 0;
  private readonly strings = new Map<string, number>();
  private readonly objects = new Map<object, number>();
  private readonly types = new Map<RecordType, number>();
  private values = 0;

  constructor(initialBytes = 1 << 16) {
    this.buf = Buffer.allocUnsafe(Math.max(64, initialBytes));
    this.reset();
  }

  /** Values encoded into the current batch. */
  get count(): number {
    return this.values;
  }

  get byteLength(): number {
    return this.pos;
  }

  /** Starts a new batch (the tables of the last one are forgotten). */
  reset(): void {
    this.pos = 0;
    this.strings.clear();
    this.objects.clear();
    this.types.clear();
    this.values = 0;
    this.buf[0] = F.CODEC_VERSION;
    this.buf.set(F.PROCESS_TOKEN, 1);
    this.pos = F.HEADER_BYTES;
  }

  /** Appends a value to the batch. After an error the batch is unusable: `reset` it. */
  encode(value: unknown): void {
    try {
      this.value(value);
    } catch (e) {
      if (e === INVALID) throw new F.CodecError(explainInvalidValue(value).message);
      throw e;
    }
    this.values++;
  }

  /** The batch so far (a view of the encoder's buffer: copy it or use it before `reset`). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  private byte(b: number): void {
    this.room(1);
    this.buf[this.pos++] = b;
  }

  private varint(n: number): void {
    this.room(5);
    const buf = this.buf;
    let v = n >>> 0;
    while (v >= 0x80) {
      buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[this.pos++] = v;
  }

  private string(s: string): void {
    const known = this.strings.get(s);
    if (known !== undefined) {
      this.varint(known * 4 + F.S_REF);
      return;
    }
    this.strings.set(s, this.strings.size);
    if ((s as unknown as { isWellFormed(): boolean }).isWellFormed()) {
      const n = Buffer.byteLength(s, "utf8");
      this.varint(n * 4 + F.S_NEW_UTF8);
      this.room(n);
      this.pos += this.buf.write(s, this.pos, n, "utf8");
    } else {
      this.varint(s.length * 4 + F.S_NEW_UTF16);
      this.room(2 * s.length);
      for (let i = 0; i < s.length; i++) {
        this.buf.writeUInt16LE(s.charCodeAt(i), this.pos);
        this.pos += 2;
      }
    }
  }

  private number(n: number): void {
    if ((n | 0) === n && !Object.is(n, -0)) {
      if (n >= 0 && n < 0x80) this.byte(F.T_SMALL_INT + n);
      else {
        this.byte(F.T_INT);
        this.varint((n << 1) ^ (n >> 31));
      }
      return;
    }
    this.room(9);
    this.buf[this.pos++] = F.T_FLOAT;
    this.buf.writeDoubleLE(n, this.pos);
    this.pos += 8;
  }

  private value(v: unknown): void {
    switch (typeof v) {
      case "number":
        this.number(v);
        return;
      case "string":
        this.byte(F.T_STRING);
        this.string(v);
        return;
      case "boolean":
        this.byte(v ? F.T_TRUE : F.T_FALSE);
        return;
      case "bigint":
        this.byte(F.T_BIGINT);
        this.byte(v < 0n ? 1 : 0);
        this.string((v < 0n ? -v : v).toString(16));
        return;
      case "undefined":
        this.byte(F.T_UNDEFINED);
        return;
      case "object":
        if (v === null) this.byte(F.T_NULL);
        else this.object(v);
        return;
      default:
        throw INVALID;
    }
  }

  private object(o: object): void {
    const seen = this.objects.get(o);
    if (seen !== undefined) {
      this.byte(F.T_REF);
      this.varint(seen);
      return;
    }
    this.objects.set(o, this.objects.size);
    switch (kindOf(o)) {
      case ValueKind.PlainObject:
        this.plainObject(o as Record<string, unknown>);
        return;
      case ValueKind.Array: {
        const a = o as readonly unknown[];
        this.byte(Object.isFrozen(a) ? F.T_ARRAY_FROZEN : F.T_ARRAY);
        this.varint(a.length);
        for (let i = 0; i < a.length; i++) {
          if (a[i] === undefined) throw INVALID;
          this.value(a[i]);
        }
        return;
      }
      case ValueKind.List:
        this.items(F.T_LIST, o as List<unknown>);
        return;
      case ValueKind.Stack:
        this.items(F.T_STACK, o as Iterated);
        return;
      case ValueKind.Set:
        this.items(isTrieSet(o as ImmutableSet<unknown>) ? F.T_SET_TRIE : F.T_SET, o as Iterated);
        return;
      case ValueKind.OrderedSet:
        this.items(F.T_ORDERED_SET, o as Iterated);
        return;
      case ValueKind.Map:
        this.entries(
          isTrieMap(o as ImmutableMap<unknown, unknown>) ? F.T_MAP_TRIE : F.T_MAP,
          o as Iterated,
        );
        return;
      case ValueKind.OrderedMap:
        this.entries(F.T_ORDERED_MAP, o as Iterated);
        return;
      case ValueKind.Record:
        this.record(o);
        return;
      default:
        throw INVALID;
    }
  }

  private plainObject(o: Record<string, unknown>): void {
    const keys = Object.keys(o);
    const frozen = Object.isFrozen(o);
    const bare = Object.getPrototypeOf(o) === null;
    this.byte(
      bare
        ? frozen
          ? F.T_OBJECT_NULL_FROZEN
          : F.T_OBJECT_NULL
        : frozen
          ? F.T_OBJECT_FROZEN
          : F.T_OBJECT,
    );
    this.varint(keys.length);
    for (const k of keys) {
      this.string(k);
      this.value(o[k]);
    }
  }

  private items(tag: number, c: Iterated): void {
    this.byte(tag);
    this.varint(c.size);
    c.forEach((v) => {
      if (v === undefined) throw INVALID;
      this.value(v);
    });
  }

  private entries(tag: number, c: Iterated): void {
    this.byte(tag);
    this.varint(c.size);
    c.forEach((v, k) => {
      if (v === undefined || k === undefined) throw INVALID;
      this.value(k);
      this.value(v);
    });
  }

  private record(rec: object): void {
    const type = recordTypeOf(rec);
    const keys = type.keys;
    const own = keys.length > 0 && hasOwn(rec, keys[0]!);
    this.byte(own ? F.T_RECORD_OWN_FIELDS : F.T_RECORD);
    const known = this.types.get(type);
    if (known !== undefined) this.varint(known + 1);
    else {
      type.used = true;
      this.types.set(type, this.types.size);
      this.varint(0);
      this.string(type.name);
      this.varint(type.index);
      this.varint(keys.length);
      for (const k of keys) this.string(k);
    }
    for (const k of keys) {
      const v = (rec as RecordLike).get(k);
      if (v === undefined) throw INVALID;
      this.value(v);
    }
  }
}
