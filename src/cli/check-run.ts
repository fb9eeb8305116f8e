// Runs `check` on one spec reference: load, build with the params given, search, write the
// counterexample. Shared by the single-spec and the many-spec forms of the command.
import { relative, resolve } from "node:path";
import { checkModel } from "../engine/check.ts";
import { checkModelParallel } from "../engine/parallel/check-parallel.ts";
import type { WorkerPool } from "../engine/parallel/pool.ts";
import {
  CheckpointReader,
  identityMismatch,
  identityOf,
  specDigest,
} from "../engine/checkpoint.ts";
import { formatBytes } from "../engine/memory.ts";
import type { CheckOptions, CheckpointSaved } from "../engine/options.ts";
import type { CheckResult, Stats } from "../engine/result.ts";
import { SpecError } from "../errors/spec-error.ts";
import { writeViolationTrace } from "../itf/trace-file.ts";
import type { CheckOutcome } from "../report/check-report.ts";
import { count, duration } from "../report/numbers.ts";
import { progressLine } from "../report/progress.ts";
import { styleFor } from "../report/style.ts";
import { buildModel, withoutTemporalProperties, type Model } from "../spec/model.ts";
import { formatSpecRef, loadSpec, type SpecRef } from "../spec/load-spec.ts";
import type { Io } from "./io.ts";
import { parseParamFlags } from "./spec-params.ts";
import { UsageError } from "./usage-error.ts";

export interface CheckRunFlags {
  readonly param: readonly string[];
  readonly dfs: boolean;
  readonly maxDepth: number | undefined;
  readonly maxStates: number | undefined;
  readonly timeLimitS: number | undefined;
  readonly deadlock: boolean;
  /** Whether the spec's temporal properties are checked (default true). */
  readonly liveness?: boolean;
  readonly symmetry: boolean;
  /** Worker threads; 1 runs the search on the main thread. */
  readonly workers: number;
  /** Threads to run a parallel search on (else it starts its own). */
  readonly pool?: WorkerPool | null;
  readonly out: string | undefined;
  /** Progress and the "Checking ..." line on stderr. */
  readonly progress: boolean;
  /** Memory budget in bytes (default: the engine's). */
  readonly memoryBytes?: number | undefined;
  /** Directory to save checkpoints in. */
  readonly checkpoint?: string | undefined;
  readonly checkpointEveryS?: number | undefined;
  /** Directory of a checkpoint to continue from. */
  readonly resume?: string | undefined;
}

/** One spec's run: its outcome, or the error that kept it from loading. */
export type CheckRun =
  | { readonly ref: SpecRef; readonly outcome: CheckOutcome }
  | { readonly ref: SpecRef; readonly loadError: SpecError };

