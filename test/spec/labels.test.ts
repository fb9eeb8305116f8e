// Custom step labels: an action over a domain prints an instance as `Name(x)`, with x formatted
// as a value, unless it gives a `label` function (the `forEach` option, or a field of a
// DomainAction object): then it prints as `Name(label(x))`. A label is only formatting.
import { describe, expect, it } from "vitest";
import {
  buildModel,
  checkModel,
  defineSpec,
  forEach,
  simulate,
  SpecError,
  type AnySpec,
  type CheckResult,
  type DomainAction,
  type Next,
  type Spec,
} from "../../src/index.ts";

const STRATEGIES = ["bfs", "dfs"] as const;

/** A token on a ring of three nodes; it may go round only twice. */
interface Ring {
  readonly at: number;
  readonly hops: number;
}

const NODES: readonly number[] = [0, 1, 2];
const pass = (s: Ring, i: number): Next<Ring> =>
  s.at === i ? { at: (i + 1) % 3, hops: s.hops + 1 } : null;
const hop = (i: number): string => `n${i} → n${(i + 1) % 3}`;

function ring(action: DomainAction<Ring, number>) {
  return defineSpec<Ring>()({
    init: () => ({ at: 0, hops: 0 }),
    actions: { Pass: action },
    invariants: { Short: (s) => s.hops < 4 },
  });
}

function run(spec: AnySpec, strategy: (typeof STRATEGIES)[number]): Promise<CheckResult<Ring>> {
  return checkModel(buildModel<Ring>(spec as Spec<Ring>), { strategy });
}

function labels(r: CheckResult<Ring>): string[] {
  if (r.kind !== "violation") throw new Error(`expected a violation, got ${r.kind}`);
  return r.violation.trace.map((s) => s.label);
}

/** The SpecError that building `spec` throws. */
function buildError(spec: AnySpec): SpecError {
  try {
    buildModel(spec);
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error("expected buildModel to throw a SpecError");
}

const HOPS = ["Init", "Pass(n0 → n1)", "Pass(n1 → n2)", "Pass(n2 → n0)", "Pass(n0 → n1)"];

describe("custom step labels", () => {
  it.each(STRATEGIES)(
    "%s: without a label, an instance prints its formatted element",
    async (strategy) => {
      const r = await run(ring(forEach(NODES, pass)), strategy);
      expect(labels(r)).toEqual(["Init", "Pass(0)", "Pass(1)", "Pass(2)", "Pass(0)"]);
    },
  );

  it.each(STRATEGIES)("%s: forEach's label option gives Name(label(x))", async (strategy) => {
    const r = await run(ring(forEach(NODES, pass, { label: hop })), strategy);
    expect(labels(r)).toEqual(HOPS);
  });

  it("labels instances of a domain computed from the state", async () => {
    const spec = ring(forEach((s: Ring) => [s.at], pass, { label: hop }));
    expect(labels(await run(spec, "bfs"))).toEqual(HOPS);
  });

  it("labels instances of a DomainAction object with a label function", async () => {
    const spec = ring({ over: NODES, step: pass, label: hop });
    expect(labels(await run(spec, "bfs"))).toEqual(HOPS);
  });

  it("is only formatting: the same states, and the label is called with the element", async () => {
    const seen: unknown[] = [];
    const labelled = ring(
      forEach(NODES, pass, {
        label: (i) => {
          seen.push(i);
          return hop(i);
        },
      }),
    );
    const plain = await run(ring(forEach(NODES, pass)), "bfs");
    const custom = await run(labelled, "bfs");
    expect(custom.stats.distinct).toBe(plain.stats.distinct);
    expect(custom.stats.generated).toBe(plain.stats.generated);
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set(NODES));
  });

  it("labels simulated behaviours too", () => {
    const r = simulate(buildModel<Ring>(ring(forEach(NODES, pass, { label: hop }))), {
      runs: 5,
      seed: 1,
    });
    expect(r.kind).toBe("violation");
    if (r.kind === "violation") expect(r.violation.trace.map((s) => s.label)).toEqual(HOPS);
  });

  it.each(STRATEGIES)("%s: names the instance by its label in spec errors", async (strategy) => {
    const throwing = (s: Ring, i: number): Next<Ring> => {
      if (s.hops === 1 && i === 1) throw new Error("boom");
      return pass(s, i);
    };
    const r = await run(ring(forEach(NODES, throwing, { label: hop })), strategy);
    expect(r.kind).toBe("specError");
    if (r.kind !== "specError") return;
    expect(r.error.code).toBe("PMC002");
    expect(r.error.message).toBe("action Pass(n1 → n2) threw: boom");
    expect(r.trace?.map((t) => t.label)).toEqual(["Init", "Pass(n0 → n1)"]);
  });

  it("an absent label is the default; a label that is not a function is PMC006", () => {
    expect(() => buildModel(ring(forEach(NODES, pass, {})))).not.toThrow();
    expect(() => buildModel(ring({ over: NODES, step: pass, label: undefined }))).not.toThrow();
    for (const bad of ["hop", 1, null, { hop }]) {
      const action = { over: NODES, step: pass, label: bad } as unknown as DomainAction<
        Ring,
        number
      >;
      const e = buildError(ring(action));
      expect(e.code).toBe("PMC006");
      expect(e.message).toBe("action Pass: label must be a function of the element");
    }
  });
});
