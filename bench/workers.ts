// `node --import tsx bench/workers.ts [sizes...] [--workers 1,2] [--repeat n] [--no-sequential]
// [--memory SIZE] [--ceiling] [--spec path.ts#export --param name=value ... [--no-liveness]]`: two-phase commit (7 and 8 RMs
// by default), or another spec with the given params, with the sequential search and with the
// parallel search on 1 and 2 worker threads. A spec with temporal properties is checked on one
// thread whatever the workers, unless --no-liveness leaves them out. Printed per run: wall time, distinct states per second, speed-up
// against the sequential search and against 1 worker, peak RSS (and per distinct state), bytes
// of fingerprint table per state, the process's CPU time, and the "critical path": per BFS level, the CPU time of the busiest worker plus the CPU time of
// the main thread's merge, summed. On a shared machine wall times mostly measure the other tenants;
// the critical path is what the wall time would be on idle cores, so its ratio estimates the
// speed-up there. The load average is printed before and after each run. With --repeat, the
// fastest of the runs of each configuration is kept. With --memory, every search runs under that
// budget (as `protomc check --memory`), and the states written to disk are printed.
//
// --ceiling also measures what the machine itself allows two threads: one `protomc check
// --workers 1` process alone, then two of them at once (see `ceiling`).
import { spawn } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import {
  buildModel,
  checkModel,
  withoutTemporalProperties,
  type CheckResult,
  type Stats,
} from "../src/index.ts";
import { checkModelParallel, type LevelReport } from "../src/engine/parallel/check-parallel.ts";
import { WorkerPool } from "../src/engine/parallel/pool.ts";
import { loadSpec } from "../src/spec/load-spec.ts";
import type { ParamValue } from "../src/spec/params.ts";
import { count, duration } from "../src/report/numbers.ts";
import { parseSize } from "../src/engine/memory.ts";

const SOURCE = { path: "specs/two-phase-commit.ts", exportName: "default" };

interface Run {
  readonly label: string;
  readonly result: CheckResult<unknown>;
  readonly ms: number;
  readonly cpuMs: number;
  /** Per level, the busiest worker's CPU time plus the merge (NaN for the sequential run). */
  readonly criticalMs: number;
  /** The workers' CPU time, all levels (NaN for the sequential run). */
  readonly workerCpuMs: number;
  readonly mergeMs: number;
  readonly peakRssMiB: number;
  readonly load: string;
}

function parseArgs(argv: readonly string[]) {
  const sizes: number[] = [];
  let workers = [1, 2];
  let repeat = 1;
  let sequential = true;
  let liveness = true;
  let memoryBytes: number | undefined;
  let withCeiling = false;
  let source = SOURCE;
  const params: Record<string, ParamValue> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--workers") workers = argv[++i]!.split(",").map(Number);
    else if (a === "--repeat") repeat = Number(argv[++i]);
    else if (a === "--no-sequential") sequential = false;
    else if (a === "--no-liveness") liveness = false;
    else if (a === "--ceiling") withCeiling = true;
    else if (a === "--memory") {
      const size = parseSize(argv[++i] ?? "");
      if (size === null) throw new Error(`--memory needs a size such as 512m, got ${argv[i]}`);
      memoryBytes = size;
    } else if (a === "--spec") {
      const [path, exportName] = argv[++i]!.split("#");
      source = { path: path!, exportName: exportName ?? "default" };
    } else if (a === "--param") {
      const [name, value] = argv[++i]!.split("=");
      params[name!] = /^-?\d+$/.test(value!) ? Number(value) : value!;
    } else sizes.push(Number(a));
  }
  // Sizes are two-phase commit's RM counts; another spec runs once with its --param values.
  const runs =
    source === SOURCE
      ? (sizes.length > 0 ? sizes : [7, 8]).map((rms) => ({ ...params, rms }))
      : [params];
  return { runs, workers, repeat, sequential, liveness, memoryBytes, withCeiling, source };
}

const loadNow = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

async function measure(
  label: string,
  check: (
    onProgress: (s: Stats) => void,
    onLevel: (l: LevelReport) => void,
  ) => Promise<CheckResult<unknown>>,
): Promise<Run> {
  global.gc?.();
  let peakRss = 0;
  const sample = (): void => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };
  let criticalMs = 0;
  let workerCpuMs = 0;
  let mergeMs = 0;
  const onLevel = (l: LevelReport): void => {
    let busiest = 0;
    for (const w of l.workers) {
      busiest = Math.max(busiest, w.cpuMs);
      workerCpuMs += w.cpuMs;
    }
    criticalMs += busiest + l.mergeCpuMs;
    mergeMs += l.mergeCpuMs;
    sample();
  };
  const loadBefore = loadNow();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await check(sample, onLevel);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  sample();
  return {
    label,
    result,
    ms,
    cpuMs: (used.user + used.system) / 1000,
    criticalMs: label === "sequential" ? NaN : criticalMs,
    workerCpuMs: label === "sequential" ? NaN : workerCpuMs,
    mergeMs: label === "sequential" ? NaN : mergeMs,
    peakRssMiB: peakRss / 2 ** 20,
    load: `${loadBefore} -> ${loadNow()}`,
  };
}

const BIN = fileURLToPath(new URL("../bin/protomc.js", import.meta.url));

