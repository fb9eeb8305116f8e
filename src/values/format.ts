// Human-readable rendering of state values, for action labels, traces and diffs.
//
// Rules (stable: tests and users read them):
//   strings        JSON-quoted ("x"), so 1 and "1" differ. With { bareStrings: true } (action
//                  labels) a string that looks like an identifier and is not a literal word
//                  (true, false, null, undefined, NaN, Infinity) is printed bare: Send(n1, "a b").
//   numbers        as JavaScript prints them (-0 as 0); bigint with a suffix: 5n
//   arrays         [1, 2]            plain objects  { a: 1, b: "x" } (keys sorted)
//   List / Stack   List[1, 2]        Set            Set{1, 2} (sorted)   OrderedSet{...} (as is)
//   Map            Map{k ↦ v} (sorted by key)       OrderedMap{k ↦ v} (as is)
//   Record         Name{a: 1} (fields in declared order; Name from Record's descriptive name)
// Sorted collections order numbers numerically, then strings, then the rest by their text, so
// equal values always print the same whatever their insertion order.
import { Record as ImmutableRecord } from "immutable";
import { kindOf, ValueKind } from "./value-kind.ts";

export interface FormatOptions {
  /** Print identifier-like strings without quotes (for action labels). */
  bareStrings?: boolean;
  /** Cut the single-line text to this many characters, ending it with "…". */
  maxLength?: number;
}

interface Item {
  readonly prefix: string; // "a: " or "k ↦ " or ""
  readonly doc: Doc;
  readonly sortKey?: unknown; // the element or key, for sorted collections
  readonly sortText?: string; // and its text
}
type Doc = string | { open: string; close: string; pad: boolean; items: Item[] };

const IDENT = /^[A-Za-z_$][\w$]*$/;
const WORDS = new Set(["true", "false", "null", "undefined", "NaN", "Infinity"]);
const MAX_DEPTH = 100;

function rank(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === "boolean") return 1;
  if (typeof v === "number" || typeof v === "bigint") return 2;
  if (typeof v === "string") return 3;
  return 4;
}

/** A total order for display: by kind, then numerically or by text. */
export function compareValues(a: unknown, b: unknown, textA?: string, textB?: string): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 1 || ra === 2) {
    // number and bigint compare correctly with each other in JavaScript.
    if ((a as number) < (b as number)) return -1;
    if ((a as number) > (b as number)) return 1;
  }
  // Strings by their own code units; anything else by its text (textA/textB when known).
  const ta = ra === 3 ? (a as string) : (textA ?? formatValue(a));
  const tb = rb === 3 ? (b as string) : (textB ?? formatValue(b));
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}

function sortItems(items: Item[]): Item[] {
  const keyed = items.map((it) => ({ it, text: it.sortText ?? flat(it.doc) }));
  keyed.sort((x, y) => compareValues(x.it.sortKey, y.it.sortKey, x.text, y.text));
  return keyed.map((k) => k.it);
}

function keyText(k: string): string {
  return IDENT.test(k) ? k : JSON.stringify(k);
}

interface Each {
  forEach(fn: (v: unknown, k: unknown) => unknown): number;
}

function entries(c: unknown): [unknown, unknown][] {
  const out: [unknown, unknown][] = [];
  (c as Each).forEach((v, k) => {
    out.push([k, v]);
  });
  return out;
}

// Only plain objects get spaces inside their braces, as TypeScript code is usually formatted.
function coll(open: string, items: Item[]): Doc {
  return { open, close: open.endsWith("[") ? "]" : "}", pad: open === "{", items };
}

