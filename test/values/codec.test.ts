import fc from "fast-check";
import {
  List,
  Map as IMap,
  OrderedMap,
  OrderedSet,
  Record as IRecord,
  Set as ISet,
  Stack,
  isImmutable,
  isRecord,
} from "immutable";
import { describe, expect, it } from "vitest";
import { envelope } from "../../src/actors/envelope.ts";
import { StateDecoder } from "../../src/values/codec-decode.ts";
import { StateEncoder } from "../../src/values/codec-encode.ts";
import { HEADER_BYTES } from "../../src/values/codec-format.ts";
import { isTrieMap, isTrieSet } from "../../src/values/collection-shape.ts";
import { fingerprint } from "../../src/values/fingerprint.ts";
import { RecordTypeError } from "../../src/values/record-registry.ts";
import { valueRecord } from "../../src/values/value-record.ts";

const Point = valueRecord({ x: 0, y: 0 }, "CodecTestPoint");
const Pair = valueRecord<{ a: unknown; b: unknown }>({ a: null, b: null }, "CodecTestPair");
const Plain = IRecord({ p: 0, q: "" }, "CodecTestPlain");

function roundTrip<T>(values: readonly T[]): T[] {
  const enc = new StateEncoder(64);
  for (const v of values) enc.encode(v);
  const dec = new StateDecoder(Buffer.from(enc.bytes()));
  const out: T[] = [];
  while (!dec.done) out.push(dec.decode() as T);
  return out;
}

/** The same bytes, as if another process had written them (record types found by name). */
function foreign(bytes: Uint8Array): Buffer {
  const b = Buffer.from(bytes);
  b.fill(0, 1, HEADER_BYTES);
  return b;
}

interface Iter {
  forEach(fn: (v: unknown, k: unknown) => unknown): number;
}

function entriesOf(c: unknown): [unknown, unknown][] {
  const out: [unknown, unknown][] = [];
  const it = isRecord(c) ? (c.toSeq() as unknown as Iter) : (c as Iter);
  it.forEach((v, k) => {
    out.push([k, v]);
  });
  return out;
}

/**
 * Walks two values side by side: same prototypes, same frozenness, same keys and entries in
 * the same iteration order, same trie-ness of immutable Maps and Sets.
 */
function expectSameShape(a: unknown, b: unknown, path = "value"): void {
  if (typeof a !== "object" || a === null) {
    // -0 and 0 are one state value (see fingerprint.ts). A decoded value record is the
    // instance the spec first made of its value, which may hold the other zero.
    expect(Object.is(a, b) || (a === 0 && b === 0), path).toBe(true);
    return;
  }
  expect(typeof b, path).toBe("object");
  const bo = b as object;
  expect(Object.getPrototypeOf(bo) === Object.getPrototypeOf(a), `${path}: prototype`).toBe(true);
  expect(Object.isFrozen(bo), `${path}: frozen`).toBe(Object.isFrozen(a));
  if (isRecord(a)) {
    const keys = Object.getOwnPropertyNames(a).filter((k) => k !== "_values" && k !== "__ownerID");
    expect(Object.getOwnPropertyNames(bo).filter((k) => keys.includes(k))).toEqual(keys);
  }
  if (IMap.isMap(a) && !OrderedMap.isOrderedMap(a))
    expect(isTrieMap(bo as never)).toBe(isTrieMap(a));
  if (ISet.isSet(a) && !OrderedSet.isOrderedSet(a))
    expect(isTrieSet(bo as never)).toBe(isTrieSet(a));
  if (isImmutable(a)) {
    const ea = entriesOf(a);
    const eb = entriesOf(bo);
    expect(eb.length, `${path}: size`).toBe(ea.length);
    ea.forEach(([k, v], i) => {
      expectSameShape(k, eb[i]![0], `${path} key ${i}`);
      expectSameShape(v, eb[i]![1], `${path}[${i}]`);
    });
    return;
  }
  const ka = Object.keys(a);
  expect(Object.keys(bo), `${path}: keys`).toEqual(ka);
  for (const k of ka) {
    expectSameShape(
      (a as Record<string, unknown>)[k],
      (bo as Record<string, unknown>)[k],
      `${path}.${k}`,
    );
  }
}

// Keys of Sets and Maps: "Aa" and "BB" have the same immutable hash, so strings built from
// them collide, and exercise the hash trie's collision nodes.
const collidingString = fc
  .array(fc.constantFrom("Aa", "BB"), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join(""));
const keyArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -40, max: 40 }),
  collidingString,
  fc.string({ maxLength: 3 }),
  fc
    .tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }))
    .map(([x, y]) => Point({ x, y })),
  fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }).map((a) => List(a)),
);

