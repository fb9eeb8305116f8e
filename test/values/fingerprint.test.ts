// Properties of the 64-bit structural fingerprints: value equality ⇔ fingerprint equality
// (whatever the key order of objects or the insertion order of sets and maps), type tags,
// collision-freedom on a large sample, stability across processes (golden values), and a
// cache on immutable collections that never goes stale.
import fc from "fast-check";
import { List, Map as IMap, OrderedMap, OrderedSet, Record, Set as ISet, Stack } from "immutable";
import { describe, expect, it } from "vitest";
import { fingerprint, fingerprintHex, SpecError } from "../../src/index.ts";
import { formatValue } from "../../src/values/format.ts";
import {
  fingerprintSuccessorInto,
  setFingerprintBase,
  unchangedSinceBase,
} from "../../src/values/fingerprint.ts";

// ---------------------------------------------------------------------------------------------
// A description of a state value, from which the value is built (as many times as needed, each
// time as a fresh object graph) and a canonical text computed: the reference for equality.

type Key = { t: "int"; v: number } | { t: "str"; v: string } | { t: "klist"; items: number[] };

type Tree =
  | Key
  | { t: "num"; v: number }
  | { t: "big"; v: bigint }
  | { t: "bool"; v: boolean }
  | { t: "null" }
  | { t: "arr"; items: Tree[] }
  | { t: "obj"; entries: [string, Tree | { t: "undef" }][] }
  | { t: "list"; items: Tree[] }
  | { t: "stack"; items: Tree[] }
  | { t: "set"; items: Key[] }
  | { t: "oset"; items: Key[] }
  | { t: "map"; entries: [Key, Tree][] }
  | { t: "omap"; entries: [Key, Tree][] }
  | { t: "rec"; a: Tree; b: Tree }
  | { t: "rec2"; a: Tree; b: Tree };

const Pair = Record<{ a: unknown; b: unknown }>({ a: null, b: null }, "Pair");
// Same fields, different record type.
const Other = Record<{ a: unknown; b: unknown }>({ a: null, b: null }, "Other");

/** Canonical text of a tree: equal values, and only they, have equal texts. */
function canon(t: Tree | { t: "undef" }): string {
  switch (t.t) {
    case "int":
    case "num":
      return Number.isNaN(t.v) ? "n:NaN" : `n:${Object.is(t.v, -0) ? 0 : t.v}`;
    case "str":
      return `s:${JSON.stringify(t.v)}`;
    case "big":
      return `b:${t.v}`;
    case "bool":
      return `${t.v}`;
    case "null":
      return "null";
    case "undef":
      return "undef";
    case "klist":
      return `List[${t.items.map((v) => canon({ t: "int", v })).join(",")}]`;
    case "arr":
      return `[${t.items.map(canon).join(",")}]`;
    case "list":
      return `List[${t.items.map(canon).join(",")}]`;
    case "stack":
      return `Stack[${t.items.map(canon).join(",")}]`;
    case "obj": {
      const fields = t.entries
        .filter(([, v]) => v.t !== "undef")
        .map(([k, v]) => `${JSON.stringify(k)}:${canon(v)}`);
      return `{${fields.sort().join(",")}}`;
    }
    case "set":
      return `Set{${[...new Set(t.items.map(canon))].sort().join(",")}}`;
    case "oset":
      return `OSet{${[...new Set(t.items.map(canon))].join(",")}}`;
    case "map":
      return `Map{${t.entries
        .map(([k, v]) => `${canon(k)}=>${canon(v)}`)
        .sort()
        .join(",")}}`;
    case "omap":
      return `OMap{${t.entries.map(([k, v]) => `${canon(k)}=>${canon(v)}`).join(",")}}`;
    case "rec":
      return `Pair{${canon(t.a)},${canon(t.b)}}`;
    case "rec2":
      return `Other{${canon(t.a)},${canon(t.b)}}`;
  }
}

