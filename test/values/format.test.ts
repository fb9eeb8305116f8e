import { List, Map, OrderedMap, OrderedSet, Record, Set, Stack } from "immutable";
import { describe, expect, it } from "vitest";
import { compareValues, formatValue, formatValueMultiline } from "../../src/values/format.ts";

const Msg = Record({ type: "prepare", from: 0 }, "Msg");
const Anon = Record({ a: 1 });

describe("formatValue", () => {
  it("renders primitives", () => {
    expect(formatValue(3)).toBe("3");
    expect(formatValue(-0)).toBe("0");
    expect(formatValue(1.5)).toBe("1.5");
    expect(formatValue(NaN)).toBe("NaN");
    expect(formatValue(5n)).toBe("5n");
    expect(formatValue(true)).toBe("true");
    expect(formatValue(null)).toBe("null");
    expect(formatValue("a b")).toBe('"a b"');
    expect(formatValue("n1")).toBe('"n1"');
  });

  it("prints identifier-like strings bare only when asked", () => {
    const args = ["n1", "a b", "1", "true", "", "ok_2"];
    expect(formatValue(args, { bareStrings: true })).toBe('[n1, "a b", "1", "true", "", ok_2]');
    expect(formatValue(args)).toBe('["n1", "a b", "1", "true", "", "ok_2"]');
  });

  it("renders arrays and objects with sorted keys", () => {
    expect(formatValue([1, [2, 3], []])).toBe("[1, [2, 3], []]");
    expect(formatValue({ b: "x", a: 1, "c d": null, gone: undefined })).toBe(
      '{ a: 1, b: "x", "c d": null }',
    );
    expect(formatValue({})).toBe("{}");
  });

  it("renders immutable collections", () => {
    expect(formatValue(Set([10, 2, "a", 1n]))).toBe('Set{1n, 2, 10, "a"}');
    expect(formatValue(Set())).toBe("Set{}");
    expect(formatValue(OrderedSet([3, 1]))).toBe("OrderedSet{3, 1}");
    expect(
      formatValue(
        Map<string, unknown>([
          ["b", 2],
          ["a", Set([1])],
        ]),
      ),
    ).toBe('Map{"a" ↦ Set{1}, "b" ↦ 2}');
    expect(
      formatValue(
        OrderedMap([
          ["b", 2],
          ["a", 1],
        ]),
      ),
    ).toBe('OrderedMap{"b" ↦ 2, "a" ↦ 1}');
    expect(formatValue(List([1, 2]))).toBe("List[1, 2]");
    expect(formatValue(Stack([1, 2]))).toBe("Stack[1, 2]");
    expect(formatValue(Msg({ from: 2 }))).toBe('Msg{type: "prepare", from: 2}');
    expect(formatValue(Anon())).toBe("Record{a: 1}");
  });

  it("does not depend on insertion order", () => {
    const a = Set([Msg({ from: 2 }), Msg({ from: 1 }), Msg({ type: "commit" })]);
    const b = Set([Msg({ type: "commit" }), Msg({ from: 1 }), Msg({ from: 2 })]);
    expect(formatValue(a)).toBe(formatValue(b));
    expect(formatValue(a)).toBe(
      'Set{Msg{type: "commit", from: 0}, Msg{type: "prepare", from: 1}, Msg{type: "prepare", from: 2}}',
    );
  });

  it("cuts long output when asked", () => {
    expect(formatValue([1, 2, 3, 4, 5], { maxLength: 8 })).toBe("[1, 2, …");
  });

  it("never throws on values that are not state values", () => {
    expect(formatValue(() => 1)).toBe("<function anonymous>");
    expect(formatValue(new Date(0))).toBe("<Date>");
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(formatValue(cyclic)).toMatch(/…/);
  });
});

describe("compareValues", () => {
  it("orders by kind, then numerically or by text", () => {
    const xs = ["b", 10, null, 2n, true, [1], "a", false, 1.5];
    expect(xs.sort((a, b) => compareValues(a, b))).toEqual([
      null,
      false,
      true,
      1.5,
      2n,
      10,
      "a",
      "b",
      [1],
    ]);
  });
});

describe("formatValueMultiline", () => {
  const state = {
    procs: Map([
      [1, { phase: "working", votes: Set([3, 1, 2]) }],
      [2, { phase: "prepared", votes: Set() }],
    ]),
    queue: List([1, 2]),
  };

  it("keeps what fits on one line", () => {
    expect(formatValueMultiline({ a: 1 }, 4)).toBe("{ a: 1 }");
  });

  it("breaks collections that do not fit, indented from the given column", () => {
    expect(formatValueMultiline(state, 2, { width: 50 })).toBe(
      [
        "{",
        "    procs: Map{",
        "      1 ↦ {",
        '        phase: "working",',
        "        votes: Set{1, 2, 3}",
        "      },",
        '      2 ↦ { phase: "prepared", votes: Set{} }',
        "    },",
        "    queue: List[1, 2]",
        "  }",
      ].join("\n"),
    );
  });
});
