// `node --import tsx bench/liveness.ts [rms] [rounds]`: the cost of checking a temporal
// property on two-phase commit (7 RMs by default: 296,448 states) — `leadsTo` under weak
// fairness of every action instance, with TLA+'s stuttering semantics so that the fairness is
// what makes it hold — against the same search with safety only. Figures are printed, never
// asserted; compare ratios measured in the same session.
import twoPhaseCommit from "../specs/two-phase-commit.ts";
import { buildModel, checkModel, type CheckResult } from "../src/index.ts";
import { leadsTo } from "../src/liveness/temporal.ts";
import { count, duration } from "../src/report/numbers.ts";
import {
  allDecided,
  fairness,
  somePrepared,
} from "../test/liveness/fixtures/two-phase-liveness.ts";

const rms = Number(process.argv[2] ?? 7);
const safety = twoPhaseCommit;
const liveness = twoPhaseCommit.variant({
  properties: { PreparedLeadsToDecided: leadsTo(somePrepared, allDecided) },
  fairness,
  stuttering: "anywhere",
});

interface Run {
  readonly ms: number;
  /** CPU time (user + system): steadier than wall time on a shared machine. */
  readonly cpuMs: number;
  readonly result: CheckResult<unknown>;
}

async function run(spec: typeof twoPhaseCommit): Promise<Run> {
  global.gc?.();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await checkModel(buildModel(spec, { rms }));
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  if (result.kind !== "ok") throw new Error(`two-phase commit ${rms} RMs: ${result.kind}`);
  return { ms, cpuMs, result };
}

// One warm-up of each, then the measured runs alternate.
const rounds = Number(process.argv[3] ?? 2);
const safetyMs: number[] = [];
const livenessMs: number[] = [];
const safetyCpu: number[] = [];
const livenessCpu: number[] = [];
let last: CheckResult<unknown> | null = null;
for (let i = 0; i <= rounds; i++) {
  const a = await run(safety);
  const b = await run(liveness);
  if (i === 0) continue;
  safetyMs.push(a.ms);
  livenessMs.push(b.ms);
  safetyCpu.push(a.cpuMs);
  livenessCpu.push(b.cpuMs);
  last = b.result;
}
const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
const s = median(safetyMs);
const l = median(livenessMs);
const live = last!.stats.liveness!;
console.log(`two-phase commit, ${rms} RMs, leadsTo under weak fairness (median of ${rounds})`);
console.log(`  states ${count(live.states)}, edges ${count(live.edges)}`);
const sc = median(safetyCpu);
const lc = median(livenessCpu);
console.log(`  safety only        ${duration(s)} wall, ${duration(sc)} CPU`);
console.log(
  `  with liveness      ${duration(l)} wall, ${duration(lc)} CPU  ` +
    `(${(l / s).toFixed(2)}× safety wall, ${(lc / sc).toFixed(2)}× CPU)`,
);
console.log(`  liveness analysis  ${duration(live.elapsedMs)} after the search`);
console.log(
  `  graph memory       ${count(live.graphBytes)} B peak = ` +
    `${(live.graphBytes / live.edges).toFixed(1)} B/edge ` +
    `(+ ${(live.analysisBytes / live.edges).toFixed(1)} B/edge analysis arrays)`,
);
console.log(
  `  SCCs examined      ${count(live.sccs)} (${count(live.fairnessChecks)} checked for fairness)`,
);
