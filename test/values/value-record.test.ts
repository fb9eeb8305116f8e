import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { is, Map as IMap, Record, Set as ISet } from "immutable";
import { valueRecord } from "../../src/index.ts";
import { fingerprintHex } from "../../src/values/fingerprint.ts";

const Msg = valueRecord<{ type: string; n: number }>({ type: "a", n: 0 }, "Msg");
const Other = valueRecord<{ type: string; n: number }>({ type: "a", n: 0 }, "Other");
const Plain = Record<{ type: string; n: number }>({ type: "a", n: 0 }, "Msg");

describe("valueRecord", () => {
  it("compares by value, like immutable's own records", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("a", "b", "c"),
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom("a", "b", "c"),
        fc.integer({ min: 0, max: 3 }),
        (t1, n1, t2, n2) => {
          const same = t1 === t2 && n1 === n2;
          expect(is(Msg({ type: t1, n: n1 }), Msg({ type: t2, n: n2 }))).toBe(same);
          expect(Msg({ type: t1, n: n1 }).equals(Msg({ type: t2, n: n2 }))).toBe(same);
          expect(is(Plain({ type: t1, n: n1 }), Plain({ type: t2, n: n2 }))).toBe(same);
        },
      ),
    );
  });

  it("keeps records of different types, numbers and strings apart in small and large sets", () => {
    for (const size of [3, 20]) {
      let s = ISet<unknown>();
      for (let n = 0; n < size; n++) {
        s = s.add(Msg({ n })).add(Other({ n })).add(n).add(`Msg#${n}`);
      }
      expect(s.size).toBe(4 * size);
      // Fresh, equal instances are found; values of another kind are not confused with them.
      expect(s.has(Msg({ n: 1 }))).toBe(true);
      expect(s.has(Other({ n: 2 }))).toBe(true);
      expect(s.has(Msg({ n: size }))).toBe(false);
      expect(s.add(Msg({ n: 0 })).size).toBe(4 * size);
    }
    expect(is(Msg({ n: 1 }), Other({ n: 1 }))).toBe(false);
  });

  it("gives every instance the same own properties in the same order, whatever is asked first", () => {
    // A record fingerprinted before it is hashed, one hashed first, one interned first: code
    // reading records must meet one object shape, not one per order of first use.
    const a = Msg({ type: "shape", n: 1 });
    fingerprintHex(a);
    a.hashCode();
    const b = Msg({ type: "shape", n: 2 });
    b.hashCode();
    fingerprintHex(b);
    const c = Msg({ type: "shape", n: 3 });
    c.valueOf();
    fingerprintHex(c);
    const keys = (r: object): unknown[] => Reflect.ownKeys(r).map(String);
    expect(keys(b)).toEqual(keys(a));
    expect(keys(c)).toEqual(keys(a));
  });

  it("works as a Map key and keeps its fingerprint and printed form", () => {
    const m = IMap<unknown, number>().set(Msg({ type: "b", n: 2 }), 7);
    expect(m.get(Msg({ type: "b", n: 2 }))).toBe(7);
    expect(fingerprintHex(Msg({ n: 1 }))).toBe(fingerprintHex(Msg({ n: 1 })));
    expect(fingerprintHex(Msg({ n: 1 }))).not.toBe(fingerprintHex(Msg({ n: 2 })));
    // Concatenation reads the record, as for immutable's records (valueOf is a symbol).
    const record: unknown = Msg({ type: "b", n: 3 });
    expect("sent " + (record as string)).toBe('sent Msg { type: "b", n: 3 }');
  });
});
