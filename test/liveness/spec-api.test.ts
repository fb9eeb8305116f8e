// How a spec's properties and fairness are compiled into a model, and the errors on misuse.
import { describe, expect, it } from "vitest";
import { buildModel, checkModel, defineSpec, SpecError } from "../../src/index.ts";
import { strong, weak } from "../../src/liveness/fairness.ts";
import { always, eventually, leadsTo } from "../../src/liveness/temporal.ts";

const base = defineSpec<{ readonly n: number }>()({
  init: () => ({ n: 0 }),
  actions: { Inc: (s) => (s.n < 2 ? { n: s.n + 1 } : null) },
  terminal: (s) => s.n === 2,
});
const build = (spec: typeof base) => buildModel(spec);

describe("spec properties and fairness", () => {
  it("compiles properties in order, sharing predicates, and always(p) into the invariants", () => {
    const done = (s: { n: number }): boolean => s.n === 2;
    const m = build(
      base.variant({
        properties: {
          Done: eventually(done),
          Small: always((s) => s.n < 5),
          Leads: leadsTo((s) => s.n === 1, done),
        },
        fairness: [weak("Inc"), strong("Inc", { each: true })],
      }),
    );
    expect(m.properties!.map((p) => [p.name, p.form])).toEqual([
      ["Done", "eventually"],
      ["Leads", "leadsTo"],
    ]);
    expect(m.properties![0]!.p).toBe(m.properties![1]!.q);
    expect(m.invariants.map((i) => i.name)).toEqual(["Small"]);
    // Inc has no domain: its instances are the action itself.
    expect(m.fairness).toEqual([
      { kind: "weak", action: 0, each: false },
      { kind: "strong", action: 0, each: false },
    ]);
    expect(m.stuttering).toBe("anywhere"); // TLA+ semantics unless the spec says otherwise
  });

  it("variants add properties by name and replace the fairness list", () => {
    const a = base.variant({ properties: { A: eventually(() => true) }, fairness: [weak("Inc")] });
    const b = a.variant({ properties: { B: eventually(() => true) }, fairness: [] });
    const m = build(b);
    expect(m.properties!.map((p) => p.name)).toEqual(["A", "B"]);
    expect(m.fairness).toEqual([]);
  });

  it("rejects fairness on an unknown action, naming the actions", () => {
    const bad = base.variant({ fairness: [weak("Incr")] });
    expect(() => build(bad)).toThrow(SpecError);
    expect(() => build(bad)).toThrow(/weak\("Incr"\) names no action/);
  });

  it("rejects a property that is not built with the temporal operators", () => {
    const bad = base.variant({ properties: { X: ((s: { n: number }) => s.n > 0) as never } });
    expect(() => build(bad)).toThrow(/property X is not a temporal property/);
  });

  it("reports a predicate that throws as a spec error", async () => {
    const bad = base.variant({
      properties: {
        Boom: eventually((s) => {
          if (s.n === 1) throw new Error("boom");
          return false;
        }),
      },
    });
    const r = await checkModel(build(bad));
    expect(r.kind).toBe("specError");
    if (r.kind !== "specError") return;
    expect(r.error.code).toBe("PMC002");
    expect(r.error.message).toContain("Boom");
  });

  it("rejects depth-first search with temporal properties", async () => {
    const m = build(base.variant({ properties: { A: eventually(() => true) } }));
    await expect(checkModel(m, { strategy: "dfs" })).rejects.toThrow(/breadth-first/);
  });
});
