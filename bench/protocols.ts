// `node --import tsx bench/protocols.ts [name ...]`: the protocol library (Paxos, two-phase
// commit with processes, ring and bully leader election) at sizes larger than their defaults,
// as workloads for the engine and the message-passing layer. Prints, for each, the verdict,
// distinct and generated states, wall time and distinct states per second (the liveness
// analysis is included in the time and shown apart). Figures are printed, never asserted;
// compare runs made in the same session on the same machine. Names select workloads (a
// substring of the name suffices): `bench/protocols.ts ring bully`.
import paxos, { duelingProposers } from "../specs/paxos.ts";
import twoPhaseCommitProcesses from "../specs/two-phase-commit-processes.ts";
import ringElection from "../specs/leader-election-ring.ts";
import bullyElection from "../specs/leader-election-bully.ts";
import {
  buildModel,
  checkModel,
  type AnySpec,
  type ParamValue,
  type CheckResult,
} from "../src/index.ts";
import { count, duration } from "../src/report/numbers.ts";

interface Workload {
  readonly name: string;
  readonly spec: unknown;
  readonly params: Readonly<Record<string, ParamValue>>;
  /** The verdict the workload must give (anything else is a regression, reported as such). */
  readonly expect: CheckResult<unknown>["kind"];
}

const WORKLOADS: readonly Workload[] = [
  {
    name: "two-phase-commit-processes",
    spec: twoPhaseCommitProcesses,
    params: { participants: 5 },
    expect: "ok",
  },
  { name: "leader-election-ring", spec: ringElection, params: { nodes: 7 }, expect: "ok" },
  {
    name: "leader-election-bully",
    spec: bullyElection,
    params: { processes: 4, crashes: 3 },
    expect: "ok",
  },
  { name: "paxos", spec: paxos, params: { maxBallot: 3, crashes: 1 }, expect: "ok" },
  {
    name: "paxos#duelingProposers",
    spec: duelingProposers,
    params: { window: 2 },
    expect: "violation",
  },
];

const wanted = process.argv.slice(2);
const selected = WORKLOADS.filter(
  (w) => wanted.length === 0 || wanted.some((name) => w.name.includes(name)),
);
if (selected.length === 0) {
  console.error(
    `no workload matches ${wanted.join(", ")}; workloads: ${WORKLOADS.map((w) => w.name).join(", ")}`,
  );
  process.exit(3);
}

const header = ["workload", "params", "verdict", "distinct", "generated", "time", "distinct/s"];
const rows: string[][] = [];
let regressions = 0;
for (const w of selected) {
  global.gc?.();
  const started = performance.now();
  const r = await checkModel(buildModel(w.spec as AnySpec, w.params));
  const ms = performance.now() - started;
  const params = Object.entries(w.params)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(" ");
  const live = r.stats.liveness;
  const time =
    live === undefined ? duration(ms) : `${duration(ms)} (liveness ${duration(live.elapsedMs)})`;
  const verdict = r.kind === w.expect ? r.kind : `${r.kind} (expected ${w.expect})`;
  if (r.kind !== w.expect) regressions++;
  rows.push([
    w.name,
    params,
    verdict,
    count(r.stats.distinct),
    count(r.stats.generated),
    time,
    count(Math.round(r.stats.distinct / (ms / 1000))),
  ]);
  // One line per workload as it finishes, the table at the end.
  console.error(`${w.name}: ${verdict}, ${count(r.stats.distinct)} distinct, ${duration(ms)}`);
}

const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: readonly string[]): string =>
  cells
    .map((c, i) => (i >= 3 && i !== 5 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
    .join("  ");
console.log(line(header));
for (const r of rows) console.log(line(r));
if (regressions > 0) process.exitCode = 1;
