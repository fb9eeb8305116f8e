// Every buggy variant in specs/ is found by simulation from a fixed seed, with a shrunk trace at
// most twice as long as the shortest counterexample (BFS's, as kept in counterexamples/), and
// liveness lassos are written as trace files that `protomc replay` reproduces.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isSpec } from "../../src/index.ts";
import { violationTraceFile } from "../../src/itf/trace-file.ts";
import { replayTrace } from "../../src/replay/replay.ts";
import { simulate, type SimulateOptions } from "../../src/simulate/simulate.ts";
import { loadSpec, parseSpecRef } from "../../src/spec/load-spec.ts";
import { buildModel, type Model } from "../../src/spec/model.ts";
import { checkSpec } from "../../src/vitest/index.ts";
import { COUNTER } from "../fixtures/traces.ts";
import { ROOT } from "../fixtures/run-cli.ts";

interface Variant {
  readonly ref: string;
  /** The property the variant's kept counterexample violates. */
  readonly property: string;
  readonly seed: number;
  /** The shrunk trace's steps (for a lasso: up to its last state), pinned. */
  readonly steps: number;
  /** For a lasso, its loop index. */
  readonly loop?: number;
  readonly options?: SimulateOptions;
}

/**
 * One line per buggy variant: the seed that finds its bug and the length it shrinks to. The
 * runs needed vary with the seed: see docs/simulate.md for the figures over many seeds.
 */
const VARIANTS: readonly Variant[] = [
  { ref: "specs/two-phase-commit.ts#commitEarly", property: "Consistent", seed: 1, steps: 5 },
  { ref: "specs/two-phase-commit.ts#abortAfterPrepare", property: "Consistent", seed: 1, steps: 9 },
  {
    ref: "specs/two-phase-commit-processes.ts#abortWhilePrepared",
    property: "Atomicity",
    seed: 1,
    steps: 8,
  },
  {
    ref: "specs/two-phase-commit-processes.ts#coordinatorCrash",
    property: "EveryParticipantDecides",
    seed: 1,
    steps: 4,
    loop: 4,
  },
  {
    ref: "specs/leader-election-ring.ts#duplicateIds",
    property: "AtMostOneLeader",
    seed: 1,
    steps: 8,
  },
  {
    ref: "specs/leader-election-ring.ts#noFairness",
    property: "EventuallyLeader",
    seed: 1,
    steps: 0,
    loop: 0,
  },
  {
    ref: "specs/leader-election-ring.ts#unfairDelivery",
    property: "EventuallyLeader",
    seed: 1,
    steps: 5,
    loop: 5,
  },
  {
    ref: "specs/leader-election-bully.ts#falseSuspicion",
    property: "AtMostOneCoordinator",
    seed: 1,
    steps: 2,
  },
  { ref: "specs/paxos.ts#ignorePromisedValues", property: "Agreement", seed: 1, steps: 14 },
  { ref: "specs/paxos.ts#acceptBelowPromise", property: "Agreement", seed: 1, steps: 14 },
  // This variant also violates EventuallyChosen (see below), which walks find first.
  {
    ref: "specs/paxos.ts#minorityQuorums",
    property: "LearnersAgree",
    seed: 1,
    steps: 10,
    options: { liveness: false },
  },
  {
    ref: "specs/paxos.ts#duelingProposers",
    property: "EventuallyChosen",
    seed: 1,
    steps: 12,
    loop: 5,
  },
  { ref: "specs/abd.ts#minorityQuorums", property: "Linearizable", seed: 1, steps: 10 },
  { ref: "specs/abd.ts#noWriteBack", property: "Linearizable", seed: 10, steps: 16 },
  {
    ref: "specs/chain-replication.ts#noResendOnRelink",
    property: "UpdatePrefix",
    seed: 1,
    steps: 8,
  },
  {
    ref: "specs/chain-replication.ts#queriesAtHead",
    property: "Linearizable",
    seed: 24,
    steps: 12,
  },
  { ref: `${COUNTER}#tight`, property: "Bounded", seed: 1, steps: 3 },
  { ref: `${COUNTER}#bigSteps`, property: "SmallSteps", seed: 1, steps: 1 },
  { ref: `${COUNTER}#noReset`, property: "deadlock", seed: 1, steps: 3 },
];

async function model(ref: string): Promise<Model<unknown>> {
  const loaded = await loadSpec(parseSpecRef(ref), ROOT);
  return buildModel(loaded.spec, {}, loaded.source);
}

/** The length of the shortest counterexample: the kept trace's, else a fresh check's. */
async function shortest(ref: string, property: string): Promise<number> {
  const [path, exp] = ref.split("#") as [string, string];
  const name = `${path.replace(/^.*\//, "").replace(/\.ts$/, "")}.${exp}--${property}.itf.json`;
  const kept = join(ROOT, "counterexamples", name);
  try {
    const file = JSON.parse(readFileSync(kept, "utf8")) as { states: unknown[] };
    return file.states.length - 1;
  } catch {
    const r = await checkSpec(ref, { cwd: ROOT });
    if (r.result.kind !== "violation") throw new Error(`check finds no violation in ${ref}`);
    return r.result.violation.trace.length - 1;
  }
}

describe.each(VARIANTS)("simulating $ref", (v) => {
  it(`finds ${v.property} from seed ${v.seed} in ${v.steps} steps, at most twice the BFS length`, async () => {
    const m = await model(v.ref);
    const bfs = await shortest(v.ref, v.property);
    const r = simulate(m, { seed: v.seed, ...v.options });
    expect(r.kind).toBe("violation");
    if (r.kind !== "violation") return;
    expect(r.violation.property).toBe(v.property);
    const steps = r.violation.trace.length - 1;
    expect(steps).toBe(v.steps);
    expect(steps).toBeLessThanOrEqual(2 * bfs);
    expect(steps).toBeLessThanOrEqual(r.foundSteps);
    expect(r.violation.loopIndex).toBe(v.loop ?? null);
    if (v.loop === undefined) return;
    // A lasso: written as check writes one, and reproduced by replay as a fair violation.
    const file = violationTraceFile(m, r.violation)!;
    expect(file["#meta"].loopIndex).toBe(v.loop);
    expect(file["#meta"].loopAction).toBe(r.violation.explanation?.closingAction);
    const replayed = replayTrace(m, file);
    expect(replayed.kind).toBe("reproduced");
  });
});

describe("the variants", () => {
  it("are all in the table above", async () => {
    const dir = join(ROOT, "specs");
    const refs: string[] = [];
    for (const f of readdirSync(dir)
      .filter((n) => n.endsWith(".ts"))
      .sort()) {
      const mod = (await import(join(dir, f))) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) {
        if (name !== "default" && isSpec(value)) refs.push(`specs/${f}#${name}`);
      }
    }
    expect(refs.length).toBeGreaterThan(10);
    expect(VARIANTS.map((v) => v.ref).filter((r) => r.startsWith("specs/"))).toEqual(
      expect.arrayContaining(refs),
    );
  });

  it("paxos#minorityQuorums also starves: a fair lasso where no value is ever chosen", async () => {
    const m = await model("specs/paxos.ts#minorityQuorums");
    const r = simulate(m, { seed: 2 });
    expect(r.kind === "violation" && r.violation.property).toBe("EventuallyChosen");
    if (r.kind !== "violation") return;
    expect(r.violation.trace.length - 1).toBe(8);
    expect(replayTrace(m, violationTraceFile(m, r.violation)!).kind).toBe("reproduced");
  });
});