export async function checkOne(ref: SpecRef, flags: CheckRunFlags, io: Io): Promise<CheckRun> {
  let loaded;
  try {
    loaded = await loadSpec(ref, io.cwd);
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    return { ref, loadError: e };
  }
  const params = parseParamFlags(loaded.spec, flags.param);
  const built = buildModel<unknown>(loaded.spec, params, loaded.source);
  const skipped = flags.liveness === false ? (built.properties ?? []).map((p) => p.name) : [];
  const model = skipped.length > 0 ? withoutTemporalProperties(built) : built;
  if (flags.dfs && flags.workers > 1) {
    throw new UsageError("worker threads search breadth-first: use --dfs with --workers 1");
  }
  if (flags.dfs && (model.properties?.length ?? 0) > 0) {
    throw new UsageError(
      "temporal properties are checked on the graph that breadth-first search records: drop --dfs",
    );
  }
  const saving = savingOptions(model, flags, io);
  const err = styleFor(io.stderr);
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once("SIGINT", onSigint);
  const options: CheckOptions = {
    strategy: flags.dfs ? "dfs" : "bfs",
    maxDepth: flags.maxDepth,
    maxStates: flags.maxStates,
    timeLimitMs: flags.timeLimitS === undefined ? undefined : flags.timeLimitS * 1000,
    deadlock: flags.deadlock,
    symmetry: flags.symmetry,
    signal: controller.signal,
    onProgress: flags.progress ? (s: Stats) => io.err(err.dim(progressLine(s))) : undefined,
    memoryBytes: flags.memoryBytes,
    ...saving,
    onCheckpoint: (c: CheckpointSaved) => {
      if (c.error !== undefined) io.err(err.yellow(`Could not save a checkpoint: ${c.error}`));
      else if (flags.progress) io.err(err.dim(checkpointLine(c)));
    },
  };
  if (flags.progress) {
    io.err(err.dim(`Checking ${formatSpecRef(ref)} (${model.name}) ${describeParams(model)}`));
  }
  let result: CheckResult<unknown>;
  try {
    // Temporal properties need the graph recorded by the sequential search; the parallel
    // engine hands such specs to it by itself.
    result =
      flags.workers > 1
        ? await checkModelParallel(model, {
            ...options,
            workers: flags.workers,
            cwd: io.cwd,
            pool: flags.pool ?? undefined,
          })
        : await checkModel(model, options);
  } finally {
    process.removeListener("SIGINT", onSigint);
  }
  if (result.kind === "incomplete" && result.detail !== undefined) {
    io.err(err.yellow(`Stopped: ${result.detail}.`));
  }
  const written =
    result.kind === "violation"
      ? writeViolationTrace(
          model,
          result.violation,
          resolve(io.cwd, flags.out ?? "counterexamples"),
        )
      : null;
  const traceFile = written === null ? null : displayPath(io.cwd, written);
  return { ref, outcome: { model, result, traceFile, symmetry: flags.symmetry, skipped } };
}

/** The check options of --checkpoint and --resume, after checking that they apply. */
function savingOptions(
  model: Model<unknown>,
  flags: CheckRunFlags,
  io: Io,
): Pick<CheckOptions, "checkpoint" | "resume"> {
  if (flags.checkpoint === undefined && flags.resume === undefined) return {};
  if (flags.dfs) {
    throw new UsageError("--checkpoint and --resume save the breadth-first search: drop --dfs");
  }
  if ((model.properties?.length ?? 0) > 0) {
    throw new UsageError(
      "--checkpoint and --resume do not apply to specs with temporal properties " +
        "(a checkpoint does not hold the state graph they are checked on)",
    );
  }
  const digest = model.source === null ? undefined : specDigest(resolve(io.cwd, model.source.path));
  const identity = identityOf(
    model,
    { deadlock: flags.deadlock, symmetry: flags.symmetry },
    digest ?? null,
  );
  if (flags.resume !== undefined) {
    const dir = resolve(io.cwd, flags.resume);
    let reader: CheckpointReader;
    try {
      reader = new CheckpointReader(dir);
    } catch (e) {
      throw new UsageError(`cannot resume from ${flags.resume}: ${(e as Error).message}`);
    }
    const why = identityMismatch(reader.meta.identity, identity);
    reader.close();
    if (why !== null) throw new UsageError(`cannot resume from ${flags.resume}: ${why}`);
  }
  return {
    ...(flags.resume === undefined ? {} : { resume: resolve(io.cwd, flags.resume) }),
    ...(flags.checkpoint === undefined
      ? {}
      : {
          checkpoint: {
            dir: resolve(io.cwd, flags.checkpoint),
            ...(flags.checkpointEveryS === undefined
              ? {}
              : { everyMs: flags.checkpointEveryS * 1000 }),
            ...(digest === undefined ? {} : { specDigest: digest }),
          },
        }),
  };
}

function checkpointLine(c: CheckpointSaved): string {
  return (
    `Checkpoint saved to ${c.dir}: depth ${c.depth}, ${count(c.distinct)} distinct, ` +
    `${count(c.frontier)} queued, ${formatBytes(c.bytes)} in ${duration(c.ms)}`
  );
}

function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === "" || rel.startsWith("..") ? path : rel;
}

function describeParams(model: Model<unknown>): string {
  const entries = Object.entries(model.params);
  return entries.length === 0
    ? ""
    : "with " + entries.map(([k, v]) => `${k}=${String(v)}`).join(" ");
}