/** A permutation source: builds insert the entries of unordered collections in its order. */
type Shuffle = <T>(xs: readonly T[]) => T[];

function seededShuffle(seed: number): Shuffle {
  let s = seed | 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) | 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
  return (xs) => {
    const out = xs.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
}

function build(t: Tree | { t: "undef" }, shuffle: Shuffle): unknown {
  const b = (x: Tree): unknown => build(x, shuffle);
  switch (t.t) {
    case "int":
    case "num":
    case "str":
    case "big":
    case "bool":
      return t.v;
    case "null":
      return null;
    case "undef":
      return undefined;
    case "klist":
      return List(t.items);
    case "arr":
      return t.items.map(b);
    case "list":
      return List(t.items.map(b));
    case "stack":
      return Stack(t.items.map(b));
    case "obj": {
      const o: { [key: string]: unknown } = {};
      for (const [k, v] of shuffle(t.entries)) o[k] = build(v, shuffle);
      return o;
    }
    case "set":
      return ISet(shuffle(t.items).map(b));
    case "oset":
      return OrderedSet(t.items.map(b));
    case "map":
      return IMap(shuffle(t.entries).map(([k, v]) => [b(k), b(v)] as const));
    case "omap":
      return OrderedMap(t.entries.map(([k, v]) => [b(k), b(v)] as const));
    case "rec":
      return Pair({ a: b(t.a), b: b(t.b) });
    case "rec2":
      return Other({ a: b(t.a), b: b(t.b) });
  }
}

// Small domains, so that independently generated trees are sometimes equal.
const keyArb: fc.Arbitrary<Key> = fc.oneof(
  fc.integer({ min: -2, max: 3 }).map((v) => ({ t: "int" as const, v })),
  fc.constantFrom("a", "b", "ab", "").map((v) => ({ t: "str" as const, v })),
  fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 2 }).map((items) => ({
    t: "klist" as const,
    items,
  })),
);
const uniqueKeys = <V>(value: fc.Arbitrary<V>): fc.Arbitrary<[Key, V][]> =>
  fc.uniqueArray(fc.tuple(keyArb, value), { maxLength: 4, selector: ([k]) => canon(k) });

const { tree: treeArb } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    keyArb,
    fc
      .oneof(fc.double(), fc.constantFrom(0, -0, NaN, 0.5, 2 ** 40, -1))
      .map((v) => ({ t: "num" as const, v })),
    fc.bigInt({ min: -3n, max: 3n }).map((v) => ({ t: "big" as const, v })),
    fc.boolean().map((v) => ({ t: "bool" as const, v })),
    fc.constant({ t: "null" as const }),
    fc.array(tie("tree"), { maxLength: 4 }).map((items) => ({ t: "arr" as const, items })),
    fc
      .uniqueArray(
        fc.tuple(
          fc.constantFrom("a", "b", "c", "0", "key with space"),
          fc.oneof(tie("tree"), fc.constant({ t: "undef" as const })),
        ),
        { maxLength: 4, selector: ([k]) => k },
      )
      .map((entries) => ({ t: "obj" as const, entries })),
    fc.array(tie("tree"), { maxLength: 4 }).map((items) => ({ t: "list" as const, items })),
    fc.array(tie("tree"), { maxLength: 3 }).map((items) => ({ t: "stack" as const, items })),
    fc.array(keyArb, { maxLength: 5 }).map((items) => ({ t: "set" as const, items })),
    fc.array(keyArb, { maxLength: 4 }).map((items) => ({ t: "oset" as const, items })),
    uniqueKeys(tie("tree")).map((entries) => ({ t: "map" as const, entries })),
    uniqueKeys(tie("tree")).map((entries) => ({ t: "omap" as const, entries })),
    fc.tuple(tie("tree"), tie("tree")).map(([a, b]) => ({ t: "rec" as const, a, b })),
    fc.tuple(tie("tree"), tie("tree")).map(([a, b]) => ({ t: "rec2" as const, a, b })),
  ),
}));

