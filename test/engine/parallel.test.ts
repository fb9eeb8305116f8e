// The parallel search against the sequential one: with 1, 2 and 3 workers, every check must
// give exactly checkModel's result (kind, counts, depth, queue, and the same counterexample,
// state by state). Workers load specs from modules, so the hand-made specs of this file are
// written to a temporary module first.
import { execFile } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkParallel, type ParallelOptions } from "../../src/engine/parallel/check-parallel.ts";
import { terminateWorkers, WorkerPool } from "../../src/engine/parallel/pool.ts";
import { loadSpec } from "../../src/spec/load-spec.ts";
import type { ParamValue } from "../../src/spec/params.ts";
import {
  buildModel,
  checkModel,
  fingerprintHex,
  type CheckOptions,
  type CheckResult,
  type SpecSource,
} from "../../src/index.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const INDEX = pathToFileURL(join(ROOT, "src/index.ts")).href;

// Random graphs over nodes 0..n-1 (from a seed), with a state (node, via): `via` is the node
// the step came from, so most nodes are reached as several distinct states. Go follows an
// edge (a self-loop is a stuttering step, the action returns its state), Pair makes a
// two-way choice on every fifth node. Initial states: `inits` random nodes plus a duplicate.
const GRAPH_SPEC = `
import { defineSpec, forEach, oneOf, param } from ${JSON.stringify(INDEX)};

export interface State {
  readonly node: number;
  readonly via: number;
}

function rng(seed: number): () => number {
  let x = (Math.imul(seed, 2654435761) + 1) >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 4294967296;
  };
}

function graph(n: number, seed: number, sinkPct: number): number[][] {
  const r = rng(seed);
  const adj: number[][] = [];
  for (let i = 0; i < n; i++) {
    const sink = r() * 100 < sinkPct;
    const d = 1 + Math.floor(r() * 4);
    const succ: number[] = [];
    for (let j = 0; j < d; j++) succ.push(r() < 0.1 ? i : Math.floor(r() * n));
    adj.push(sink ? [] : succ);
  }
  return adj;
}

const graphSpec = defineSpec<State>()({
  name: "graph",
  params: {
    n: param.int({ default: 2000, min: 1, max: 100000 }),
    seed: param.int({ default: 1, min: 0, max: 1000000 }),
    inits: param.int({ default: 3, min: 1, max: 50 }),
    sinkPct: param.int({ default: 0, min: 0, max: 100 }),
    bad: param.int({ default: -1, min: -1, max: 100000 }),
  },
  init: ({ n, seed, inits }) => {
    const r = rng(seed + 7);
    const nodes = Array.from({ length: inits }, () => Math.floor(r() * n));
    nodes.push(nodes[0]!);
    return oneOf(...nodes.map((node) => ({ node, via: -1 })));
  },
  actions: ({ n, seed, sinkPct }) => {
    const adj = graph(n, seed, sinkPct);
    return {
      Go: forEach(
        (s: State) => adj[s.node]!,
        (s, to) => (to === s.node ? s : { node: to, via: s.node }),
      ),
      Pair: (s) =>
        s.node % 5 === 0 && adj[s.node]!.length > 0
          ? oneOf({ node: (s.node + 1) % n, via: s.node }, { node: (s.node * 7 + 3) % n, via: s.node })
          : null,
    };
  },
  invariants: { NotBad: (s, { bad }) => s.node !== bad },
});

export default graphSpec;

/** States outside the constraint are checked but not expanded. */
export const constrained = graphSpec.variant({ constraint: (s) => s.node % 7 !== 3 });

/** Sinks (with sinkPct > 0) are legitimate on even nodes only. */
export const someTerminal = graphSpec.variant({ terminal: (s) => s.node % 2 === 0 });

export const stepped = graphSpec.variant({
  stepProperties: { NoFall: (a, b) => !(a.node % 17 === 0 && b.node + 1900 < a.node) },
});

/** States with the same node are one state: the first one met is kept (and expanded). */
export const viewed = graphSpec.variant({
  view: (s) => s.node,
  actions: {
    // Successors that depend on more than the view: back where the state came from.
    Back: (s: State) => (s.via >= 0 && s.via % 3 === 0 ? { node: s.via, via: s.node } : null),
  },
  invariants: { ViaNotBad: (s, { bad }) => s.via !== bad },
});

export const invariantThrows = graphSpec.variant({
  invariants: {
    NotBad: (s, { bad }) => {
      if (s.node === bad) throw new Error("bad node");
      return true;
    },
  },
});

/** An action that writes into the state it was given (on node \`bad\`). */
export const mutates = graphSpec.variant({
  actions: ({ bad }) => ({
    Scribble: (s: State) => {
      if (s.node === bad) (s as { via: number }).via = -2;
      return null;
    },
  }),
  invariants: { NotBad: () => true },
});

export const actionThrows = graphSpec.variant({
  actions: ({ bad }) => ({
    Boom: (s: State) => {
      if (s.node === bad) throw new Error("boom");
      return null;
    },
  }),
  invariants: { NotBad: () => true },
});
`;

