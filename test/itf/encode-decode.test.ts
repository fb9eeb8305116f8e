import fc from "fast-check";
import { List, Map, OrderedMap, OrderedSet, Record, Set, Stack } from "immutable";
import { describe, expect, it } from "vitest";
import { SpecError } from "../../src/errors/spec-error.ts";
import { decodeState, decodeValue } from "../../src/itf/decode.ts";
import { canonicalJson, encodeState, encodeValue } from "../../src/itf/encode.ts";
import { fingerprint } from "../../src/values/fingerprint.ts";

// Canonical values: exactly what decoding produces, so a round trip must preserve fingerprints.
const { value: canonical } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    tie("leaf"),
    tie("array"),
    tie("object"),
    tie("set"),
    tie("map"),
  ),
  leaf: fc.oneof(
    fc.integer(),
    fc.maxSafeInteger(),
    fc.double(), // includes NaN, ±Infinity, -0 and non-integers
    fc.bigInt(),
    fc.string(),
    fc.string({ unit: "binary" }),
    fc.constantFrom("#set", "##x", "#meta", "__proto__"),
    fc.boolean(),
    fc.constant(null),
  ),
  array: fc.array(tie("value"), { maxLength: 4 }),
  object: fc.dictionary(
    fc.oneof(fc.string(), fc.constantFrom("#set", "#meta", "##x", "__proto__", "1", "a b")),
    tie("value"),
    { maxKeys: 4 },
  ),
  set: fc.array(tie("value"), { maxLength: 4 }).map((xs) => Set(xs)),
  map: fc.array(fc.tuple(tie("value"), tie("value")), { maxLength: 4 }).map((es) => Map(es)),
}));

const same = (a: unknown, b: unknown) => expect(fingerprint(a)).toEqual(fingerprint(b));

describe("encodeValue", () => {
  it("maps each kind of value to its ITF form", () => {
    const Msg = Record({ type: "ping", to: 0 }, "Msg");
    const state = {
      n: 3,
      big: 2n ** 70n,
      small: 5n,
      f: 0.5,
      inf: -Infinity,
      s: "x",
      b: true,
      nil: null,
      arr: [1, [2]],
      list: List([1, 2]),
      stack: Stack([1, 2]),
      set: Set(["b", "a"]),
      oset: OrderedSet([2, 1]),
      map: Map([
        [2, "two"],
        [1, "one"],
      ]),
      omap: OrderedMap([
        ["z", 1],
        ["a", 2],
      ]),
      msg: Msg({ to: 2 }),
      gone: undefined,
    };
    expect(encodeValue(state)).toEqual({
      n: 3,
      big: { "#bigint": "1180591620717411303424" },
      small: { "#bigint": "5" },
      f: 0.5,
      inf: { "#number": "-Infinity" },
      s: "x",
      b: true,
      nil: null,
      arr: [1, [2]],
      list: [1, 2],
      stack: [1, 2],
      set: { "#set": ["a", "b"] },
      oset: { "#set": [2, 1] },
      map: {
        "#map": [
          [1, "one"],
          [2, "two"],
        ],
      },
      omap: {
        "#map": [
          ["z", 1],
          ["a", 2],
        ],
      },
      msg: { to: 2, type: "ping" },
    });
  });

  it("sorts object keys and escapes keys that start with #", () => {
    expect(JSON.stringify(encodeValue({ b: 1, a: 2, "#set": 3 }))).toBe('{"##set":3,"a":2,"b":1}');
    expect(decodeValue(encodeValue({ "#set": [1] }))).toEqual({ "#set": [1] });
  });

  it("names the path of a part that cannot be in a state", () => {
    const bad = { procs: Map([[1, { timer: () => 0 }]]) };
    expect(() => encodeValue(bad, "state")).toThrow(SpecError);
    expect(() => encodeValue(bad, "state")).toThrow(/state\.procs\.get\(1\)\.timer is a function/);
    expect(() => encodeValue([1, undefined])).toThrow(/value\[1\] is undefined/);
    // eslint-disable-next-line no-sparse-arrays
    expect(() => encodeValue([1, , 3])).toThrow(SpecError);
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(() => encodeValue(cyclic)).toThrow(/cycle/);
  });
});

