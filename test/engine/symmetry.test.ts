import { describe, expect, it } from "vitest";
import twoPhaseCommit, { commitEarly, type State } from "../../specs/two-phase-commit.ts";
import { buildModel, checkModel, defineSpec, eventually } from "../../src/index.ts";
import { permutations } from "../../src/engine/symmetry.ts";

describe("symmetry reduction", () => {
  // TLC's counts for TwoPhase with SYMMETRY Permutations(RM).
  it.each([
    [5, 314],
    [6, 553],
    [7, 920],
    [8, 1461],
  ])("two-phase commit with %i RMs has %i orbits", async (rms, orbits) => {
    const r = await checkModel(buildModel(twoPhaseCommit, { rms }), { symmetry: true });
    expect(r.kind).toBe("ok");
    expect(r.stats.distinct).toBe(orbits);
  });

  it("without a signature, enumerating every permutation gives the same orbits", async () => {
    const decl = twoPhaseCommit.definition.symmetry!;
    const enumerated = twoPhaseCommit.variant({ symmetry: { ...decl, signature: undefined } });
    for (const [rms, orbits] of [
      [3, 80],
      [4, 166],
      [5, 314],
    ] as const) {
      const r = await checkModel(buildModel(enumerated, { rms }), { symmetry: true });
      expect(r.stats.distinct).toBe(orbits);
    }
  });

  it("keeps counterexamples concrete and shortest", async () => {
    const plain = await checkModel(buildModel(commitEarly, { rms: 4 }));
    const reduced = await checkModel(buildModel(commitEarly, { rms: 4 }), { symmetry: true });
    expect(plain.kind).toBe("violation");
    expect(reduced.kind).toBe("violation");
    if (plain.kind !== "violation" || reduced.kind !== "violation") return;
    expect(reduced.violation.trace.map((s) => s.label)).toEqual(
      plain.violation.trace.map((s) => s.label),
    );
    expect(reduced.violation.trace.at(-1)!.state.rmState).toEqual(
      plain.violation.trace.at(-1)!.state.rmState,
    );
  });

  it("refuses temporal properties, which symmetry can make unsound", async () => {
    const live = twoPhaseCommit.variant({
      properties: { Ends: eventually((s: State) => s.tmState !== "init") },
    });
    await expect(checkModel(buildModel(live, { rms: 3 }), { symmetry: true })).rejects.toThrow(
      "temporal properties are not checked under symmetry",
    );
  });

  it("is an error for a spec that declares none", async () => {
    const none = defineSpec<{ n: number }>()({ init: () => ({ n: 0 }), actions: {} });
    await expect(checkModel(buildModel(none), { symmetry: true, deadlock: false })).rejects.toThrow(
      "declares no symmetry",
    );
  });

  it("enumerates all n! permutations", () => {
    const ps = permutations(4);
    expect(ps).toHaveLength(24);
    expect(new Set(ps.map((p) => p.join(","))).size).toBe(24);
  });
});