function toDoc(v: unknown, opts: FormatOptions, depth: number): Doc {
  switch (typeof v) {
    case "string":
      return opts.bareStrings && IDENT.test(v) && !WORDS.has(v) ? v : JSON.stringify(v);
    case "number":
      return Object.is(v, -0) ? "0" : String(v);
    case "bigint":
      return `${v}n`;
    case "boolean":
    case "undefined":
    case "symbol":
      return String(v);
    case "function":
      return `<function ${v.name || "anonymous"}>`;
  }
  if (v === null) return "null";
  if (depth > MAX_DEPTH) return "…";
  const d = depth + 1;
  const elem = (x: unknown): Item => ({ prefix: "", doc: toDoc(x, opts, d), sortKey: x });
  const entry = ([k, x]: [unknown, unknown]): Item => {
    const key = flat(toDoc(k, opts, d));
    return { prefix: `${key} ↦ `, doc: toDoc(x, opts, d), sortKey: k, sortText: key };
  };
  const field = ([k, x]: [unknown, unknown]): Item => ({
    prefix: `${keyText(String(k))}: `,
    doc: toDoc(x, opts, d),
  });
  const obj = v as object;
  switch (kindOf(obj)) {
    case ValueKind.PlainObject: {
      const keys = Object.keys(obj).filter(
        (k) => (obj as Record<string, unknown>)[k] !== undefined,
      );
      keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return coll(
        "{",
        keys.map((k) => field([k, (obj as Record<string, unknown>)[k]])),
      );
    }
    case ValueKind.Array:
      return coll("[", (obj as unknown[]).map(elem));
    case ValueKind.List:
      return coll(
        "List[",
        entries(obj).map((e) => elem(e[1])),
      );
    case ValueKind.Stack:
      return coll(
        "Stack[",
        entries(obj).map((e) => elem(e[1])),
      );
    case ValueKind.Set:
      return coll("Set{", sortItems(entries(obj).map((e) => elem(e[1]))));
    case ValueKind.OrderedSet:
      return coll(
        "OrderedSet{",
        entries(obj).map((e) => elem(e[1])),
      );
    case ValueKind.Map:
      return coll("Map{", sortItems(entries(obj).map(entry)));
    case ValueKind.OrderedMap:
      return coll("OrderedMap{", entries(obj).map(entry));
    case ValueKind.Record: {
      const name = ImmutableRecord.getDescriptiveName(obj as ImmutableRecord<object>);
      // Records have no forEach; they iterate as [key, value] pairs.
      return coll(`${name}{`, [...(obj as Iterable<[unknown, unknown]>)].map(field));
    }
    case ValueKind.UnsupportedImmutable:
      return (obj as { toString(): string }).toString(); // immutable.js prints these itself
    default: {
      const ctor = (obj as { constructor?: { name?: string } }).constructor?.name;
      return `<${ctor || "object"}>`;
    }
  }
}

function flat(doc: Doc): string {
  if (typeof doc === "string") return doc;
  if (doc.items.length === 0) return doc.open + doc.close;
  const pad = doc.pad ? " " : "";
  const inner = doc.items.map((it) => it.prefix + flat(it.doc)).join(", ");
  return doc.open + pad + inner + pad + doc.close;
}

/** A single-line rendering of a value (see the rules at the top of this file). Never throws. */
export function formatValue(v: unknown, opts: FormatOptions = {}): string {
  const s = flat(toDoc(v, opts, 0));
  const max = opts.maxLength;
  return max !== undefined && s.length > max ? s.slice(0, Math.max(0, max - 1)) + "…" : s;
}

// Renders a doc that starts at column `col`; its continuation lines are indented from `base`.
function lines(doc: Doc, base: number, col: number, width: number): string {
  const s = flat(doc);
  if (typeof doc === "string" || doc.items.length === 0 || col + s.length <= width) return s;
  const pad = " ".repeat(base + 2);
  const body = doc.items.map(
    (it, i) =>
      pad +
      it.prefix +
      lines(it.doc, base + 2, base + 2 + it.prefix.length, width) +
      (i < doc.items.length - 1 ? "," : ""),
  );
  return `${doc.open}\n${body.join("\n")}\n${" ".repeat(base)}${doc.close}`;
}

/**
 * A pretty rendering for full states: collections that do not fit in `width` columns are broken
 * one element per line. The first line is not indented (the caller places it at column
 * `indent`); the following lines are indented by at least `indent` spaces.
 */
export function formatValueMultiline(
  v: unknown,
  indent = 0,
  opts: FormatOptions & { width?: number } = {},
): string {
  return lines(toDoc(v, { bareStrings: opts.bareStrings }, 0), indent, indent, opts.width ?? 80);
}