const identity: Shuffle = (xs) => xs.slice();

describe("fingerprint: equal values have equal fingerprints", () => {
  it("for values built independently, in any key and insertion order", () => {
    fc.assert(
      fc.property(treeArb, fc.integer(), fc.integer(), (t, s1, s2) => {
        const a = build(t, seededShuffle(s1));
        const b = build(t, seededShuffle(s2));
        expect(fingerprintHex(a)).toBe(fingerprintHex(b));
        expect(fingerprint(a)).toEqual(fingerprint(b));
        // Fingerprinting again (immutable collections are now cached) changes nothing.
        expect(fingerprintHex(a)).toBe(fingerprintHex(build(t, identity)));
      }),
      { numRuns: 400 },
    );
  });

  it("and only equal values do (against a canonical text as the reference)", () => {
    fc.assert(
      fc.property(treeArb, treeArb, (t1, t2) => {
        const same = canon(t1) === canon(t2);
        expect(fingerprintHex(build(t1, identity)) === fingerprintHex(build(t2, identity))).toBe(
          same,
        );
      }),
      { numRuns: 1500 },
    );
  });

  it("reordered object keys and insertion orders of Set and Map give equal fingerprints", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        fc.integer(),
        (keys, seed) => {
          const shuffled = seededShuffle(seed)(keys);
          const obj = (ks: string[]) => Object.fromEntries(ks.map((k, i) => [k, [i, k]]));
          // Same entries (value [index in `keys`, key]), inserted in two orders.
          const o1 = obj(keys);
          const o2: { [key: string]: unknown } = {};
          for (const k of shuffled) o2[k] = [keys.indexOf(k), k];
          expect(fingerprintHex(o2)).toBe(fingerprintHex(o1));
          expect(fingerprintHex(ISet(shuffled))).toBe(fingerprintHex(ISet(keys)));
          const m1 = IMap(keys.map((k, i) => [k, i] as const));
          const m2 = IMap(shuffled.map((k) => [k, keys.indexOf(k)] as const));
          expect(fingerprintHex(m2)).toBe(fingerprintHex(m1));
        },
      ),
    );
  });

  it("order matters for arrays, List, Stack, OrderedSet and OrderedMap", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: -50, max: 50 }), { minLength: 2, maxLength: 8 }),
        fc.integer(),
        (xs, seed) => {
          const ys = seededShuffle(seed)(xs);
          const sameOrder = xs.every((x, i) => x === ys[i]);
          const differ = (f: (v: number[]) => unknown): void => {
            expect(fingerprintHex(f(xs)) === fingerprintHex(f(ys))).toBe(sameOrder);
          };
          differ((v) => v);
          differ((v) => List(v));
          differ((v) => Stack(v));
          differ((v) => OrderedSet(v));
          differ((v) => OrderedMap(v.map((x) => [x, 1] as const)));
          differ((v) => OrderedMap(v.map((x, i) => [i, x] as const)));
          // ...but not for Set and Map.
          expect(fingerprintHex(ISet(ys))).toBe(fingerprintHex(ISet(xs)));
          expect(fingerprintHex(IMap(ys.map((x) => [x, 1] as const)))).toBe(
            fingerprintHex(IMap(xs.map((x) => [x, 1] as const))),
          );
        },
      ),
    );
  });
});