describe("round trip", () => {
  it("decodeValue(encodeValue(v)) has v's fingerprint and re-encodes identically", () => {
    fc.assert(
      fc.property(canonical, (v) => {
        const json = encodeValue(v);
        const text = JSON.stringify(json);
        const back = decodeValue(JSON.parse(text));
        same(back, v);
        expect(JSON.stringify(encodeValue(back))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it("Lists, Stacks and Records come back as arrays and objects with the same encoding", () => {
    const P = Record({ id: 0, log: List<number>() }, "P");
    const v = { ps: List([P({ id: 1, log: List([3]) })]), st: Stack(["a"]) };
    const back = decodeValue(encodeValue(v));
    expect(back).toEqual({ ps: [{ id: 1, log: [3] }], st: ["a"] });
    expect(canonicalJson(back)).toBe(canonicalJson(v));
  });

  it("decoded values are frozen plain values and immutable collections", () => {
    const back = decodeValue({ a: [1, { "#tup": [2, "x"] }], s: { "#set": [] } }) as {
      a: unknown[];
      s: unknown;
    };
    expect(Object.isFrozen(back)).toBe(true);
    expect(Object.isFrozen(back.a)).toBe(true);
    expect(back.a[1]).toEqual([2, "x"]);
    expect(Set.isSet(back.s)).toBe(true);
  });
});

describe("canonical order", () => {
  it("does not depend on the insertion order of Sets and Maps", () => {
    fc.assert(
      fc.property(fc.array(canonical, { maxLength: 8 }), (xs) => {
        expect(canonicalJson(Set(xs))).toBe(canonicalJson(Set([...xs].reverse())));
        const m = Map(xs.map((x, i) => [x, i]));
        const reversed = Map([...m.entries()].reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(m));
      }),
    );
    expect(Set([1, 2, 3]).toArray()).not.toEqual(Set([3, 2, 1]).toArray());
    expect(canonicalJson(Set([1, 2, 3]))).toBe(canonicalJson(Set([3, 2, 1])));
  });

  it("does not depend on the key order of plain objects", () => {
    expect(canonicalJson({ a: 1, b: Set([{ y: 1, x: 2 }]) })).toBe(
      canonicalJson({ b: Set([{ x: 2, y: 1 }]), a: 1 }),
    );
  });
});

describe("decodeValue errors", () => {
  const message = (json: unknown, root = "value") => {
    try {
      decodeValue(json, root);
    } catch (e) {
      expect(e).toBeInstanceOf(SpecError);
      expect((e as SpecError).code).toBe("PMC007");
      return (e as Error).message;
    }
    throw new Error("expected decodeValue to throw");
  };

  it("names the JSON path of the malformed part", () => {
    expect(message({ msgs: { "#set": [1, 2, { "#bigint": "1.5" }] } }, "states[3]")).toBe(
      'states[3].msgs["#set"][2]["#bigint"]: expected a decimal integer string, got string "1.5"',
    );
    expect(message({ m: { "#map": [[1, 2], [3]] } })).toBe(
      'value.m["#map"][1]: a map entry must be a [key, value] pair',
    );
    expect(message({ "a b": { "#sett": [] } })).toBe('value["a b"]: unknown ITF form "#sett"');
    expect(message({ "#set": [], x: 1 })).toBe('value: "#set" must be the only key of its object');
    expect(message({ "#tup": 3 })).toBe(
      'value["#tup"]: a tuple must be a JSON array, got number 3',
    );
    expect(message([{ "#unserializable": "<fn>" }])).toMatch(/^value\[0\]\["#unserializable"\]: /);
  });
});

describe("encodeState / decodeState", () => {
  it("uses an object state's keys as the variables", () => {
    const e = encodeState({ votes: Set([2, 1]), phase: "init", opt: undefined });
    expect(e).toEqual({
      vars: ["phase", "votes"],
      fields: { phase: "init", votes: { "#set": [1, 2] } },
      shape: "object",
    });
    const back = decodeState({ "#meta": { index: 0 }, ...e.fields }, e.shape);
    same(back, { phase: "init", votes: Set([1, 2]) });
  });

  it("puts any other state under the variable `state`", () => {
    const e = encodeState(Set([1]));
    expect(e).toEqual({ vars: ["state"], fields: { state: { "#set": [1] } }, shape: "value" });
    same(decodeState(e.fields, "value"), Set([1]));
    // The shape keeps the state 5 apart from the state { state: 5 }.
    expect(decodeState({ state: 5 }, "value")).toBe(5);
    expect(decodeState({ state: 5 }, "object")).toEqual({ state: 5 });
  });

  it("reports malformed states with their path", () => {
    expect(() => decodeState({ x: { "#bigint": 1 } }, "object", "states[2]")).toThrow(
      'states[2].x["#bigint"]: expected a decimal integer string, got number 1',
    );
    expect(() => decodeState({}, "value", "states[0]")).toThrow(
      'states[0]: the variable "state" is missing',
    );
  });
});