/** Runs `protomc check` on the spec in a process of its own; resolves to its wall time. */
function checkProcess(args: readonly string[], distinct: number): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, "check", ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = performance.now() - started;
      let found: number | undefined;
      try {
        found = (JSON.parse(out) as { stats?: { distinct?: number } }).stats?.distinct;
      } catch {
        // Reported below: the process printed no result.
      }
      if (found === distinct) resolve(ms);
      else
        reject(
          new Error(
            `protomc check ${args.join(" ")} (exit ${code}) found ${found} states, not ${distinct}`,
          ),
        );
    });
  });
}

/**
 * The most two threads can give on this machine: the wall time of one sequential search in a
 * process of its own, then of two such processes started together. They share nothing but the
 * cores, caches and memory, so two workers that split one search cannot beat their ratio.
 */
async function ceiling(params: Record<string, ParamValue>, distinct: number): Promise<string> {
  const args = [
    `${source.path}#${source.exportName}`,
    ...Object.entries(params).flatMap(([name, value]) => ["--param", `${name}=${value}`]),
    "--workers",
    "1",
    "--quiet",
    "--json",
    ...(liveness ? [] : ["--no-liveness"]),
    ...(memoryBytes === undefined ? [] : ["--memory", String(memoryBytes)]),
  ];
  const alone = await checkProcess(args, distinct);
  const pair = await Promise.all([checkProcess(args, distinct), checkProcess(args, distinct)]);
  const both = Math.max(...pair);
  return (
    `ceiling     one sequential process alone ${duration(alone)}, two at once ` +
    `${pair.map((ms) => duration(ms)).join(" and ")}: x${((2 * alone) / both).toFixed(2)} the ` +
    `throughput of one (start-up included)`
  );
}

const { runs, workers, repeat, sequential, liveness, memoryBytes, withCeiling, source } = parseArgs(
  process.argv.slice(2),
);
console.log(
  `${source.path}#${source.exportName}, ${sequential ? "sequential and " : ""}` +
    `${workers.join(", ")} worker(s); ${repeat} run(s) each, fastest kept; ` +
    `load average (1, 5, 15 min) ${loadNow()}`,
);
const loaded = await loadSpec(source);
for (const params of runs) {
  const built = buildModel(loaded.spec, params, loaded.source);
  const model = liveness ? built : withoutTemporalProperties(built);
  const best = new Map<string, Run>();
  const keep = (r: Run): void => {
    const prev = best.get(r.label);
    if (prev === undefined || r.ms < prev.ms) best.set(r.label, r);
  };
  for (let k = 0; k < repeat; k++) {
    if (sequential) {
      keep(
        await measure("sequential", (onProgress) =>
          checkModel(model, {
            onProgress,
            progressIntervalMs: 200,
            memoryBytes,
          }),
        ),
      );
    }
    for (const n of workers) {
      // The pool's start-up (threads, TypeScript loader, spec) is part of the time measured.
      keep(
        await measure(`${n} worker${n === 1 ? "" : "s"}`, async (onProgress, onLevel) => {
          const pool = new WorkerPool(n, { memoryBytes });
          try {
            return await checkModelParallel(model, {
              workers: n,
              pool,
              // The workers search every level: the rows compare worker counts.
              headStartMs: 0,
              onProgress,
              progressIntervalMs: 200,
              onLevel,
              memoryBytes,
            });
          } finally {
            await pool.close();
          }
        }),
      );
    }
  }
  const seq = best.get("sequential");
  const one = best.get("1 worker");
  const first = [...best.values()][0]!;
  console.log(`\n${source.path}#${source.exportName} ${JSON.stringify(params)}`);
  for (const r of best.values()) {
    const s = r.result.stats;
    if (r.result.kind !== first.result.kind) throw new Error(`${r.label}: ${r.result.kind}`);
    if (s.distinct !== first.result.stats.distinct || s.generated !== first.result.stats.generated)
      throw new Error(`${r.label}: counts differ from the ${first.label} search`);
    const parallel = r.label !== "sequential";
    console.log(
      [
        r.label.padEnd(10),
        r.result.kind === "ok" ? "" : r.result.kind,
        `${count(s.distinct)} distinct`,
        `${duration(r.ms).padStart(8)} wall`,
        `${count((s.distinct * 1000) / r.ms).padStart(8)} distinct/s`,
        seq !== undefined ? `x${(seq.ms / r.ms).toFixed(2)} vs seq` : "",
        one !== undefined && parallel ? `x${(one.ms / r.ms).toFixed(2)} vs 1w` : "          ",
        `peak RSS ${count(r.peakRssMiB)} MiB`,
        `${(s.fingerprintBytes / s.distinct).toFixed(1)} B/state fingerprints`,
        `${count((r.peakRssMiB * 2 ** 20) / s.distinct)} B/state peak RSS`,
        s.spilledStates === undefined ? "" : `${count(s.spilledStates)} states to disk`,
        `CPU ${duration(r.cpuMs)}`,
        parallel
          ? `workers CPU ${duration(r.workerCpuMs)}, merge CPU ${duration(r.mergeMs)}, ` +
            `critical path ${duration(r.criticalMs)}` +
            (one !== undefined ? ` (x${(one.criticalMs / r.criticalMs).toFixed(2)} vs 1w)` : "")
          : "",
        `load ${r.load}`,
      ]
        .filter((x) => x !== "")
        .join("  "),
    );
  }
  if (withCeiling) console.log(await ceiling(params, first.result.stats.distinct));
}
