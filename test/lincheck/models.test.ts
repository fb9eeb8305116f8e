import { describe, expect, it } from "vitest";
import {
  HistoryError,
  checkLinearizability,
  historyFromOps,
  models,
  type Operation,
  type OpSpec,
} from "../../src/lincheck/index.ts";

/** One op, completed (or as given), for stepping a model directly. */
function op(spec: Partial<OpSpec> & Pick<OpSpec, "f">): Operation {
  return historyFromOps([{ process: 0, call: 0, ret: 1, ...spec }], "keep")[0]!;
}

describe("register", () => {
  const m = models.register;
  it("reads must match, writes always succeed, unknown outcomes are allowed", () => {
    expect(m.init()).toBe(null);
    expect(m.step(null, op({ f: "read", output: null }))).toEqual({ ok: true, next: null });
    expect(m.step(null, op({ f: "read", output: 1 })).ok).toBe(false);
    expect(m.step(3, op({ f: "read", ret: null }))).toEqual({ ok: true, next: 3 });
    expect(m.step(3, op({ f: "write", input: 4 }))).toEqual({ ok: true, next: 4 });
    expect(m.step(3, op({ f: "write", input: 4, ret: null }))).toEqual({ ok: true, next: 4 });
    expect(m.step(3, op({ f: "write", input: 4, status: "fail" }))).toEqual({ ok: true, next: 3 });
  });
  it('keeps 1 and "1" apart, compares arrays structurally', () => {
    expect(m.step(1, op({ f: "read", output: "1" })).ok).toBe(false);
    expect(m.step([1, [2]], op({ f: "read", output: [1, [2]] })).ok).toBe(true);
    expect(m.hash([1, [2]])).toBe(m.hash([1, [2]]));
  });
  it("has no cas", () => {
    expect(m.validate!(op({ f: "cas", input: [1, 2] }))).toBe(
      "register has no operation cas (expected read/write)",
    );
  });
});

describe("cas-register", () => {
  const m = models["cas-register"];
  it("cas succeeds iff the value matches; a failed cas proves it did not", () => {
    expect(m.step(1, op({ f: "cas", input: [1, 2] }))).toEqual({ ok: true, next: 2 });
    expect(m.step(3, op({ f: "cas", input: [1, 2] })).ok).toBe(false);
    expect(m.step(1, op({ f: "cas", input: [1, 2], ret: null }))).toEqual({ ok: true, next: 2 });
    expect(m.step(3, op({ f: "cas", input: [1, 2], ret: null })).ok).toBe(false);
    expect(m.step(3, op({ f: "cas", input: [1, 2], status: "fail" }))).toEqual({
      ok: true,
      next: 3,
    });
    expect(m.step(1, op({ f: "cas", input: [1, 2], status: "fail" })).ok).toBe(false);
    expect(m.step(null, op({ f: "cas", input: [null, 0] }))).toEqual({ ok: true, next: 0 });
  });
  it("rejects malformed cas inputs before searching", () => {
    const h = historyFromOps([{ process: 0, f: "cas", input: 5, call: 0, ret: 1 }]);
    expect(() => checkLinearizability(h, m)).toThrow(
      new HistoryError("op 0: cas expects [expected new] as input, got 5", 0),
    );
  });
});

describe("kv", () => {
  const m = models.kv;
  const run = (...ops: Operation[]) =>
    ops.reduce((st, o) => {
      const r = m.step(st, o);
      expect(r.ok).toBe(true);
      return r.next;
    }, m.init());

  it("gets see puts and appends per key; missing keys read as empty", () => {
    const st = run(
      op({ f: "put", key: "a", input: "x" }),
      op({ f: "append", key: "a", input: "y" }),
      op({ f: "append", key: "b", input: "z" }),
    );
    expect(m.showState!(st)).toBe('{"a" "xy", "b" "z"}');
    expect(m.step(st, op({ f: "get", key: "a", output: "xy" })).ok).toBe(true);
    expect(m.step(st, op({ f: "get", key: "a", output: "yx" })).ok).toBe(false);
    expect(m.step(st, op({ f: "get", key: "c", output: "" })).ok).toBe(true);
    expect(m.step(st, op({ f: "get", key: "c", output: "x" })).ok).toBe(false);
  });

  it("equal contents are equal states with equal hashes, whatever the path", () => {
    const a = run(
      op({ f: "append", key: "k", input: "x" }),
      op({ f: "append", key: "k", input: "y" }),
      op({ f: "put", key: "j", input: "1" }),
    );
    const b = run(op({ f: "put", key: "j", input: "1" }), op({ f: "put", key: "k", input: "xy" }));
    expect(m.equal(a, b)).toBe(true);
    expect(m.hash(a)).toBe(m.hash(b));
    const cleared = run(
      op({ f: "put", key: "k", input: "x" }),
      op({ f: "put", key: "k", input: "" }),
    );
    expect(m.equal(cleared, m.init())).toBe(true);
    expect(m.hash(cleared)).toBe(m.hash(m.init()));
    expect(
      m.equal(
        a,
        run(op({ f: "put", key: "k", input: "yx" }), op({ f: "put", key: "j", input: "1" })),
      ),
    ).toBe(false);
  });

  it("partitions by key, keeping history order", () => {
    const h = historyFromOps([
      { process: 0, f: "put", key: "a", input: "1", call: 0, ret: 1 },
      { process: 1, f: "get", key: "b", output: "", call: 2, ret: 3 },
      { process: 0, f: "get", key: "a", output: "1", call: 4, ret: 5 },
    ]);
    expect(m.partition!(h)).toEqual([[h[0], h[2]], [h[1]]]);
  });

  it("validates kinds, keys and value types", () => {
    expect(m.validate!(op({ f: "read" }))).toBe(
      "kv has no operation read (expected get/put/append)",
    );
    expect(m.validate!(op({ f: "get", output: "" }))).toBe("kv get needs a key");
    expect(m.validate!(op({ f: "put", key: "a", input: 3 }))).toBe("kv put needs a string value");
    expect(m.validate!(op({ f: "get", key: "a", output: null }))).toBe(
      "kv get must return a string, got nil",
    );
  });
});