let dir = "";
let graphPath = "";
let pool: WorkerPool;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "protomc-parallel-"));
  graphPath = join(dir, "graph.ts");
  writeFileSync(graphPath, GRAPH_SPEC);
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  pool = new WorkerPool(3);
});

afterAll(async () => {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * What must agree: everything but timings, and the seen-set's size in bytes except on
 * complete runs (a run that stops at an invariant violation may have added the rest of the
 * level already).
 */
function summary(r: CheckResult<unknown>) {
  const { generated, distinct, depth, queue, fingerprintBytes } = r.stats;
  const steps = (trace: readonly { label: string; state: unknown }[] | null) =>
    trace?.map((s) => `${s.label} ${fingerprintHex(s.state)}`) ?? null;
  const base = { kind: r.kind, generated, distinct, depth, queue };
  switch (r.kind) {
    case "ok":
      return { ...base, fingerprintBytes };
    case "incomplete":
      return { ...base, reason: r.reason };
    case "violation":
      return {
        ...base,
        property: r.violation.property,
        violation: r.violation.kind,
        trace: steps(r.violation.trace),
      };
    case "specError":
      return { ...base, code: r.error.code, message: r.error.message, trace: steps(r.trace) };
  }
}

async function sequential(
  source: SpecSource,
  params: Record<string, ParamValue>,
  options: CheckOptions,
) {
  const loaded = await loadSpec(source, ROOT);
  return checkModel(buildModel<unknown>(loaded.spec, params, loaded.source), options);
}

/**
 * Checks that 1, 2 and 3 workers give the sequential result, with the frontier split between
 * the workers from the second level on (`replicateBelow: 1`) and with the default (small
 * levels held by every worker); returns the sequential result's summary.
 */
async function agree(
  source: SpecSource,
  params: Record<string, ParamValue> = {},
  options: CheckOptions = {},
) {
  const want = summary(await sequential(source, params, options));
  for (const workers of [1, 2, 3]) {
    for (const replicateBelow of workers === 1 ? [1] : [1, undefined]) {
      const opts: ParallelOptions = {
        ...options,
        workers,
        pool,
        cwd: ROOT,
        replicateBelow,
        headStartMs: 0,
      };
      const got = summary(await checkParallel(source, params, opts));
      expect({ workers, replicateBelow, ...got }).toEqual({ workers, replicateBelow, ...want });
    }
  }
  return want;
}

const tpc = (exportName: string): SpecSource => ({
  path: "specs/two-phase-commit.ts",
  exportName,
});
const counter = (exportName: string): SpecSource => ({
  path: "test/fixtures/counter.ts",
  exportName,
});
const graph = (exportName = "default"): SpecSource => ({ path: graphPath, exportName });

describe("parallel search: the sequential search's results with 1, 2 and 3 workers", () => {
  it("two-phase commit holds (4 RMs)", async () => {
    const r = await agree(tpc("default"), { rms: 4 });
    expect(r).toMatchObject({ kind: "ok", distinct: 4 ** 4 + 2 ** 4 + 6 ** 4, depth: 14 });
  });

  it("two-phase commit: commitEarly and abortAfterPrepare give the same counterexamples", async () => {
    expect(await agree(tpc("commitEarly"), { rms: 3 })).toMatchObject({
      kind: "violation",
      property: "Consistent",
    });
    expect(await agree(tpc("abortAfterPrepare"), { rms: 4 })).toMatchObject({
      kind: "violation",
      property: "Consistent",
    });
  });

  it("two-phase commit under symmetry reduction (TLC's orbit count for 5 RMs)", async () => {
    expect(await agree(tpc("default"), { rms: 5 }, { symmetry: true })).toMatchObject({
      kind: "ok",
      distinct: 314,
    });
    expect(await agree(tpc("commitEarly"), { rms: 4 }, { symmetry: true })).toMatchObject({
      violation: "invariant",
    });
  });

  it("counter: invariant, step property, deadlock, spec error", async () => {
    expect(await agree(counter("default"), { max: 6 })).toMatchObject({ kind: "ok" });
    expect(await agree(counter("tight"))).toMatchObject({ violation: "invariant" });
    expect(await agree(counter("bigSteps"))).toMatchObject({ violation: "step" });
    expect(await agree(counter("noReset"))).toMatchObject({ violation: "deadlock" });
    expect(await agree(counter("resetThrows"))).toMatchObject({ kind: "specError" });
  });

  it("random graphs: several initial states, stuttering steps, choices", async () => {
    for (const seed of [1, 2, 3]) {
      expect(await agree(graph(), { seed, inits: 4 })).toMatchObject({ kind: "ok" });
    }
  });

  it("random graphs: a state constraint", async () => {
    expect(await agree(graph("constrained"), { seed: 4 })).toMatchObject({
      kind: "ok",
      distinct: 3977,
    });
  });

  it("random graphs: invariant violations, with and without a view", async () => {
    for (const bad of [77, 123]) {
      expect(await agree(graph(), { seed: 5, bad })).toMatchObject({ violation: "invariant" });
    }
    // With a view, the state kept (and expanded) must be the first one met: its \`via\` shows.
    for (const bad of [77, 500]) {
      await agree(graph("viewed"), { seed: 5, bad });
    }
    await agree(graph("viewed"), { seed: 5 });
  });

  it("random graphs: deadlocks, terminal states, step properties", async () => {
    expect(await agree(graph(), { seed: 6, sinkPct: 2 })).toMatchObject({
      violation: "deadlock",
    });
    expect(await agree(graph("someTerminal"), { seed: 6, sinkPct: 2 })).toMatchObject({
      violation: "deadlock",
    });
    expect(await agree(graph(), { seed: 6, sinkPct: 2 }, { deadlock: false })).toMatchObject({
      kind: "ok",
    });
    expect(await agree(graph("stepped"), { seed: 1 })).toMatchObject({ violation: "step" });
  });

  it("random graphs: spec errors in an invariant and in an action, a mutated state", async () => {
    expect(await agree(graph("invariantThrows"), { seed: 8, bad: 42 })).toMatchObject({
      kind: "specError",
      code: "PMC002",
    });
    expect(await agree(graph("actionThrows"), { seed: 8, bad: 42 })).toMatchObject({
      kind: "specError",
      code: "PMC002",
    });
    expect(await agree(graph("mutates"), { seed: 8, bad: 42 })).toMatchObject({
      kind: "specError",
      code: "PMC004",
    });
  });

  it("state and depth limits", async () => {
    for (const maxStates of [1, 4, 100, 1000, 4000]) {
      expect(await agree(graph(), { seed: 9 }, { maxStates })).toMatchObject({
        kind: "incomplete",
        reason: "max-states",
      });
    }
    for (const maxDepth of [1, 3]) {
      expect(await agree(tpc("default"), { rms: 3 }, { maxDepth })).toMatchObject({
        kind: "incomplete",
        reason: "max-depth",
      });
    }
  });
});

describe("parallel search: running", () => {
  it("returns a check this thread ends while the workers start, with its result", async () => {
    let levels = 0;
    // A few milliseconds of search: the workers never search.
    const r = await checkParallel(
      tpc("commitEarly"),
      { rms: 3 },
      { workers: 2, pool, cwd: ROOT, onLevel: () => levels++ },
    );
    expect(levels).toBe(0);
    expect(summary(r)).toEqual(summary(await sequential(tpc("commitEarly"), { rms: 3 }, {})));
    // Without the head start, the workers search every level.
    const workers = await checkParallel(
      tpc("commitEarly"),
      { rms: 3 },
      { workers: 2, pool, cwd: ROOT, headStartMs: 0, onLevel: () => levels++ },
    );
    expect(levels).toBe(workers.stats.depth);
    expect(summary(workers)).toEqual(summary(r));
  });

  it("abandons a head start that does not finish, with the same result", async () => {
    let levels = 0;
    const r = await checkParallel(
      tpc("default"),
      { rms: 5 },
      { workers: 2, pool, cwd: ROOT, headStartMs: 1, onLevel: () => levels++ },
    );
    expect(summary(r)).toEqual(summary(await sequential(tpc("default"), { rms: 5 }, {})));
    expect(levels).toBe(17);
  });

  it("starts and stops its own workers when given no pool", async () => {
    const r = await checkParallel(tpc("commitEarly"), { rms: 3 }, { workers: 2 });
    expect(r.kind).toBe("violation");
  });

  it("closing waits for the workers' exits for a bounded time only", async () => {
    // terminate() cannot interrupt native code that does not check for it (here about three
    // seconds of key derivation): a blocked worker's exit comes as late as a lost exit would
    // never come. (A worker that terminate() reaches before it blocks exits at once: then the
    // premise does not hold, and the attempt is made again.)
    const attempt = async (): Promise<string[]> => {
      const blocked = new Worker(
        `const { pbkdf2Sync } = require("node:crypto");
         require("node:worker_threads").parentPort.postMessage("blocking");
         pbkdf2Sync("key", "salt", 3e6, 64, "sha512");`,
        { eval: true },
      );
      const idle = new Worker(`setInterval(() => {}, 1000);`, { eval: true });
      await Promise.all([once(blocked, "message"), once(idle, "online")]);
      const exited: string[] = [];
      const blockedExit = once(blocked, "exit").then(() => exited.push("blocked"));
      idle.on("exit", () => exited.push("idle"));
      await terminateWorkers([blocked, idle], 500);
      const seen = [...exited];
      await blockedExit;
      return seen;
    };
    let seen = await attempt();
    for (let tries = 1; tries < 5 && seen.includes("blocked"); tries++) seen = await attempt();
    // The idle worker's exit was waited for, the blocked one's not.
    expect(seen).toEqual(["idle"]);
  });

  it("ends incomplete (memory) with its figures when a worker's heap nears its limit", async () => {
    const small = new WorkerPool(2, { maxHeapMiB: 16 });
    try {
      const r = await checkParallel(
        tpc("default"),
        { rms: 7 },
        { workers: 2, pool: small, headStartMs: 0 },
      );
      expect(r).toMatchObject({ kind: "incomplete", reason: "memory" });
      if (r.kind !== "incomplete") return;
      expect(r.detail).toMatch(/^the JavaScript heap is within .* of its limit/);
      expect(r.stats.distinct).toBeLessThan(296_448);
    } finally {
      await small.close();
    }
  });

  it("ends incomplete (memory) with its figures when a worker runs out of heap", async () => {
    const small = new WorkerPool(2, { maxHeapMiB: 16 });
    try {
      // The workers believe they have a terabyte of heap, so nothing stops them in time.
      const r = await checkParallel(
        tpc("default"),
        { rms: 7 },
        { workers: 2, pool: small, headStartMs: 0, heapLimitBytes: 2 ** 40 },
      );
      expect(r).toMatchObject({ kind: "incomplete", reason: "memory" });
      if (r.kind !== "incomplete") return;
      expect(r.detail).toContain("a worker thread ran out of JavaScript heap (16 MiB per thread)");
      expect(r.stats.distinct).toBeLessThan(296_448);
    } finally {
      await small.close();
    }
  });

  it("ends incomplete on the time limit and on the signal", async () => {
    const opts = { workers: 2, pool, cwd: ROOT, headStartMs: 0 };
    const timed = await checkParallel(tpc("default"), { rms: 4 }, { ...opts, timeLimitMs: 0 });
    expect(timed).toMatchObject({ kind: "incomplete", reason: "time-limit" });
    const controller = new AbortController();
    controller.abort();
    const stopped = await checkParallel(
      tpc("default"),
      { rms: 4 },
      { ...opts, signal: controller.signal },
    );
    expect(stopped).toMatchObject({ kind: "incomplete", reason: "interrupted" });
  });

  it("reports each level's work per worker", async () => {
    const levels: number[] = [];
    const r = await checkParallel(
      tpc("default"),
      { rms: 3 },
      {
        workers: 2,
        pool,
        replicateBelow: 1,
        headStartMs: 0,
        onLevel: (l) => {
          levels.push(l.states);
          expect(l.workers).toHaveLength(2);
        },
      },
    );
    expect(levels.reduce((a, b) => a + b, 0)).toBe(r.stats.distinct);
  });

  it("moves states between workers to even out levels, with the sequential result", async () => {
    for (const source of [tpc("default"), tpc("commitEarly")]) {
      let moved = 0;
      let uneven = 0;
      const r = await checkParallel(
        source,
        { rms: 5 },
        {
          workers: 3,
          pool,
          replicateBelow: 1,
          headStartMs: 0,
          balanceMinSurplus: 1,
          onLevel: (l) => {
            for (const w of l.workers) moved += w.moved;
            if (l.replicated) return;
            const held = l.workers.map((w) => w.states);
            if (Math.max(...held) > Math.ceil(l.states / 3)) uneven++;
          },
        },
      );
      expect(summary(r)).toEqual(summary(await sequential(source, { rms: 5 }, {})));
      expect(moved).toBeGreaterThan(10);
      // No worker ever holds more than its share of a level.
      expect(uneven).toBe(0);
    }
  });

  it("works under node with tsx registered through its API, as bin/protomc.js runs", async () => {
    const script = `
      import { register } from "tsx/esm/api";
      register();
      const { checkParallel } = await import("./src/engine/parallel/check-parallel.ts");
      const r = await checkParallel(
        { path: "specs/two-phase-commit.ts", exportName: "commitEarly" },
        { rms: 3 },
        { workers: 2, replicateBelow: 1, headStartMs: 0 },
      );
      console.log(JSON.stringify({ kind: r.kind, distinct: r.stats.distinct,
        labels: r.violation.trace.map((s) => s.label) }));
    `;
    const out = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ["--input-type=module", "-e", script],
        { cwd: ROOT, timeout: 30_000 },
        (error, stdout, stderr) =>
          error ? reject(new Error(stderr || error.message)) : resolve(stdout),
      );
    });
    const want = summary(await sequential(tpc("commitEarly"), { rms: 3 }, {}));
    const got = JSON.parse(out) as { kind: string; distinct: number; labels: string[] };
    expect(got.kind).toBe("violation");
    expect(got.distinct).toBe(want.distinct);
    expect(got.labels).toEqual((want as { trace: string[] }).trace.map((s) => s.split(" ")[0]));
  });
});