describe("fingerprint: type tags and special values", () => {
  // Rest parameters of type unknown: an array literal mixing immutable.js types would make
  // TypeScript compare those (huge) types with each other, which takes seconds.
  const distinct = (...values: unknown[]): void => {
    const hexes = values.map(fingerprintHex);
    expect(new Set(hexes).size).toBe(values.length);
  };

  it("keeps kinds apart", () => {
    distinct([1], List([1]), ISet([1]), OrderedSet([1]), Stack([1]), { 0: 1 }, IMap([[0, 1]]));
    distinct(1, "1", 1n, true, 1.5, [1], null, "null", "true", 0, false, "", [], {});
    distinct([], {}, List(), ISet(), IMap(), OrderedSet(), OrderedMap(), Stack(), Pair());
    distinct(IMap({ a: 1 }), OrderedMap({ a: 1 }), { a: 1 }, Pair({ a: 1 }), Other({ a: 1 }));
    distinct([1, 2], [2, 1], [[1, 2]], [1, [2]], [[1], 2], [12], ["1", 2], [1, "2"]);
    distinct({ a: 1, b: 2 }, { a: 2, b: 1 }, { a: 1 }, { b: 2 }, { a: [1, 2] }, { ab: 1 });
    distinct("ab", "ba", "a", "b", "a\u0000", "\u0000a", "aa");
    distinct(-1n, 1n, 0n, 2n ** 64n, -(2n ** 64n), 2 ** 64);
    distinct(2 ** 31, -(2 ** 31), 2 ** 31 - 1, 2 ** 32, 0.1, 0.2, 1e-300);
  });

  it("treats 0 and -0 as equal, and NaN as equal to NaN", () => {
    expect(fingerprintHex(-0)).toBe(fingerprintHex(0));
    expect(fingerprintHex([-0, { a: -0 }])).toBe(fingerprintHex([0, { a: 0 }]));
    expect(fingerprintHex(NaN)).toBe(fingerprintHex(Number.NaN));
    expect(fingerprintHex(NaN)).toBe(fingerprintHex(0 / 0));
    expect(fingerprintHex(ISet([NaN, 1]))).toBe(fingerprintHex(ISet([1, NaN])));
    expect(fingerprintHex(NaN)).not.toBe(fingerprintHex(0));
    expect(fingerprintHex(Infinity)).not.toBe(fingerprintHex(-Infinity));
    // An integer-valued double is the integer.
    expect(fingerprintHex(1.0)).toBe(fingerprintHex(1));
  });

  it("treats a key holding undefined as an absent key", () => {
    expect(fingerprintHex({ a: undefined })).toBe(fingerprintHex({}));
    expect(fingerprintHex({ a: 1, b: undefined })).toBe(fingerprintHex({ a: 1 }));
    expect(fingerprintHex([{ x: undefined, y: [] }])).toBe(fingerprintHex([{ y: [] }]));
    expect(fingerprintHex({ a: null })).not.toBe(fingerprintHex({}));
  });

  it("accepts objects without a prototype as plain objects", () => {
    const bare = Object.assign(Object.create(null) as { [key: string]: unknown }, { a: 1 });
    expect(fingerprintHex(bare)).toBe(fingerprintHex({ a: 1 }));
  });

  it("rejects what cannot be part of a state with PMC001 and the path", () => {
    const reject = (v: unknown, message: string): void => {
      let error: unknown;
      try {
        fingerprint(v);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SpecError);
      expect((error as SpecError).code).toBe("PMC001");
      expect((error as SpecError).message).toBe(
        message.includes("nested too deeply")
          ? message
          : `${message}, which cannot be part of a state`,
      );
    };
    reject(() => 1, "state is a function");
    reject(undefined, "state is undefined (use null, or leave the key out of the object)");
    reject({ a: [0, { f: Symbol("s") }] }, "state.a[1].f is a symbol");
    reject(ISet([List([1, () => 1])]), "state[0][1] is a function");
    // A map key has no access path of its own: the path names the entry's position.
    expect(() => fingerprint(IMap([[{ k: () => 1 }, 1]]))).toThrow(
      /^state\.get\(.*0.*\)\.k is a function, which cannot be part of a state$/,
    );
    reject(Pair({ a: 1, b: new Date(0) }), "state.b is an instance of class Date");
    // Deep nesting is fine up to a bound; beyond it, a spec error (not a stack overflow).
    const nest = (levels: number): unknown => {
      let v: unknown = 0;
      for (let i = 0; i < levels; i++) v = i % 2 === 0 ? [v] : { next: v };
      return v;
    };
    expect(fingerprintHex(nest(1000))).toMatch(/^[0-9a-f]{16}$/);
    for (const levels of [2500, 10_000]) {
      reject(nest(levels), "state is nested too deeply to be a state value");
    }
  });
});