/** A Set built by adds and removals, so that it may be a trie of few entries. */
const setArb = fc
  .tuple(fc.array(keyArb, { maxLength: 24 }), fc.array(fc.nat(), { maxLength: 24 }))
  .map(([adds, removals]) => {
    let s = ISet<unknown>(adds);
    const items = s.toArray();
    for (const r of removals) if (items.length > 0) s = s.remove(items[r % items.length]);
    return s;
  });

const mapArb = (value: fc.Arbitrary<unknown>): fc.Arbitrary<IMap<unknown, unknown>> =>
  fc
    .tuple(
      fc.array(fc.tuple(keyArb, value), { maxLength: 20 }),
      fc.array(fc.nat(), { maxLength: 20 }),
    )
    .map(([adds, removals]) => {
      let m = IMap<unknown, unknown>(adds);
      const keys = [...m.keys()];
      for (const r of removals) if (keys.length > 0) m = m.remove(keys[r % keys.length]);
      return m;
    });

const leafArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.integer({ min: 0, max: 200 }),
  fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 0.5, 2 ** 40, -(2 ** 53), 2 ** 31, -(2 ** 31)),
  fc.double(),
  fc.string(),
  fc.string({ unit: "binary", maxLength: 6 }),
  fc.constantFrom("\uD800", "a\uDC00b", "é", "日本", ""),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }),
  fc.boolean(),
  fc.constant(null),
);

const { value: valueArb } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leafArb,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.array(tie("value"), { maxLength: 4 }).map((a) => Object.freeze(a)),
    fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(tie("value"), fc.constant(undefined)), {
      maxKeys: 4,
    }),
    fc
      .dictionary(fc.constantFrom("a", "b", "1", "0", "__proto__"), tie("value"), { maxKeys: 3 })
      .map((d) => Object.assign(Object.create(null) as object, d)),
    fc
      .dictionary(fc.string({ maxLength: 2 }), tie("value"), { maxKeys: 3 })
      .map((d) => Object.freeze(d)),
    fc.array(tie("value"), { maxLength: 4 }).map((a) => List(a)),
    fc.array(tie("value"), { maxLength: 3 }).map((a) => Stack(a)),
    setArb,
    mapArb(tie("value")),
    fc.array(fc.tuple(keyArb, tie("value")), { maxLength: 4 }).map((e) => OrderedMap(e)),
    fc.array(keyArb, { maxLength: 6 }).map((a) => OrderedSet(a)),
    fc.tuple(tie("value"), tie("value")).map(([a, b]) => Pair({ a, b })),
    fc.tuple(fc.integer(), fc.string({ maxLength: 3 })).map(([p, q]) => Plain({ p, q })),
    fc.tuple(fc.string({ maxLength: 2 }), tie("value")).map(([to, msg]) => envelope("p1", to, msg)),
  ),
}));

