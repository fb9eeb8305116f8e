// The slow, precise walk that explains why a value cannot be part of a state. It runs only after
// the fast fingerprint walk has found that something is wrong.
import { SpecError } from "../errors/spec-error.ts";
import { formatPath, type PathSegment } from "./path.ts";
import { kindOf, ValueKind } from "./value-kind.ts";

interface Found {
  readonly path: PathSegment[];
  readonly reason: string;
}

interface Entries {
  forEach(fn: (v: unknown, k: unknown) => unknown): number;
}

function describeForeign(v: object): string {
  const ctor = (v as { constructor?: { name?: string } }).constructor?.name;
  if (v instanceof globalThis.Map) return "a JavaScript Map (use Map from immutable)";
  if (v instanceof globalThis.Set) return "a JavaScript Set (use Set from immutable)";
  if (ctor !== undefined && ctor !== "") return `an instance of class ${ctor}`;
  return "an object with a custom prototype";
}

function search(v: unknown, path: PathSegment[], ancestors: Set<object>): Found | undefined {
  switch (typeof v) {
    case "number":
    case "string":
    case "boolean":
    case "bigint":
      return undefined;
    case "undefined":
      return { path, reason: "undefined (use null, or leave the key out of the object)" };
    case "function":
      return { path, reason: "a function" };
    case "symbol":
      return { path, reason: "a symbol" };
  }
  if (v === null) return undefined;
  const obj = v as object;
  if (ancestors.has(obj)) return { path, reason: "a cycle (the value contains itself)" };
  const kind = kindOf(obj);
  if (kind === ValueKind.Foreign) return { path, reason: describeForeign(obj) };
  if (kind === ValueKind.UnsupportedImmutable)
    return { path, reason: "a lazy immutable.js Seq/Range/Repeat (convert it to a List or Set)" };
  ancestors.add(obj);
  let found: Found | undefined;
  const visit = (child: unknown, seg: PathSegment): boolean => {
    found = search(child, [...path, seg], ancestors);
    return found === undefined;
  };
  if (kind === ValueKind.PlainObject) {
    for (const [k, child] of Object.entries(obj)) {
      if (child !== undefined && !visit(child, k)) break;
    }
  } else if (kind === ValueKind.Array) {
    // An index loop, not every(): holes in a sparse array are undefined elements too.
    const arr = obj as unknown[];
    for (let i = 0; i < arr.length && visit(arr[i], i); i++);
  } else if (kind === ValueKind.Record) {
    (obj as { toSeq(): Entries }).toSeq().forEach((child, k) => visit(child, k as string));
  } else {
    const keyed = kind === ValueKind.Map || kind === ValueKind.OrderedMap;
    let i = 0;
    (obj as Entries).forEach((child, k) => {
      if (keyed && !visit(k, { key: `key ${String(i)}` })) return false;
      return visit(child, keyed ? { key: k } : i++);
    });
  }
  ancestors.delete(obj);
  return found;
}

/** Builds the spec error for a value that the fingerprint walk rejected. */
export function explainInvalidValue(value: unknown, root = "state"): SpecError {
  let found: Found | undefined;
  try {
    found = search(value, [], new Set());
  } catch (e) {
    // The recursive search overflows the stack on a value nested thousands of levels deep.
    if (!(e instanceof RangeError)) throw e;
  }
  if (found === undefined) {
    return new SpecError("PMC001", `${root} is nested too deeply to be a state value`);
  }
  return new SpecError(
    "PMC001",
    `${formatPath(root, found.path)} is ${found.reason}, which cannot be part of a state`,
    "States hold primitives, bigint, null, plain arrays and objects, and immutable.js collections.",
  );
}

/** Throws a located spec error if `value` cannot be part of a state. */
export function assertStateValue(value: unknown, root = "state"): void {
  const found = search(value, [], new Set());
  if (found !== undefined) throw explainInvalidValue(value, root);
}
