// State values → Informal Trace Format (ITF) JSON values.
//
// Mapping (ITF as Apalache and Quint write it, plus the extensions marked "ours"):
//   boolean, string               → themselves
//   number (finite)               → a JSON number. ITF only has integers; non-integer numbers as
//                                   JSON numbers are ours. Unsafe integers stay JSON numbers too,
//                                   because the state holds a JS number, not a bigint.
//   number (NaN, ±Infinity)       → {"#number": "NaN"} (ours: JSON has no spelling for them)
//   bigint                        → {"#bigint": "123"} always, so bigint and number stay distinct
//   null                          → JSON null (ours: ITF has no null, states use it widely)
//   plain array, List, Stack      → JSON array
//   Set, OrderedSet               → {"#set": [...]}
//   Map, OrderedMap               → {"#map": [[k, v], ...]}
//   plain object, Record          → JSON object (keys sorted; keys holding undefined left out)
//
// Canonical order: equal states must encode to identical text, whatever the insertion order, so
// Set elements and Map entries are sorted by their encoded JSON text, and object keys are sorted.
// OrderedSet and OrderedMap keep their order, which is part of their value.
//
// Keys starting with "#" would be read back as ITF tags ({"#set": ...}) or as a state's "#meta",
// so they are escaped by doubling the "#" ("#x" → "##x"); the decoder undoes it.
import type { Map as ImmutableMap, Record as ImmutableRecordType } from "immutable";
import { explainInvalidValue } from "../values/validate.ts";
import { kindOf, ValueKind } from "../values/value-kind.ts";

/** A JSON value as it appears in an ITF trace. */
export type ItfValue =
  | null
  | boolean
  | string
  | number
  | ItfValue[]
  | { "#bigint": string }
  | { "#tup": ItfValue[] }
  | { "#set": ItfValue[] }
  | { "#map": [ItfValue, ItfValue][] }
  | { "#unserializable": string }
  | { "#number": "NaN" | "Infinity" | "-Infinity" }
  | { [key: string]: ItfValue };

/** One state of an ITF trace: its variables plus `#meta`. */
export interface ItfState {
  "#meta": { index: number };
  [variable: string]: ItfValue;
}

/**
 * How a state maps onto ITF variables: "object" when the state is a plain object or Record whose
 * keys are the variables, "value" when the whole state is held by the single variable `state`.
 */
export type StateShape = "object" | "value";

/** The variable that holds a state that is not an object (shape "value"). */
export const STATE_VAR = "state";

/** The ITF tags that mark a special form; any other "#" key in an object is escaped. */
export const ITF_TAGS = ["#bigint", "#tup", "#set", "#map", "#unserializable", "#number"];

export function escapeKey(key: string): string {
  return key.startsWith("#") ? "#" + key : key;
}

const MAX_DEPTH = 2_000;

interface Entries {
  forEach(fn: (v: unknown, k: unknown) => unknown): number;
}

// Thrown inside the walk and turned into a located PMC001 error at the entry point.
class Invalid extends Error {}

function byText(a: [string, ItfValue], b: [string, ItfValue]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

function sortedByText(values: ItfValue[]): ItfValue[] {
  return values
    .map((v): [string, ItfValue] => [JSON.stringify(v), v])
    .sort(byText)
    .map((p) => p[1]);
}

// In a plain object a key holding undefined is an absent key; a Record field cannot hold it.
function objectOf(entries: Iterable<[string, unknown]>, depth: number, record: boolean): ItfValue {
  const out: [string, ItfValue][] = [];
  for (const [k, v] of entries) {
    if (v === undefined && record) throw new Invalid();
    if (v !== undefined) out.push([escapeKey(k), enc(v, depth)]);
  }
  out.sort(byText);
  // fromEntries defines own properties, so a "__proto__" key stays a key.
  return Object.fromEntries(out);
}

function mapEntries(m: Entries, depth: number): [ItfValue, ItfValue][] {
  const out: [ItfValue, ItfValue][] = [];
  m.forEach((v, k) => {
    out.push([enc(k, depth), enc(v, depth)]);
  });
  return out;
}

function enc(v: unknown, depth: number): ItfValue {
  switch (typeof v) {
    case "string":
    case "boolean":
      return v;
    case "number":
      if (Number.isFinite(v)) return v === 0 ? 0 : v; // -0 is 0, as in fingerprints
      return { "#number": String(v) as "NaN" | "Infinity" | "-Infinity" };
    case "bigint":
      return { "#bigint": v.toString() };
    case "object":
      if (v === null) return null;
      break;
    default:
      throw new Invalid();
  }
  if (++depth > MAX_DEPTH) throw new Invalid(); // most likely a cycle
  switch (kindOf(v)) {
    case ValueKind.PlainObject:
      return objectOf(Object.entries(v), depth, false);
    case ValueKind.Record:
      return objectOf((v as ImmutableRecordType<object>).toSeq().entries(), depth, true);
    case ValueKind.Array:
      // Array.from visits holes (as undefined), which map would skip.
      return Array.from(v as unknown[], (x) => {
        if (x === undefined) throw new Invalid();
        return enc(x, depth);
      });
    case ValueKind.List:
    case ValueKind.Stack:
      return (v as { toArray(): unknown[] }).toArray().map((x) => enc(x, depth));
    case ValueKind.Set:
      return {
        "#set": sortedByText((v as { toArray(): unknown[] }).toArray().map((x) => enc(x, depth))),
      };
    case ValueKind.OrderedSet:
      return { "#set": (v as { toArray(): unknown[] }).toArray().map((x) => enc(x, depth)) };
    case ValueKind.Map:
      return {
        "#map": sortedByText(mapEntries(v as ImmutableMap<unknown, unknown>, depth)) as [
          ItfValue,
          ItfValue,
        ][],
      };
    case ValueKind.OrderedMap:
      return { "#map": mapEntries(v as ImmutableMap<unknown, unknown>, depth) };
    default:
      throw new Invalid();
  }
}

/**
 * Encodes a state value as an ITF JSON value (see the mapping at the top of this file).
 * @throws SpecError PMC001 naming the path of a part that cannot be in a state.
 */
export function encodeValue(value: unknown, root = "value"): ItfValue {
  try {
    return enc(value, 0);
  } catch (e) {
    if (e instanceof Invalid) throw explainInvalidValue(value, root);
    throw e;
  }
}

/** An encoded state: its ITF variables (sorted) and their values. */
export interface EncodedState {
  vars: string[];
  fields: Record<string, ItfValue>;
  shape: StateShape;
}

/**
 * Splits a state into ITF variables: the keys of a plain object or Record, or else the single
 * variable `state` holding the whole value.
 */
export function encodeState(state: unknown): EncodedState {
  const isObject =
    typeof state === "object" &&
    state !== null &&
    (kindOf(state) === ValueKind.PlainObject || kindOf(state) === ValueKind.Record);
  const encoded = encodeValue(state, "state");
  if (!isObject) {
    return { vars: [STATE_VAR], fields: { [STATE_VAR]: encoded }, shape: "value" };
  }
  const fields = encoded as Record<string, ItfValue>;
  return { vars: Object.keys(fields).sort(), fields, shape: "object" };
}

/** The canonical JSON text of a state value: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(encodeValue(value));
}
