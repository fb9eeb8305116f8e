// The immutable.js Record types known to this process, by prototype and by name, so that the
// state codec can write a record as its type's name and build it again with the same factory.
// valueRecord registers its types when the module that makes them loads; a plain
// `Record(defaults, name)` type is learnt the first time one of its records is encoded.
import { Record as ImmutableRecord } from "immutable";

/** One record type: what the codec needs to write a record and to build it again. */
export interface RecordType {
  /** The record's descriptive name ("Record" for an unnamed one). */
  readonly name: string;
  /** Field names in the factory's order (the order records iterate in). */
  readonly keys: readonly string[];
  /** Position in this process's registry (only meaningful within this process). */
  readonly index: number;
  /** Builds a record of this type from its field values. */
  readonly make: (values: Record<string, unknown>) => object;
  /**
   * For interned types (valueRecord): the instance this process already uses for a record's
   * value, which a decoded record is replaced by.
   */
  readonly canonical: ((rec: object) => object) | null;
  /** Set once a record of this type has been encoded (checkpoints then need its name). */
  used: boolean;
}

type RecordClass = new (values?: Record<string, unknown>) => object;

const byPrototype = new Map<object, RecordType>();
const byName = new Map<string, RecordType[]>();
const byIndex: RecordType[] = [];

interface RecordLike {
  toSeq(): { keySeq(): { toArray(): unknown[] } };
}

function add(
  proto: object,
  ctor: RecordClass,
  sample: object,
  name: string,
  canonical: ((rec: object) => object) | null = null,
): RecordType {
  const keys = (sample as RecordLike).toSeq().keySeq().toArray() as string[];
  const type: RecordType = {
    name,
    keys,
    index: byIndex.length,
    make: (values) => new ctor(values),
    canonical,
    used: false,
  };
  byPrototype.set(proto, type);
  byIndex.push(type);
  const named = byName.get(name);
  if (named === undefined) byName.set(name, [type]);
  else named.push(type);
  return type;
}

/** Registers a Record class (a factory made by immutable's `Record`, or a subclass of one). */
export function registerRecordType(ctor: RecordClass, name?: string): RecordType {
  const sample = new ctor();
  const proto = Object.getPrototypeOf(sample) as object;
  const known = byPrototype.get(proto);
  if (known !== undefined) return known;
  return add(proto, ctor, sample, name ?? ImmutableRecord.getDescriptiveName(sample as never));
}

/** Registers a valueRecord type, whose `canonical` gives the interned instance of a value. */
export function registerInternedRecordType(
  ctor: RecordClass,
  name: string,
  canonical: (rec: object) => object,
): RecordType {
  const sample = new ctor();
  return add(Object.getPrototypeOf(sample) as object, ctor, sample, name, canonical);
}

/** The type of a record, learnt from its constructor if this process has not seen it yet. */
export function recordTypeOf(rec: object): RecordType {
  const proto = Object.getPrototypeOf(rec) as { constructor: RecordClass };
  const known = byPrototype.get(proto);
  if (known !== undefined) return known;
  return add(proto, proto.constructor, rec, ImmutableRecord.getDescriptiveName(rec as never));
}

/** The type registered in this process at `index`, if its name still matches. */
export function recordTypeAt(index: number, name: string): RecordType | undefined {
  const type = byIndex[index];
  return type !== undefined && type.name === name ? type : undefined;
}

/** The record type with this name: unknown or ambiguous names are errors that say why. */
export function recordTypeNamed(name: string): RecordType {
  const named = byName.get(name);
  if (named === undefined) {
    throw new RecordTypeError(
      `record type "${name}" is not registered in this process: make it with ` +
        `valueRecord(defaults, "${name}") in the spec module (which registers it when the ` +
        `module loads) rather than with immutable's Record`,
    );
  }
  if (named.length > 1) throw ambiguous(name);
  return named[0]!;
}

/**
 * Throws unless every record type encoded so far has a name no other type has (a checkpoint
 * names record types; another process could not tell two of the same name apart).
 */
export function assertUsedNamesUnique(): void {
  for (const type of byIndex) {
    if (type.used && byName.get(type.name)!.length > 1) throw ambiguous(type.name);
  }
}

function ambiguous(name: string): RecordTypeError {
  return new RecordTypeError(
    `${byName.get(name)!.length} different record types are named "${name}": a stored state ` +
      `cannot say which one it holds; give each record type its own name`,
  );
}

/** A record type that the codec cannot name or find. */
export class RecordTypeError extends Error {
  override readonly name = "RecordTypeError";
}
