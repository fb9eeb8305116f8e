// Classifies an object that may appear inside a state. Dispatch is by prototype, cached, so the
// fingerprint walk pays one WeakMap lookup at most per object instead of a chain of type tests.
import {
  isList,
  isMap,
  isOrderedMap,
  isOrderedSet,
  isRecord,
  isSet,
  isStack,
  isImmutable,
} from "immutable";

export const enum ValueKind {
  PlainObject,
  Array,
  List,
  Map,
  OrderedMap,
  Set,
  OrderedSet,
  Stack,
  Record,
  /** An immutable.js collection that cannot be a state value (Seq, Range, Repeat). */
  UnsupportedImmutable,
  /** A class instance, a Date, a JavaScript Map or Set, a function's prototype... */
  Foreign,
}

const kindByPrototype = new WeakMap<object, ValueKind>();
let lastProto: object | null = null;
let lastKind = ValueKind.Foreign;

function classify(v: object): ValueKind {
  if (isRecord(v)) return ValueKind.Record;
  if (isOrderedMap(v)) return ValueKind.OrderedMap;
  if (isMap(v)) return ValueKind.Map;
  if (isOrderedSet(v)) return ValueKind.OrderedSet;
  if (isSet(v)) return ValueKind.Set;
  if (isList(v)) return ValueKind.List;
  if (isStack(v)) return ValueKind.Stack;
  if (isImmutable(v)) return ValueKind.UnsupportedImmutable;
  return ValueKind.Foreign;
}

/** The kind of a non-null object. */
export function kindOf(v: object): ValueKind {
  const proto = Object.getPrototypeOf(v) as object | null;
  if (proto === Object.prototype || proto === null) return ValueKind.PlainObject;
  if (proto === Array.prototype) return ValueKind.Array;
  // A state holds few kinds of collection: the last prototype met is usually the next one.
  if (proto === lastProto) return lastKind;
  let kind = kindByPrototype.get(proto);
  if (kind === undefined) {
    kind = classify(v);
    kindByPrototype.set(proto, kind);
  }
  lastProto = proto;
  lastKind = kind;
  return kind;
}