describe("fingerprint: no collisions on a large sample of distinct values", () => {
  it("gives 200,000+ distinct small values distinct fingerprints", () => {
    const values: unknown[] = [];
    for (let i = -25_000; i < 25_000; i++) values.push(i);
    for (let i = 0; i < 10_000; i++) values.push(i + 0.5, i * 1e-3 + 1e6);
    for (let i = 0; i < 20_000; i++) values.push(String(i));
    for (let i = 0; i < 5_000; i++) values.push(BigInt(i) - 2500n);
    // Pairs in arrays and objects: combinations that a weak combiner would confuse.
    for (let i = 0; i < 150; i++) {
      for (let j = 0; j < 150; j++) {
        values.push([i, j]);
        values.push({ a: i, b: j });
      }
    }
    // All 2-subsets of 0..199 and 3-subsets of 0..39: sums of element hashes must not collide.
    for (let i = 0; i < 200; i++) for (let j = i + 1; j < 200; j++) values.push(ISet([i, j]));
    for (let i = 0; i < 40; i++)
      for (let j = i + 1; j < 40; j++)
        for (let k = j + 1; k < 40; k++) values.push(ISet([i, j, k]));
    for (let i = 0; i < 10_000; i++) {
      values.push({ k: [i % 100, { s: `x${Math.floor(i / 100)}` }] });
      values.push(List([i % 10, Math.floor(i / 10)]));
      values.push(IMap([[`p${i % 50}`, Math.floor(i / 50)]]));
    }
    for (let i = 0; i < 5_000; i++) values.push(Pair({ a: i % 70, b: Math.floor(i / 70) }));
    expect(values.length).toBeGreaterThan(200_000);

    // The sample really is of distinct values (so that the check below means something).
    const texts = new Set(values.map((v) => formatValue(v)));
    expect(texts.size).toBe(values.length);

    const seen = new Set<string>();
    for (const v of values) seen.add(fingerprintHex(v));
    expect(seen.size).toBe(values.length);
  });
});

