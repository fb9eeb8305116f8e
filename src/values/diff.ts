// What changed between two state values, so that a trace step can print only that.
//
// The walk descends while both sides are the same kind of collection: plain objects and Records
// by field, Maps by key, arrays, Lists and Stacks by index, and Sets by element (a Set change is
// reported at the Set's own path with the element as `before` (removed) or `after` (added), since
// an element has no path of its own). Anything else that differs is one "changed" entry.
// Set elements, Map keys and sequence elements are matched by fingerprint, so equal values in
// different insertion orders or different key orders are equal here too.
import { is, Record as ImmutableRecord } from "immutable";
import { fingerprintHex } from "./fingerprint.ts";
import { compareValues } from "./format.ts";
import type { PathSegment } from "./path.ts";
import { kindOf, ValueKind } from "./value-kind.ts";

export interface Change {
  readonly path: PathSegment[];
  readonly kind: "added" | "removed" | "changed";
  readonly before?: unknown;
  readonly after?: unknown;
}

// States are immutable (fingerprint freezes plain objects), so a fingerprint never goes stale.
const fpCache = new WeakMap<object, string>();

function fp(v: unknown): string {
  if (typeof v !== "object" || v === null) return fingerprintHex(v);
  let f = fpCache.get(v);
  if (f === undefined) {
    f = fingerprintHex(v);
    fpCache.set(v, f);
  }
  return f;
}

interface Each {
  forEach(fn: (v: unknown, k: unknown) => unknown): number;
  toArray(): unknown[];
}

function entries(c: unknown): [unknown, unknown][] {
  const out: [unknown, unknown][] = [];
  (c as Each).forEach((v, k) => {
    out.push([k, v]);
  });
  return out;
}

function byKey(a: [unknown, unknown], b: [unknown, unknown]): number {
  return compareValues(a[0], b[0]);
}

class Differ {
  readonly out: Change[] = [];

  walk(a: unknown, b: unknown, path: PathSegment[]): void {
    // Collections of the same kind are walked rather than fingerprinted whole: equal parts yield
    // no changes, and the walk stays linear in the size of the state.
    if (a === b) return;
    const ka = typeof a === "object" && a !== null ? kindOf(a) : undefined;
    const kb = typeof b === "object" && b !== null ? kindOf(b) : undefined;
    if (ka === undefined || ka !== kb) {
      if (!is(a, b)) this.changed(a, b, path); // is: NaN equals NaN, -0 equals 0
      return;
    }
    // Immutable.is ignores a Record's type, so Records check theirs first.
    if (ka !== ValueKind.Record && is(a, b)) return;
    switch (ka) {
      case ValueKind.PlainObject:
        return this.fields(a as Record<string, unknown>, b as Record<string, unknown>, path, true);
      case ValueKind.Record: {
        const ra = a as ImmutableRecord<object>;
        const rb = b as ImmutableRecord<object>;
        const sameType =
          ImmutableRecord.getDescriptiveName(ra) === ImmutableRecord.getDescriptiveName(rb) &&
          is(ra.toSeq().keySeq().toList(), rb.toSeq().keySeq().toList());
        if (!sameType) return this.changed(a, b, path);
        if (is(a, b)) return;
        return this.fields(
          ra.toObject() as Record<string, unknown>,
          rb.toObject() as Record<string, unknown>,
          path,
          false,
        );
      }
      case ValueKind.Map:
      case ValueKind.OrderedMap:
        return this.maps(entries(a), entries(b), ka === ValueKind.Map, path);
      case ValueKind.Set:
      case ValueKind.OrderedSet:
        return this.sets((a as Each).toArray(), (b as Each).toArray(), ka === ValueKind.Set, path);
      case ValueKind.Array:
        return this.sequences(a as unknown[], b as unknown[], path);
      case ValueKind.List:
      case ValueKind.Stack:
        return this.sequences((a as Each).toArray(), (b as Each).toArray(), path);
      default:
        return this.changed(a, b, path);
    }
  }

  changed(before: unknown, after: unknown, path: PathSegment[]): void {
    this.out.push({ path, kind: "changed", before, after });
  }

