// Differential tests: the memoised searches must agree exactly with the brute-force reference
// on random small histories, for every model, for linearizability and sequential consistency.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkLinearizability,
  checkSequentialConsistency,
  models,
  type History,
} from "../../src/lincheck/index.ts";
import { coarsen, historyArb } from "./arbitraries.ts";
import { bruteForce, type RefModelName } from "./reference.ts";

const MODELS: readonly RefModelName[] = ["register", "cas-register", "kv"];
const RUNS = { numRuns: 300, seed: 20240611 };

function verdict(r: { ok: boolean | "unknown" }): boolean | "unknown" {
  return r.ok;
}

describe.each(MODELS)("%s", (name) => {
  const model = models[name];

  it("linearizability agrees with brute force", () => {
    fc.assert(
      fc.property(historyArb(name), (h: History) => {
        expect(verdict(checkLinearizability(h, model))).toBe(bruteForce(h, name, "real-time"));
      }),
      RUNS,
    );
  });

  it("linearizability agrees with brute force when not partitioned", () => {
    fc.assert(
      fc.property(historyArb(name), (h: History) => {
        const r = checkLinearizability(h, model, { partition: false });
        expect(verdict(r)).toBe(bruteForce(h, name, "real-time"));
      }),
      RUNS,
    );
  });

  it("linearizability agrees with brute force when events share positions", () => {
    fc.assert(
      fc.property(historyArb(name).map(coarsen), (h: History) => {
        expect(verdict(checkLinearizability(h, model))).toBe(bruteForce(h, name, "real-time"));
      }),
      RUNS,
    );
  });

  it("sequential consistency agrees with brute force", () => {
    fc.assert(
      fc.property(historyArb(name), (h: History) => {
        expect(verdict(checkSequentialConsistency(h, model))).toBe(bruteForce(h, name, "program"));
      }),
      RUNS,
    );
  });

  it("a linearizable history is sequentially consistent", () => {
    fc.assert(
      fc.property(historyArb(name), (h: History) => {
        if (checkLinearizability(h, model).ok === true) {
          expect(checkSequentialConsistency(h, model).ok).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it("a failure's explanation is a legal prefix followed by an op that cannot run", () => {
    fc.assert(
      fc.property(historyArb(name), (h: History) => {
        const r = checkLinearizability(h, model);
        if (r.ok !== false) return;
        let st = model.init();
        for (const op of r.explanation.prefix) {
          const s = model.step(st, op);
          expect(s.ok).toBe(true);
          st = s.next;
        }
        expect(model.equal(st, r.explanation.state)).toBe(true);
        expect(r.explanation.prefix).not.toContain(r.explanation.blocked);
        expect(r.explanation.blocked.status).not.toBe("info");
      }),
      RUNS,
    );
  });

  // Guards the generator: a differential test over histories that are all linearizable (or
  // all not) would prove little.
  it("the generator yields both verdicts often", () => {
    const sample = fc.sample(historyArb(name), { numRuns: 300, seed: 7 });
    const lin = sample.filter((h) => bruteForce(h, name, "real-time")).length;
    const sc = sample.filter((h) => bruteForce(h, name, "program")).length;
    expect(lin).toBeGreaterThan(50);
    expect(lin).toBeLessThan(240);
    expect(sc).toBeGreaterThan(lin);
    expect(sample.filter((h) => h.length >= 6).length).toBeGreaterThan(100);
    expect(sample.filter((h) => h.some((op) => op.status === "info")).length).toBeGreaterThan(30);
  });
});
