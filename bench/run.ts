// `npm run bench`: throughput and memory of the engine on two-phase commit, in one process.
// Figures are printed, never asserted: machines are shared and noisy, so compare runs made on
// the same machine in the same session (ratios), not absolute numbers across machines.
import twoPhaseCommit from "../specs/two-phase-commit.ts";
import { buildModel, checkModel } from "../src/index.ts";
import { count, duration } from "../src/report/numbers.ts";

interface Row {
  readonly workload: string;
  readonly distinct: number;
  readonly generated: number;
  readonly ms: number;
  readonly peakHeapMiB: number;
  readonly peakRssMiB: number;
  readonly fpBytesPerState: number;
}

async function twoPhase(rms: number, symmetry: boolean): Promise<Row> {
  let peakHeap = 0;
  let peakRss = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed + m.arrayBuffers);
    peakRss = Math.max(peakRss, m.rss);
  };
  const started = performance.now();
  const result = await checkModel(buildModel(twoPhaseCommit, { rms }), {
    onProgress: sample,
    progressIntervalMs: 200,
    symmetry,
  });
  const ms = performance.now() - started;
  sample();
  if (result.kind !== "ok") throw new Error(`two-phase commit ${rms} RMs: ${result.kind}`);
  const s = result.stats;
  return {
    workload: `two-phase-commit rms=${rms}${symmetry ? " symmetry" : ""}`,
    distinct: s.distinct,
    generated: s.generated,
    ms,
    peakHeapMiB: peakHeap / 2 ** 20,
    peakRssMiB: peakRss / 2 ** 20,
    fpBytesPerState: s.fingerprintBytes / s.distinct,
  };
}

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const rows: Row[] = [];
// By default 7 and 8 RMs, and 8 RMs under symmetry reduction (TLC's 1,461 orbits).
const workloads =
  sizes.length > 0
    ? sizes.map((rms) => ({ rms, symmetry: false }))
    : [
        { rms: 7, symmetry: false },
        { rms: 8, symmetry: false },
        { rms: 8, symmetry: true },
      ];
for (const { rms, symmetry } of workloads) {
  global.gc?.();
  const row = await twoPhase(rms, symmetry);
  rows.push(row);
  console.log(
    [
      row.workload.padEnd(33),
      `${count(row.distinct).padStart(11)} distinct`,
      `${count(row.generated).padStart(12)} generated`,
      `${duration(row.ms).padStart(8)}`,
      `${count((row.distinct * 1000) / row.ms).padStart(9)} distinct/s`,
      `${count((row.generated * 1000) / row.ms).padStart(10)} generated/s`,
      `peak heap ${count(row.peakHeapMiB)} MiB`,
      `peak RSS ${count(row.peakRssMiB)} MiB`,
      `${row.fpBytesPerState.toFixed(1)} B/state fingerprints`,
    ].join("  "),
  );
}