  // A key holding undefined is an absent key, as everywhere else in state values. Record fields
  // keep their declared order; plain-object keys are sorted, as their order is not part of the value.
  fields(
    a: Record<string, unknown>,
    b: Record<string, unknown>,
    path: PathSegment[],
    sort: boolean,
  ) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    if (sort) keys.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    for (const k of keys) {
      const va = a[k];
      const vb = b[k];
      if (va === undefined && vb === undefined) continue;
      if (va === undefined) this.out.push({ path: [...path, k], kind: "added", after: vb });
      else if (vb === undefined) this.out.push({ path: [...path, k], kind: "removed", before: va });
      else this.walk(va, vb, [...path, k]);
    }
  }

  maps(ea: [unknown, unknown][], eb: [unknown, unknown][], sort: boolean, path: PathSegment[]) {
    if (sort) {
      ea.sort(byKey);
      eb.sort(byKey);
    }
    // Keys are matched by value, not by identity (a plain-object key is a fresh object per run).
    const inB = new Map(eb.map((e) => [fp(e[0]), e]));
    const inA = new Set(ea.map((e) => fp(e[0])));
    for (const [k, v] of ea) {
      const other = inB.get(fp(k));
      if (other === undefined)
        this.out.push({ path: [...path, { key: k }], kind: "removed", before: v });
      else this.walk(v, other[1], [...path, { key: other[0] }]);
    }
    for (const [k, v] of eb) {
      if (!inA.has(fp(k))) this.out.push({ path: [...path, { key: k }], kind: "added", after: v });
    }
  }

  sets(a: unknown[], b: unknown[], sort: boolean, path: PathSegment[]): void {
    if (sort) {
      a.sort((x, y) => compareValues(x, y));
      b.sort((x, y) => compareValues(x, y));
    }
    const fa = new Set(a.map(fp));
    const fb = new Set(b.map(fp));
    for (const x of a) if (!fb.has(fp(x))) this.out.push({ path, kind: "removed", before: x });
    for (const x of b) if (!fa.has(fp(x))) this.out.push({ path, kind: "added", after: x });
  }

  // By index, unless the change is better explained as elements leaving or entering at the
  // front (a FIFO channel delivering its head, a Stack push): then it is those removals and
  // additions rather than every element "changed" one place over.
  sequences(a: readonly unknown[], b: readonly unknown[], path: PathSegment[]): void {
    const fa = a.map(fp);
    const fb = b.map(fp);
    const shift = bestShift(fa, fb);
    if (shift === 0) {
      const n = Math.min(a.length, b.length);
      for (let i = 0; i < n; i++) this.walk(a[i], b[i], [...path, i]);
      for (let i = n; i < a.length; i++)
        this.out.push({ path: [...path, i], kind: "removed", before: a[i] });
      for (let i = n; i < b.length; i++)
        this.out.push({ path: [...path, i], kind: "added", after: b[i] });
      return;
    }
    // a[i] is b[i - shift] in the overlap; everything outside it left or arrived.
    a.forEach((x, i) => {
      if (i - shift < 0 || i - shift >= b.length)
        this.out.push({ path: [...path, i], kind: "removed", before: x });
    });
    b.forEach((x, j) => {
      if (j + shift < 0 || j + shift >= a.length)
        this.out.push({ path: [...path, j], kind: "added", after: x });
    });
  }
}

// The alignment (a[i] ≡ b[i - shift]) with the fewest changes; 0 means compare by index.
function bestShift(fa: readonly string[], fb: readonly string[]): number {
  let mismatches = 0;
  for (let i = 0; i < Math.min(fa.length, fb.length); i++) if (fa[i] !== fb[i]) mismatches++;
  let best = 0;
  let bestCost = mismatches + Math.abs(fa.length - fb.length);
  for (let d = -fb.length + 1; d < fa.length; d++) {
    const lo = Math.max(0, d);
    const hi = Math.min(fa.length, fb.length + d);
    const cost = fa.length + fb.length - 2 * (hi - lo);
    if (d === 0 || hi <= lo || cost >= bestCost) continue;
    let ok = true;
    for (let i = lo; i < hi && ok; i++) ok = fa[i] === fb[i - d];
    if (ok) {
      best = d;
      bestCost = cost;
    }
  }
  return best;
}

/**
 * The changes that turn `before` into `after`, outermost paths first within each collection.
 * An empty array means the two values are equal.
 */
export function diffValues(before: unknown, after: unknown): Change[] {
  const d = new Differ();
  d.walk(before, after, []);
  return d.out;
}
