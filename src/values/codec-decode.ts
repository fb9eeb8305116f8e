// Decodes what codec-encode.ts wrote. A decoded value has the original's fingerprint, its
// prototypes (records are built by their own factories, found by name, or by registry
// position when this process wrote the batch) and its iteration order, now and after any
// update (immutable Maps and Sets are rebuilt in their original shape: collection-shape.ts).
import { List, OrderedMap, OrderedSet, Stack } from "immutable";
import { rebuildMap, rebuildSet } from "./collection-shape.ts";
import * as F from "./codec-format.ts";
import { recordTypeAt, recordTypeNamed, type RecordType } from "./record-registry.ts";

// Records decoded again and again (the messages of a network, say) come back as one instance
// per value, across batches: a fresh instance would have to compute its hash, its fingerprint
// and its valueRecord identity again, in every state. Only records whose fields are primitives
// or records interned before are interned, keyed by their type and field values.
const MAX_INTERNED = 1 << 16;
const interned = new Map<string, object>();
const internIds = new WeakMap<object, number>();

function internKey(v: unknown): string | null {
  switch (typeof v) {
    case "number":
      return Object.is(v, -0) ? "n-0" : `n${v}`;
    case "string":
      // Length-prefixed, so that no content can fake the separator.
      return `s${v.length}:${v}`;
    case "boolean":
      return v ? "t" : "f";
    case "bigint":
      return `b${v}`;
    case "object": {
      if (v === null) return "z";
      const id = internIds.get(v);
      return id === undefined ? null : `#${id}`;
    }
    default:
      return null;
  }
}

// A string read from a buffer is a fresh copy; the same text written in the spec's code is an
// internalized string, which V8 compares by pointer. Decoded states would otherwise carry
// copies that every comparison with a literal (`s.role === "leader"`) checks character by
// character, into every state generated from them. A property key is always internalized, so
// reading one back gives the shared copy.
function internalized(s: string): string {
  const holder: Record<string, 0> = { [s]: 0 };
  for (const key in holder) return key;
  return s;
}

interface DecodedType {
  readonly type: RecordType;
  readonly keys: readonly string[];
}

export class StateDecoder {
  private pos: number;
  private readonly buf: Buffer;
  private readonly strings: string[] = [];
  private readonly objects: unknown[] = [];
  private readonly types: DecodedType[] = [];
  private readonly local: boolean;

  constructor(bytes: Uint8Array) {
    this.buf = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (this.buf.length < F.HEADER_BYTES) throw new F.CodecError("truncated batch header");
    if (this.buf[0] !== F.CODEC_VERSION) {
      throw new F.CodecError(
        `encoded with codec version ${this.buf[0]}, this protomc reads version ${F.CODEC_VERSION}`,
      );
    }
    this.local = this.buf.subarray(1, F.HEADER_BYTES).equals(F.PROCESS_TOKEN);
    this.pos = F.HEADER_BYTES;
  }

  /** Whether every value of the batch has been read. */
  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  /** The next value of the batch. */
  decode(): unknown {
    if (this.done) throw new F.CodecError("read past the end of a batch");
    return this.value();
  }

  private byte(): number {
    const b = this.buf[this.pos++];
    if (b === undefined) throw new F.CodecError("truncated batch");
    return b;
  }

