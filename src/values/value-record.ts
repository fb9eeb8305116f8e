// Records for values that are hashed and compared over and over, such as messages in a
// network set. immutable.js recomputes a Record's hashCode on every Set/Map lookup and compares
// entries of small Sets and Maps one by one with Immutable.is; these records compute their hash
// once and compare as fast as small integers (a Record never changes, so neither can go stale).
import { Record, type RecordOf } from "immutable";
import { registerInternedRecordType } from "./record-registry.ts";

const HASH: unique symbol = Symbol("protomc.hashCode");
const ID: unique symbol = Symbol("protomc.valueId");

// Ids of interned values, shared by every factory: records of different types never share one.
// An id is a symbol, which no state value can be (the value model rejects symbols), so a
// record is never taken for an equal number or string in a mixed collection.
let nextId = 0;

/**
 * A Record factory (as immutable's `Record(defaults, name)`) whose instances cache their
 * hashCode and are interned: equal records share one id (a symbol), which `valueOf` returns. Use it for messages and other values kept in immutable Sets and Maps.
 */
export function valueRecord<T extends object>(
  defaults: T,
  name: string,
): (values?: Partial<T>) => RecordOf<T> {
  // immutable's Factory type does not describe it as a class, though it is one.
  const Base = Record(defaults, name) as unknown as new (values?: Partial<T>) => {
    hashCode(): number;
    equals(other: unknown): boolean;
  };
  // The first instance met of each distinct value, by hash, and by id.
  const canonical = new Map<number, CachedHashRecord | CachedHashRecord[]>();
  const first = new Map<symbol, CachedHashRecord>();
  class CachedHashRecord extends Base {
    declare [HASH]: number | undefined;
    declare [ID]: symbol | undefined;
    constructor(values?: Partial<T>) {
      super(values);
      // Both caches exist from the start, in this order: whichever is filled first, every
      // instance keeps one object shape, and code reading records stays monomorphic.
      this[HASH] = undefined;
      this[ID] = undefined;
    }
    override hashCode(): number {
      let h = this[HASH];
      if (h === undefined) {
        h = super.hashCode();
        this[HASH] = h;
      }
      return h;
    }
    // Immutable.is (which small Sets and Maps call on every entry they search) compares
    // valueOf() results first: equal records have the same id and unequal ones different
    // ids, so a lookup never walks fields. The id is found once per instance.
    override valueOf(): symbol {
      return this[ID] ?? this.intern();
    }
    // `"sent " + message` must still read as the record (not throw on the symbol).
    [Symbol.toPrimitive](): string {
      return this.toString();
    }
    override equals(other: unknown): boolean {
      if (this === other) return true;
      if (!(other instanceof CachedHashRecord)) return false;
      return this.valueOf() === other.valueOf();
    }
    private intern(): symbol {
      const h = this.hashCode();
      const found = canonical.get(h);
      let id: symbol | undefined;
      if (found === undefined) {
        canonical.set(h, this);
      } else if (Array.isArray(found)) {
        id = found.find((r) => super.equals(r))?.[ID];
        if (id === undefined) found.push(this);
      } else if (super.equals(found)) {
        id = found[ID];
      } else {
        canonical.set(h, [found, this]);
      }
      if (id === undefined) {
        id = Symbol(`${name}#${++nextId}`);
        first.set(id, this);
      }
      this[ID] = id;
      return id;
    }
  }
  // Stored states (spilled frontiers, checkpoints, states moved between workers) name their
  // records: register this type so that they decode to it, in this process or in one that
  // loaded the same module. A decoded record is replaced by the instance the spec already
  // uses for its value: a state then holds the same objects whether it was generated here or
  // decoded, and code that reads records sees one object shape, not one per origin.
  registerInternedRecordType(CachedHashRecord as new (values?: object) => object, name, (rec) =>
    first.get((rec as CachedHashRecord).valueOf())!,
  );
  return (values) => new CachedHashRecord(values) as unknown as RecordOf<T>;
}
