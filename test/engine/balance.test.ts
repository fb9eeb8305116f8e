import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planBalance } from "../../src/engine/parallel/balance.ts";

describe("planBalance", () => {
  it("leaves every worker at most its share, moving only surplus winners", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 5 })
          .chain((workers) =>
            fc.tuple(
              fc.constant(workers),
              fc.array(fc.integer({ min: 0, max: workers - 1 }), { maxLength: 300 }),
            ),
          ),
        ([workers, owners]) => {
          const owner = Uint8Array.from(owners);
          const plan = planBalance(owner, workers, 1);
          const share = Math.ceil(owner.length / workers);
          const loads = new Array<number>(workers).fill(0);
          for (const w of plan.owner) loads[w]!++;
          for (const load of loads) expect(load).toBeLessThanOrEqual(share);
          // Each move is listed once, from the old owner to the new, in increasing order.
          const moved = new Set<number>();
          plan.moves.forEach((row, from) =>
            row.forEach((list, to) => {
              expect(list).toEqual([...list].sort((a, b) => a - b));
              for (const j of list) {
                expect(owner[j]).toBe(from);
                expect(plan.owner[j]).toBe(to);
                moved.add(j);
              }
            }),
          );
          for (let j = 0; j < owner.length; j++) {
            expect(moved.has(j)).toBe(owner[j] !== plan.owner[j]);
          }
          // Only workers above their share give states away.
          const before = new Array<number>(workers).fill(0);
          for (const w of owner) before[w]!++;
          plan.moves.forEach((row, from) => {
            if (row.some((l) => l.length > 0)) expect(before[from]!).toBeGreaterThan(share);
          });
        },
      ),
    );
  });

  it("moves nothing below the minimum surplus", () => {
    const owner = Uint8Array.from([0, 0, 0, 0, 1]);
    expect(planBalance(owner, 2, 64).owner).toBe(owner);
    expect(planBalance(owner, 2, 1).owner).toEqual(Uint8Array.from([0, 0, 0, 1, 1]));
  });
});