  private varint(): number {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
      shift += 7;
      if (shift > 28) throw new F.CodecError("malformed varint");
    }
  }

  private string(): string {
    const k = this.varint();
    const n = Math.floor(k / 4);
    const form = k % 4;
    if (form === F.S_REF) {
      const s = this.strings[n];
      if (s === undefined) throw new F.CodecError(`string ${n} is not defined`);
      return s;
    }
    let s: string;
    if (form === F.S_NEW_UTF8) {
      this.need(n);
      s = this.buf.toString("utf8", this.pos, this.pos + n);
      this.pos += n;
    } else if (form === F.S_NEW_UTF16) {
      this.need(2 * n);
      s = "";
      for (let i = 0; i < n; i++) s += String.fromCharCode(this.buf.readUInt16LE(this.pos + 2 * i));
      this.pos += 2 * n;
    } else throw new F.CodecError(`bad string form ${form}`);
    s = internalized(s);
    this.strings.push(s);
    return s;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new F.CodecError("truncated batch");
  }

  private value(): unknown {
    const tag = this.byte();
    if (tag >= F.T_SMALL_INT) return tag - F.T_SMALL_INT;
    switch (tag) {
      case F.T_UNDEFINED:
        return undefined;
      case F.T_NULL:
        return null;
      case F.T_FALSE:
        return false;
      case F.T_TRUE:
        return true;
      case F.T_INT: {
        const z = this.varint();
        return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      }
      case F.T_FLOAT: {
        this.need(8);
        const x = this.buf.readDoubleLE(this.pos);
        this.pos += 8;
        return x;
      }
      case F.T_STRING:
        return this.string();
      case F.T_BIGINT: {
        const negative = this.byte() === 1;
        const magnitude = BigInt("0x" + this.string());
        return negative ? -magnitude : magnitude;
      }
      case F.T_REF: {
        const i = this.varint();
        if (i >= this.objects.length) throw new F.CodecError(`object ${i} is not defined`);
        return this.objects[i];
      }
    }
    const slot = this.objects.length;
    this.objects.push(undefined);
    const o = this.object(tag);
    this.objects[slot] = o;
    return o;
  }

  private object(tag: number): unknown {
    switch (tag) {
      case F.T_ARRAY:
      case F.T_ARRAY_FROZEN: {
        const a = this.list();
        return tag === F.T_ARRAY_FROZEN ? Object.freeze(a) : a;
      }
      case F.T_OBJECT:
      case F.T_OBJECT_FROZEN:
      case F.T_OBJECT_NULL:
      case F.T_OBJECT_NULL_FROZEN:
        return this.plainObject(tag);
      case F.T_LIST:
        return List(this.list());
      case F.T_STACK:
        return Stack(this.list());
      case F.T_SET:
      case F.T_SET_TRIE:
        return rebuildSet(this.list(), tag === F.T_SET_TRIE);
      case F.T_ORDERED_SET: {
        const items = this.list();
        return OrderedSet<unknown>().withMutations((s) => {
          for (const x of items) s.add(x);
        });
      }
      case F.T_MAP:
      case F.T_MAP_TRIE: {
        const [keys, values] = this.entries();
        return rebuildMap(keys, values, tag === F.T_MAP_TRIE);
      }
      case F.T_ORDERED_MAP: {
        const [keys, values] = this.entries();
        return OrderedMap<unknown, unknown>().withMutations((m) => {
          for (let i = 0; i < keys.length; i++) m.set(keys[i], values[i]);
        });
      }
      case F.T_RECORD:
      case F.T_RECORD_OWN_FIELDS:
        return this.record(tag === F.T_RECORD_OWN_FIELDS);
      default:
        throw new F.CodecError(`unknown tag ${tag} at byte ${this.pos - 1}`);
    }
  }

  private list(): unknown[] {
    const n = this.varint();
    const a: unknown[] = [];
    for (let i = 0; i < n; i++) a.push(this.value());
    return a;
  }

  private entries(): [unknown[], unknown[]] {
    const n = this.varint();
    const keys: unknown[] = [];
    const values: unknown[] = [];
    for (let i = 0; i < n; i++) {
      keys.push(this.value());
      values.push(this.value());
    }
    return [keys, values];
  }

  private plainObject(tag: number): object {
    const bare = tag === F.T_OBJECT_NULL || tag === F.T_OBJECT_NULL_FROZEN;
    const o = (bare ? Object.create(null) : {}) as Record<string, unknown>;
    const n = this.varint();
    for (let i = 0; i < n; i++) {
      const k = this.string();
      const v = this.value();
      if (k === "__proto__") {
        Object.defineProperty(o, k, { value: v, enumerable: true, writable: true });
      } else o[k] = v;
    }
    return tag === F.T_OBJECT_FROZEN || tag === F.T_OBJECT_NULL_FROZEN ? Object.freeze(o) : o;
  }

  private record(ownFields: boolean): object {
    const ref = this.varint();
    let decoded: DecodedType | undefined;
    if (ref === 0) {
      decoded = this.recordType();
      this.types.push(decoded);
    } else {
      decoded = this.types[ref - 1];
      if (decoded === undefined) throw new F.CodecError(`record type ${ref - 1} is not defined`);
    }
    const values: Record<string, unknown> = {};
    const keys = decoded.keys;
    let key: string | null = `${decoded.type.index}${ownFields ? "o" : "r"}`;
    for (let i = 0; i < keys.length; i++) {
      const v = this.value();
      values[keys[i]!] = v;
      if (key !== null) {
        const part = internKey(v);
        key = part === null ? null : key + "\u0001" + part;
      }
    }
    if (key !== null) {
      const known = interned.get(key);
      if (known !== undefined) return known;
    }
    let rec = decoded.type.make(values);
    if (ownFields) {
      for (let i = 0; i < keys.length; i++) {
        Object.defineProperty(rec, keys[i]!, { value: values[keys[i]!], enumerable: false });
      }
    } else if (decoded.type.canonical !== null) {
      rec = decoded.type.canonical(rec);
    }
    if (key !== null && interned.size < MAX_INTERNED) {
      interned.set(key, rec);
      internIds.set(rec, interned.size);
    }
    return rec;
  }

  private recordType(): DecodedType {
    const name = this.string();
    const index = this.varint();
    const n = this.varint();
    const keys: string[] = [];
    for (let i = 0; i < n; i++) keys.push(this.string());
    const type = (this.local ? recordTypeAt(index, name) : undefined) ?? recordTypeNamed(name);
    if (type.keys.length !== keys.length || type.keys.some((k, i) => k !== keys[i])) {
      throw new F.CodecError(
        `record type "${name}" has fields (${type.keys.join(", ")}) in this process but ` +
          `(${keys.join(", ")}) where it was encoded`,
      );
    }
    return { type, keys };
  }
}