describe("fingerprint: stability across processes", () => {
  // Computed once and pinned: trace files and checkpoints store fingerprints, so a change of
  // the hash function must be deliberate (and must come with a new checkpoint format version;
  // trace files are matched by their states' text when fingerprints differ).
  const golden: [string, unknown, string][] = [];
  // One call per value (not one array literal): see `distinct` above.
  const pin = (name: string, value: unknown, hex: string): void => {
    golden.push([name, value, hex]);
  };
  pin("0", 0, "fa8d9a45347cf7c4");
  pin("-0", -0, "fa8d9a45347cf7c4");
  pin("1", 1, "29aec5d5f0e84dbf");
  pin("-1", -1, "9869a530f22f86be");
  pin("1.5", 1.5, "90ea9617a96c6a3b");
  pin("2 ** 40", 2 ** 40, "413f7c97a2621cc4");
  pin("NaN", NaN, "5a5353fb26567d78");
  pin('""', "", "948271d8b0dc8aa1");
  pin('"abc"', "abc", "32e4fb40d5b2e1ec");
  pin('"x" * 100', "x".repeat(100), "7074a5e290c4ee4d");
  pin("10n", 10n, "017310f03d729ad9");
  pin("-10n", -10n, "54e2e3fa44358baa");
  pin("true", true, "41f0e85a108c940b");
  pin("false", false, "7175dca460d49010");
  pin("null", null, "6fe6870fda4e977a");
  pin("[]", [], "a8d284c44f90dd99");
  pin("{}", {}, "c3466bccd5a43b24");
  pin("[1, 2, 3]", [1, 2, 3], "1c3c7f2f08e53f0b");
  pin('{ a: 1, b: "x" }', { a: 1, b: "x" }, "cddacb3368191f41");
  pin("List([1, 2])", List([1, 2]), "b2e80c3571992dfa");
  pin("Set([1, 2])", ISet([1, 2]), "89bb95057b895438");
  pin("Map({ a: 1 })", IMap({ a: 1 }), "191ac101ed3f6b9e");
  pin("OrderedSet([2, 1])", OrderedSet([2, 1]), "8cf8a7e0810db338");
  pin("OrderedMap({ b: 2, a: 1 })", OrderedMap({ b: 2, a: 1 }), "1a31628b7f076e0f");
  pin("Stack([1, 2])", Stack([1, 2]), "a4bd7a5584615991");
  pin(
    "nested",
    { procs: [{ id: 0, phase: "working" }], msgs: ISet([List(["ack", 1])]) },
    "b7aee7fba4e0f0ef",
  );

  it.each(golden)("%s", (_name, value, hex) => {
    expect(fingerprintHex(value)).toBe(hex);
    expect(fingerprint(value)).toEqual({
      hi: parseInt(hex.slice(0, 8), 16),
      lo: parseInt(hex.slice(8), 16),
    });
  });

  it("a record (its type name and fields are part of the fingerprint)", () => {
    const Msg = Record({ type: "prepare", from: 0 }, "Msg");
    expect(fingerprintHex(Msg({ from: 3 }))).toBe("7dc08dec218bfd11");
    // Same fields and values, another type name.
    const Msg2 = Record({ type: "prepare", from: 0 }, "Msg2");
    expect(fingerprintHex(Msg2({ from: 3 }))).not.toBe("7dc08dec218bfd11");
  });
});

describe("fingerprint: the cache on immutable collections never goes stale", () => {
  it("a collection built with withMutations matches one built directly", () => {
    const set = ISet<number>().withMutations((m) => {
      m.add(1);
      fingerprint(m);
      m.add(2);
      fingerprint(m);
      m.add(3);
    });
    expect(fingerprintHex(set)).toBe(fingerprintHex(ISet([1, 2, 3])));

    const list = List<number>([1, 2]).withMutations((l) => {
      fingerprint(l);
      l.push(3);
      fingerprint(l);
      l.set(0, 9);
    });
    expect(fingerprintHex(list)).toBe(fingerprintHex(List([9, 2, 3])));

    const map = IMap<string, unknown>().withMutations((m) => {
      m.set("a", List([1]));
      fingerprint(m);
      m.set("b", 2);
      fingerprint(m);
      m.delete("a");
    });
    expect(fingerprintHex(map)).toBe(fingerprintHex(IMap({ b: 2 })));

    const omap = OrderedMap<string, number>().withMutations((m) => {
      m.set("x", 1);
      fingerprint(m);
      m.set("y", 2);
    });
    expect(fingerprintHex(omap)).toBe(fingerprintHex(OrderedMap({ x: 1, y: 2 })));

    const rec = Pair({ a: 1, b: 2 }).withMutations((r) => {
      fingerprint(r);
      r.set("b", 3);
    });
    expect(fingerprintHex(rec)).toBe(fingerprintHex(Pair({ a: 1, b: 3 })));
  });

  it("asMutable / asImmutable, and updates of a collection already fingerprinted", () => {
    const m = ISet<number>().asMutable();
    m.add(1);
    fingerprint(m);
    m.add(2);
    expect(fingerprintHex(m.asImmutable())).toBe(fingerprintHex(ISet([1, 2])));

    const base = IMap<string, number>({ a: 1 });
    const baseHex = fingerprintHex(base);
    const next = base.withMutations((x) => x.set("b", 2));
    expect(fingerprintHex(next)).toBe(fingerprintHex(IMap({ a: 1, b: 2 })));
    expect(fingerprintHex(base.set("a", 5))).toBe(fingerprintHex(IMap({ a: 5 })));
    expect(fingerprintHex(base)).toBe(baseHex);
    // The same collection inside a plain object (which is never cached) is seen through.
    const holder = { s: base };
    const before = fingerprintHex(holder);
    holder.s = next;
    expect(fingerprintHex(holder)).not.toBe(before);
    expect(fingerprintHex(holder)).toBe(fingerprintHex({ s: IMap({ b: 2, a: 1 }) }));
  });

  it("a plain array inside a state is walked again after a change", () => {
    const arr = [1, 2];
    const state = { arr };
    const before = fingerprintHex(state);
    arr.push(3);
    expect(fingerprintHex(state)).not.toBe(before);
    expect(fingerprintHex(state)).toBe(fingerprintHex({ arr: [1, 2, 3] }));
  });
});