describe("state codec", () => {
  it("decodes to a value with the same fingerprint, prototypes and iteration order", () => {
    fc.assert(
      fc.property(fc.array(valueArb, { minLength: 1, maxLength: 4 }), (values) => {
        const back = roundTrip(values);
        expect(back.length).toBe(values.length);
        values.forEach((v, i) => {
          expect(fingerprint(back[i])).toEqual(fingerprint(v));
          expectSameShape(v, back[i]);
        });
      }),
      { numRuns: 400 },
    );
  });

  it("rebuilds Sets and Maps that keep iterating alike after further updates", () => {
    const updates = fc.array(fc.tuple(fc.boolean(), keyArb), { maxLength: 30 });
    fc.assert(
      fc.property(setArb, mapArb(fc.integer()), updates, (s, m, ops) => {
        let [s1] = roundTrip([s]) as [ISet<unknown>];
        let [m1] = roundTrip([m]) as [IMap<unknown, unknown>];
        let s0 = s;
        let m0 = m;
        for (const [add, k] of ops) {
          s0 = add ? s0.add(k) : s0.remove(k);
          s1 = add ? s1.add(k) : s1.remove(k);
          m0 = add ? m0.set(k, 1) : m0.remove(k);
          m1 = add ? m1.set(k, 1) : m1.remove(k);
          expectSameShape(s0, s1);
          expectSameShape(m0, m1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("keeps the order of a trie Set of many colliding strings built with removals", () => {
    const words: string[] = [];
    for (let i = 0; i < 64; i++) {
      words.push([0, 1, 2, 3, 4, 5].map((b) => ((i >> b) & 1 ? "Aa" : "BB")).join(""));
    }
    let s = ISet<unknown>([...words, ...Array.from({ length: 40 }, (_, i) => i)]);
    for (let i = 0; i < 90; i += 3) s = s.remove(i < 64 ? words[i] : i - 64);
    const [back] = roundTrip([s]);
    expect(s.size).toBeGreaterThan(8);
    expectSameShape(s, back);
    let small = s;
    for (const x of s.toArray().slice(5)) small = small.remove(x);
    expect(small.size).toBe(5);
    expect(isTrieSet(small)).toBe(true);
    const [smallBack] = roundTrip([small]) as [ISet<unknown>];
    expectSameShape(small, smallBack);
    expectSameShape(small.add("x").add(words[0]), smallBack.add("x").add(words[0]));
  });

  it("writes strings and shared objects once per batch, and decodes sharing", () => {
    const shared = ISet([Point({ x: 1 }), Point({ x: 2 })]);
    const states = Array.from({ length: 100 }, (_, i) => ({ phase: "working", n: i, shared }));
    const enc = new StateEncoder();
    for (const s of states) enc.encode(s);
    expect(enc.byteLength).toBeLessThan(100 * 12);
    const back = roundTrip(states);
    expect(back[5]!.shared).toBe(back[6]!.shared);
  });

  it("decodes a valueRecord to the instance this process already uses for its value", () => {
    const used = Point({ x: 7, y: 1 });
    expect(used.valueOf()).toBeTypeOf("symbol");
    const copy = Point({ x: 7, y: 1 });
    const [back] = roundTrip<unknown>([{ m: ISet([copy]), n: Pair({ a: used, b: 2 }) }]) as [
      { m: ISet<unknown>; n: { a: unknown } },
    ];
    // The first instance met of the value, not a fresh one, nor the copy that was encoded.
    expect(back.m.first()).toBe(used);
    expect(back.n.a).toBe(used);
    const [fresh] = roundTrip([Point({ x: 8, y: 8 })]);
    expect(fresh).toEqual(Point({ x: 8, y: 8 }));
    expect(roundTrip([Point({ x: 8, y: 8 })])[0]).toBe(fresh);
    // -0 and 0 are one value: the instance first made of it stands for both.
    const negativeZero = Point({ x: -0, y: 9 });
    expect(negativeZero.valueOf()).toBeTypeOf("symbol");
    expect(roundTrip([Point({ x: 0, y: 9 })])[0]).toBe(negativeZero);
  });

  it("rebuilds records with their own factories, found by name in another process", () => {
    const enc = new StateEncoder();
    enc.encode({ p: Point({ x: 3 }), q: Plain({ p: 2 }) });
    const dec = new StateDecoder(foreign(enc.bytes()));
    const v = dec.decode() as { p: unknown; q: unknown };
    expect(Object.getPrototypeOf(v.p)).toBe(Object.getPrototypeOf(Point()));
    expect(Object.getPrototypeOf(v.q)).toBe(Object.getPrototypeOf(Plain()));
  });

  it("refuses a record name this process does not know, or knows twice, naming it", () => {
    const Unknown = IRecord({ u: 0 }, "CodecTestNeverRegistered");
    const enc = new StateEncoder();
    enc.encode(Unknown({ u: 1 }));
    const bytes = Buffer.from(enc.bytes());
    // Renamed in the bytes to a name no type has: as a restart before the spec loaded.
    const renamed = foreign(
      Buffer.from(bytes.toString("latin1").replace("NeverRegistered", "NeverRegisterXX"), "latin1"),
    );
    expect(() => new StateDecoder(renamed).decode()).toThrow(RecordTypeError);
    expect(() => new StateDecoder(renamed).decode()).toThrow(/"CodecTestNeverRegisterXX"/);

    const Twin1 = valueRecord({ t: 0 }, "CodecTestTwin");
    const Twin2 = valueRecord({ t: 0 }, "CodecTestTwin");
    const enc2 = new StateEncoder();
    enc2.encode([Twin1({ t: 1 }), Twin2({ t: 2 })]);
    // This process tells them apart...
    const [local] = roundTrip([[Twin1({ t: 1 }), Twin2({ t: 2 })]]) as [object[]];
    expect(Object.getPrototypeOf(local[1])).toBe(Object.getPrototypeOf(Twin2()));
    // ...another could not.
    expect(() => new StateDecoder(foreign(enc2.bytes())).decode()).toThrow(
      /2 different record types are named "CodecTestTwin"/,
    );
  });

  it("rejects what cannot be part of a state, with the path", () => {
    const enc = new StateEncoder();
    expect(() => enc.encode({ a: [1, () => 2] })).toThrow(/state\.a\[1\] is a function/);
  });
});
