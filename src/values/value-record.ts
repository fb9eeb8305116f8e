// Records for values that are hashed and compared over and over, such as messages in a
// network set. immutable.js recomputes a Record's hashCode on every Set/Map lookup; these
// records compute it once (a Record never changes, so the cache cannot go stale).
import { Record, type RecordOf } from "immutable";

const HASH: unique symbol = Symbol("protomc.hashCode");

/**
 * A Record factory (as immutable's `Record(defaults, name)`) whose instances cache their
 * hashCode. Use it for messages and other values kept in immutable Sets and Maps.
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
  class CachedHashRecord extends Base {
    declare [HASH]: number | undefined;
    override hashCode(): number {
      let h = this[HASH];
      if (h === undefined) {
        h = super.hashCode();
        this[HASH] = h;
      }
      return h;
    }
    // Small immutable Sets and Maps search their entries linearly with equals(): comparing
    // the cached hashes first keeps that from walking every field of every message.
    override equals(other: unknown): boolean {
      if (this === other) return true;
      if (!(other instanceof CachedHashRecord) || other.hashCode() !== this.hashCode()) {
        return false;
      }
      return super.equals(other);
    }
  }
  return (values) => new CachedHashRecord(values) as unknown as RecordOf<T>;
}
