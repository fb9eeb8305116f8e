import { List, Map, OrderedMap, Record, Set, Stack } from "immutable";
import { describe, expect, it } from "vitest";
import { diffValues, type Change } from "../../src/values/diff.ts";
import { formatValue } from "../../src/values/format.ts";
import { formatPath } from "../../src/values/path.ts";

// One line per change, as a trace printer would show it.
function show(changes: Change[]): string[] {
  return changes.map((c) => {
    const at = formatPath("s", c.path);
    if (c.kind === "added") return `${at} + ${formatValue(c.after)}`;
    if (c.kind === "removed") return `${at} - ${formatValue(c.before)}`;
    return `${at}: ${formatValue(c.before)} → ${formatValue(c.after)}`;
  });
}
const diff = (a: unknown, b: unknown) => show(diffValues(a, b));

const Msg = Record({ type: "prepare", from: 0 }, "Msg");
const Other = Record({ type: "prepare", from: 0 }, "Other");

describe("diffValues", () => {
  it("is empty for equal values, whatever the order", () => {
    expect(diffValues({ a: 1, b: Set([1, 2]) }, { b: Set([2, 1]), a: 1 })).toEqual([]);
    expect(diffValues(Map([[{ k: 1 }, [1]]]), Map([[{ k: 1 }, [1]]]))).toEqual([]);
    expect(diffValues(NaN, NaN)).toEqual([]);
    expect(diffValues({ a: 1, b: undefined }, { a: 1 })).toEqual([]);
  });

  it("reports changed, added and removed fields of objects", () => {
    expect(diffValues({ a: 1, b: 2, c: 3 }, { a: 1, b: 5, d: 4 })).toEqual([
      { path: ["b"], kind: "changed", before: 2, after: 5 },
      { path: ["c"], kind: "removed", before: 3 },
      { path: ["d"], kind: "added", after: 4 },
    ]);
  });

  it("descends into nested collections", () => {
    const before = {
      rm: Map([
        ["r1", { phase: "working", n: 0 }],
        ["r2", { phase: "working", n: 0 }],
      ]),
      tm: "init",
    };
    const after = {
      rm: Map([
        ["r2", { phase: "prepared", n: 0 }],
        ["r1", { phase: "working", n: 0 }],
      ]),
      tm: "init",
    };
    expect(diff(before, after)).toEqual(['s.rm.get("r2").phase: "working" → "prepared"']);
  });

  it("reports map keys added and removed, matching keys by value", () => {
    expect(
      diff(
        Map([
          [{ id: 1 }, "a"],
          [{ id: 2 }, "b"],
        ]),
        Map([
          [{ id: 2 }, "c"],
          [{ id: 3 }, "d"],
        ]),
      ),
    ).toEqual(['s.get({…}) - "a"', 's.get({…}): "b" → "c"', 's.get({…}) + "d"']);
    expect(
      diff(
        OrderedMap([["x", 1]]),
        OrderedMap([
          ["x", 2],
          ["w", 0],
        ]),
      ),
    ).toEqual(['s.get("x"): 1 → 2', 's.get("w") + 0']);
  });

  it("reports set elements added and removed at the set's path", () => {
    expect(diff({ votes: Set([1, 2, 3]) }, { votes: Set([4, 3, 2]) })).toEqual([
      "s.votes - 1",
      "s.votes + 4",
    ]);
    expect(diff(Set([{ a: 1 }]), Set([{ a: 1 }, { a: 2 }]))).toEqual(["s + { a: 2 }"]);
  });

  it("reports message sets of Records", () => {
    const before = { msgs: Set([Msg({ from: 1 }), Msg({ from: 2 })]) };
    const after = { msgs: Set([Msg({ from: 2 }), Msg({ type: "commit" })]) };
    expect(diff(before, after)).toEqual([
      's.msgs - Msg{type: "prepare", from: 1}',
      's.msgs + Msg{type: "commit", from: 0}',
    ]);
  });

  it("compares arrays and Lists by index", () => {
    expect(diff([1, 2, 3], [1, 5, 3, 4])).toEqual(["s[1]: 2 → 5", "s[3] + 4"]);
    expect(diff(List([1, 2, 3]), List([1]))).toEqual(["s[1] - 2", "s[2] - 3"]);
    expect(diff([1, 1], [1, 2])).toEqual(["s[1]: 1 → 2"]);
  });

  it("sees a delivered head and a pushed top as removals and additions", () => {
    expect(diff({ ch: ["m1", "m2", "m3"] }, { ch: ["m2", "m3", "m4"] })).toEqual([
      's.ch[0] - "m1"',
      's.ch[2] + "m4"',
    ]);
    expect(diff(Stack([1, 2]), Stack([0, 1, 2]))).toEqual(["s[0] + 0"]);
  });

  it("reports Record fields in declared order, and a change of Record type as a whole", () => {
    expect(diff(Msg({ from: 1 }), Msg({ type: "ack", from: 2 }))).toEqual([
      's.type: "prepare" → "ack"',
      "s.from: 1 → 2",
    ]);
    expect(diff(Msg(), Other())).toEqual([
      's: Msg{type: "prepare", from: 0} → Other{type: "prepare", from: 0}',
    ]);
  });

  it("reports a change of kind as a whole", () => {
    expect(diff({ x: [1] }, { x: List([1]) })).toEqual(["s.x: [1] → List[1]"]);
    expect(diff({ x: 1 }, { x: 1n })).toEqual(["s.x: 1 → 1n"]);
    expect(diff(1, "1")).toEqual(['s: 1 → "1"']);
  });
});