describe("fingerprintSuccessorInto: incremental fingerprints of successors", () => {
  const full = (v: unknown): string => fingerprintHex(v);
  const incremental = (base: unknown, v: unknown): string => {
    const out = new Uint32Array(2);
    setFingerprintBase(base);
    fingerprintSuccessorInto(v, out, 0);
    return out[0]!.toString(16).padStart(8, "0") + out[1]!.toString(16).padStart(8, "0");
  };
  const fieldsArb = fc.uniqueArray(
    fc.tuple(fc.constantFrom("a", "b", "c", "d", "e"), fc.oneof(treeArb, fc.constant(undefined))),
    { maxLength: 5, selector: ([k]) => k },
  );

  it("equals the full fingerprint whatever fields the successor keeps, replaces, adds or drops", () => {
    fc.assert(
      fc.property(
        fieldsArb,
        fc.array(fc.tuple(fc.nat(), fc.oneof(treeArb, fc.constant(undefined)), fc.boolean())),
        fc.integer(),
        (fields, edits, seed) => {
          const parent: { [key: string]: unknown } = {};
          for (const [k, t] of fields) parent[k] = t === undefined ? undefined : build(t, identity);
          // The successor shares the parent's untouched fields by reference, as a spread does.
          const keys = ["a", "b", "c", "d", "e"];
          const entries = new Map(Object.entries(parent));
          for (const [i, t, drop] of edits) {
            const k = keys[i % keys.length]!;
            if (drop) entries.delete(k);
            else entries.set(k, t === undefined ? undefined : build(t, identity));
          }
          const succ = Object.fromEntries(seededShuffle(seed)([...entries]));
          expect(incremental(parent, succ)).toBe(full(succ));
          expect(incremental(parent, parent)).toBe(full(parent));
        },
      ),
    );
  });

  it("equals the full fingerprint when an array field is copied with elements replaced", () => {
    fc.assert(
      fc.property(
        fc.array(treeArb, { maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(), treeArb)),
        fc.boolean(),
        (items, replaced, grow) => {
          const parent = { a: items.map((t) => build(t, identity)), b: "x" };
          const a = parent.a.slice();
          for (const [i, t] of replaced) {
            if (a.length > 0) a[i % a.length] = build(t, identity);
          }
          if (grow) a.push(1);
          const succ = { ...parent, a };
          expect(incremental(parent, succ)).toBe(full(succ));
          // Elements shared by reference, array copied: still the same value.
          expect(incremental(parent, { ...parent, a: parent.a.slice() })).toBe(full(parent));
        },
      ),
    );
  });

  it("gives the full fingerprints from bases made one after another, each from the last", () => {
    // Parents as a search meets them: each is the last one with some fields replaced, array
    // fields copied with some elements replaced, and the rest shared by reference.
    const editArb = fc.tuple(
      fc.nat(),
      fc.nat(),
      treeArb,
      fc.constantFrom("field", "element", "grow"),
    );
    fc.assert(
      fc.property(
        fc.array(treeArb, { minLength: 1, maxLength: 4 }),
        fc.array(fc.array(editArb, { maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        (items, steps) => {
          let parent: { [key: string]: unknown } = {
            a: items.map((t) => build(t, identity)),
            b: "x",
            c: [1, 2, 3],
          };
          const keys = ["a", "b", "c"];
          for (const edits of steps) {
            const next = { ...parent };
            for (const [k, i, t, kind] of edits) {
              const key = keys[k % keys.length]!;
              const old = next[key];
              if (kind === "field" || !Array.isArray(old)) next[key] = build(t, identity);
              else if (kind === "grow") next[key] = [...(old as unknown[]), build(t, identity)];
              else if (old.length > 0) {
                const copy = (old as unknown[]).slice();
                copy[i % copy.length] = build(t, identity);
                next[key] = copy;
              }
            }
            parent = next;
            const f = fingerprint(parent);
            setFingerprintBase(parent);
            expect(unchangedSinceBase(parent, f.hi, f.lo)).toBe(true);
            expect(unchangedSinceBase(parent, f.hi, f.lo ^ 1)).toBe(false);
            const succ = { ...parent, b: "y" };
            expect(incremental(parent, succ)).toBe(full(succ));
          }
        },
      ),
    );
  });

  it("sees a base changed in place after it was set", () => {
    const make = () => ({ a: [1, { p: 2 }], b: { c: [3] }, d: ISet([4]) });
    const changes: ((s: ReturnType<typeof make>) => void)[] = [
      (s) => void (s.a[0] = 5),
      (s) => void s.a.push(6),
      (s) => void ((s.a[1] as { p: number }).p = 7),
      (s) => void (s.b.c[0] = 8),
      (s) => void ((s as { b: unknown }).b = { c: [4] }),
      (s) => void ((s as { e?: number }).e = 1),
      (s) => void delete (s as { d?: unknown }).d,
    ];
    for (const change of changes) {
      const s = make();
      const f = fingerprint(s);
      setFingerprintBase(s);
      expect(unchangedSinceBase(s, f.hi, f.lo)).toBe(true);
      change(s);
      expect(unchangedSinceBase(s, f.hi, f.lo)).toBe(false);
    }
    // Equal values in place of the recorded ones are no change: a field replaced by an equal
    // copy, a getter that builds its value afresh.
    const copied = make();
    const fc1 = fingerprint(copied);
    setFingerprintBase(copied);
    (copied as { b: unknown }).b = { c: [3] };
    expect(unchangedSinceBase(copied, fc1.hi, fc1.lo)).toBe(true);
    const withGetter = {
      n: 1,
      get pair(): number[] {
        return [this.n, this.n];
      },
    };
    const fg = fingerprint(withGetter);
    setFingerprintBase(withGetter);
    expect(unchangedSinceBase(withGetter, fg.hi, fg.lo)).toBe(true);
    // A state other than the base is fingerprinted in full.
    const other = make();
    const f = fingerprint(other);
    expect(unchangedSinceBase(other, f.hi, f.lo)).toBe(true);
    other.a[0] = 9;
    expect(unchangedSinceBase(other, f.hi, f.lo)).toBe(false);
  });

  it("falls back to the full walk for states that are not plain objects", () => {
    expect(incremental([1, 2], [1, 3])).toBe(full([1, 3]));
    expect(incremental({ a: 1 }, ISet([1]))).toBe(full(ISet([1])));
    expect(incremental(IMap({ a: 1 }), { a: 1 })).toBe(full({ a: 1 }));
  });

  it("still rejects an invalid value in a replaced field, naming its path", () => {
    const parent = { a: 1, b: [1, 2] };
    const out = new Uint32Array(2);
    setFingerprintBase(parent);
    expect(() => fingerprintSuccessorInto({ ...parent, b: [1, () => 2] }, out, 0)).toThrow(
      /b\[1\]/,
    );
    expect(() => fingerprintSuccessorInto({ ...parent, b: [1, undefined] }, out, 0)).toThrow(
      /b\[1\]/,
    );
  });
});
