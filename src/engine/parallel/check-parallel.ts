// Breadth-first search on worker threads, with the results of the sequential search for any
// number of workers: the same counts, depth and counterexample. See docs/parallel.md.
//
// The search is level-synchronous. Each worker owns some frontier states (as JS values, which
// never leave it), expands them in id order and sends back candidates: (fingerprint, parent
// id, ordinal) for each successor absent from the seen-set. The main thread merges the
// candidates in (parent id, ordinal) order, the order in which the sequential search meets
// them, so the first occurrence of each fingerprint wins and gets the id the sequential
// search gives it; it adds the winners to the shared seen-set and tells each worker which of
// its candidates won. Violations, limits and spec errors are placed in the same order, and
// the first one ends the search with the sequential search's figures.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SpecError, type SpecErrorCode } from "../../errors/spec-error.ts";
import { loadSpec } from "../../spec/load-spec.ts";
import { buildModel, type Model, type SpecSource } from "../../spec/model.ts";
import type { ParamValue } from "../../spec/params.ts";
import { checkModel } from "../check.ts";
import { mutationError } from "../mutation-check.ts";
import { DEFAULT_PROGRESS_INTERVAL_MS, type CheckOptions } from "../options.ts";
import type { CheckResult, IncompleteReason, Stats } from "../result.ts";
import { NO_PARENT } from "../state-records.ts";
import { formatBytes, MemoryExhausted, MemoryGovernor } from "../memory.ts";
import { MainContext } from "./main-context.ts";
import { WorkerPool } from "./pool.ts";
import { runHeadStart } from "./head-start.ts";
import { planBalance } from "./balance.ts";
import { CheckpointClock, searchIdentity } from "../checkpointer.ts";
import { chunkCount, chunkIds } from "../frontier-chunk.ts";
import { loadParallelCheckpoint, saveParallelCheckpoint } from "./parallel-checkpoint.ts";
import {
  ABORT,
  CONTROL_STOP,
  controlBytes,
  PROGRESS_OFFSET,
  RUN,
  SUB_EMIT,
  type ExpansionEvent,
  type InvariantEvent,
  type RoundReply,
  type WireError,
} from "./protocol.ts";

export interface ParallelOptions extends CheckOptions {
  /** Worker threads, from 1 to 255. */
  readonly workers: number;
  /** The directory `source.path` (or `model.source.path`) is relative to (default: cwd). */
  readonly cwd?: string;
  /**
   * While a level has fewer states than this, every worker holds (and expands) all of it;
   * from the first level that reaches it on, the workers split the frontier between them.
   * Default: 256 per worker.
   */
  readonly replicateBelow?: number;
  /**
   * States are moved between workers to even out a level only when the busiest worker holds
   * this many more than its share (and 2% more). Default: 64.
   */
  readonly balanceMinSurplus?: number;
  /**
   * Workers to run on (the first `workers` of them), for several checks in a row; by default
   * each check starts its own and stops them at the end.
   */
  readonly pool?: WorkerPool;
  /**
   * Milliseconds this thread searches on its own while the workers start: a check that ends
   * within them never waits for the workers. By default 300, and longer while its levels are
   * smaller than `replicateBelow` or it looks nearly over (see head-start.ts); 0: none. Not
   * with checkpoints.
   */
  readonly headStartMs?: number;
  /** Called after each level's merge, with where the time went (for benchmarks). */
  readonly onLevel?: (report: LevelReport) => void;
}

/** Where one level's time went. */
export interface LevelReport {
  /** The depth of the expanded states (the initial states are at depth 1). */
  readonly depth: number;
  /** States expanded, and whether every worker held (and expanded) all of them. */
  readonly states: number;
  readonly replicated: boolean;
  /**
   * Per worker: frontier states held (of which `moved` were moved to it from another worker
   * to balance the level), candidates sent, milliseconds busy and on a CPU.
   */
  readonly workers: readonly {
    states: number;
    moved: number;
    candidates: number;
    busyMs: number;
    cpuMs: number;
  }[];
  /** Milliseconds from sending the level to the workers to the last reply. */
  readonly roundMs: number;
  /** Milliseconds the main thread spent merging the candidates. */
  readonly mergeMs: number;
  /**
   * CPU milliseconds of the process during the merge: the main thread's (and the garbage
   * collector's), as the workers wait meanwhile.
   */
  readonly mergeCpuMs: number;
  /** New states found. */
  readonly winners: number;
}

/** Loads the spec module, builds the model with `params` and checks it on worker threads. */
export async function checkParallel(
  source: SpecSource,
  params: Readonly<Record<string, ParamValue>>,
  options: ParallelOptions,
): Promise<CheckResult<unknown>> {
  const loaded = await loadSpec(source, options.cwd);
  const model = buildModel<unknown>(loaded.spec, params, loaded.source);
  return checkModelParallel(model, options);
}

/**
 * Checks a model loaded from a module (`model.source` set, as `loadSpec` + `buildModel` give)
 * on worker threads; each worker loads it again from `model.source` and `model.params`.
 * Temporal properties need the state graph, which only the sequential search records: a spec
 * with some is checked by `checkModel` on this thread.
 */
export async function checkModelParallel<S>(
  model: Model<S>,
  options: ParallelOptions,
): Promise<CheckResult<S>> {
  const n = options.workers;
  if (!Number.isInteger(n) || n < 1 || n > 255) {
    throw new RangeError(`workers must be an integer from 1 to 255, got ${n}`);
  }
  if (options.strategy === "dfs") {
    throw new RangeError('worker threads search breadth-first: drop strategy "dfs"');
  }
  if (model.source === null) {
    throw new RangeError(
      "worker threads load the spec from its module: build the model from loadSpec",
    );
  }
  if ((model.properties?.length ?? 0) > 0) return checkModel(model, options);
  const pool = options.pool ?? new WorkerPool(n, { memoryBytes: options.memoryBytes });
  if (pool.size < n) throw new RangeError(`a pool of ${pool.size} workers cannot run ${n}`);
  if (pool.busy) throw new Error("parallel search: the worker pool is busy with another check");
  pool.busy = true;
  const path = resolve(options.cwd ?? process.cwd(), model.source.path);
  // The workers spill into a directory of this check's own, removed when it ends whatever
  // became of them (a worker that died cannot remove its files). If it cannot be made here,
  // the workers meet the same error when they first spill.
  const spillRoot = tryMkdtemp(join(options.spillDir ?? tmpdir(), "protomc-"));
  const searchOptions = spillRoot === null ? options : { ...options, spillDir: spillRoot };
  const search = new ParallelSearch(model, searchOptions, pool, path);
  // The workers load the spec while this thread checks the initial states.
  const loading = search.load();
  loading.catch(() => {});
  try {
    let result: CheckResult<S>;
    try {
      result = await search.run(loading);
    } catch (e) {
      if (e instanceof MemoryExhausted) result = search.memoryResult(e.message);
      else if ((e as { code?: unknown }).code === "ERR_WORKER_OUT_OF_MEMORY") {
        result = search.outOfMemory(pool.heapLimitBytes);
      } else throw e;
    }
    result = search.withSpilled(result);
    search.finishProgress(result.stats);
    if (search.searched && pool.usable) await search.release();
    return result;
  } finally {
    // The workers may still be loading the spec (the search ended on this thread): a pool's
    // next check waits for that answer before its own requests, and a pool of this check's
    // own is stopped without waiting.
    pool.busy = false;
    if (options.pool === undefined) await pool.close();
    if (spillRoot !== null) rmSync(spillRoot, { recursive: true, force: true });
  }
}

/** How often the main thread checks the time limit and the signal while workers run. */
const TICK_MS = 50;

/** One BFS level: the states with ids start .. start + size - 1. */
interface Level {
  readonly start: number;
  readonly size: number;
  /** The depth of its states (the initial states are at depth 1). */
  readonly depth: number;
  /** Successors generated before this level was expanded. */
  readonly generatedBefore: number;
  /** The worker that holds each state (0 for every state while levels are replicated). */
  readonly owner: Uint8Array;
  /** Filled by the merge: per state, its successor count, or -1 outside the constraint. */
  readonly counts: Int32Array;
}

/** Which of its candidates each worker keeps, and their ids; and the states moved to it. */
interface Assignment {
  readonly keep: Uint32Array;
  readonly ids: Uint32Array;
  /** Chunks of states moved to it (or read from a checkpoint), and how many states they hold. */
  readonly imports: readonly Uint8Array[];
  readonly imported: number;
}

const NO_IMPORTS = { imports: [], imported: 0 };

/** The first event of a level: the search ends there once the level's invariants are in. */
interface Cut {
  /** The event, or null for the state limit. */
  readonly event: ExpansionEvent | null;
  readonly stats: { generated: number; distinct: number; queue: number; depth: number };
  /**
   * The queue figure for a spec error: the sequential search's at the start of the failing
   * state's expansion (the states left in the level and the new states found so far).
   */
  readonly errorQueue: number;
}

class GrowableU32 {
  data = new Uint32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const d = new Uint32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = v;
  }
  toArray(): Uint32Array {
    return this.data.slice(0, this.length);
  }
}

/** Where the level loop starts: the first level, who holds its states, and what they are. */
interface Start {
  readonly level: Level;
  readonly replicated: boolean;
  readonly assignments: Assignment[];
  /** The first round: the workers compute the initial states themselves. */
  readonly first: boolean;
  /** Chunks of states of the level after `level`, found before a resumed search was saved. */
  readonly carried: readonly Uint8Array[];
}

const carriedCount = (chunks: readonly Uint8Array[]): number =>
  chunks.reduce((n, c) => n + chunkCount(c), 0);

class ParallelSearch<S> {
  private readonly ctx: MainContext<S>;
  private readonly n: number;
  private readonly control: Int32Array;
  private readonly progress: Float64Array;
  private readonly replicateBelow: number;
  private lastProgress: number;
  private progressShown = false;
  private readonly checkpointClock: CheckpointClock | null;
  /** The memory budget: the seen-set and records may not outgrow it (the workers spill). */
  private readonly governor: MemoryGovernor;
  /** Per worker, the states it has written to disk so far. */
  private readonly spilledBy: Float64Array;
  /** Whether the workers searched (and may hold states and spill files). */
  searched = false;

  constructor(
    private readonly model: Model<S>,
    private readonly options: ParallelOptions,
    private readonly pool: WorkerPool,
    private readonly path: string,
  ) {
    this.ctx = new MainContext(model, options);
    this.n = options.workers;
    this.replicateBelow = options.replicateBelow ?? 256 * this.n;
    this.lastProgress = this.ctx.startedAt;
    this.checkpointClock =
      options.checkpoint === undefined
        ? null
        : new CheckpointClock(options.checkpoint, this.ctx.startedAt);
    this.governor = new MemoryGovernor(options);
    const { table, records } = this.ctx;
    this.governor.countOffHeap(() => table.bytes + records.bytes);
    table.onGrow = (bytes) => this.governor.reserve(bytes, "fingerprint table");
    records.onGrow = (bytes) => this.governor.reserve(bytes, "state records");
    this.spilledBy = new Float64Array(this.n);
    const control = new SharedArrayBuffer(controlBytes(this.n));
    this.control = new Int32Array(control, 0, 1);
    this.progress = new Float64Array(control, PROGRESS_OFFSET, 2 * this.n);
  }

  /** Loads the spec into the workers. */
  async load(): Promise<void> {
    const control = this.control.buffer as SharedArrayBuffer;
    const answers = await Promise.all(
      Array.from({ length: this.n }, (_, i) =>
        this.pool.request(i, {
          type: "load",
          path: this.path,
          exportName: this.model.source!.exportName,
          params: { ...this.model.params },
          options: plainOptions(this.options),
          control,
          index: i,
          workers: this.n,
        }),
      ),
    );
    for (const a of answers) {
      if (a.type === "loadFailed") {
        throw new Error(`parallel search: a worker cannot load the spec: ${a.message}`);
      }
    }
  }

  async run(loading: Promise<void>): Promise<CheckResult<S>> {
    const head = await this.headStart();
    if (head !== null) return head;
    const ctx = this.ctx;
    const seen = ctx.table;
    const records = ctx.records;
    const fp = ctx.fp;
    if (this.options.resume !== undefined) {
      const start = this.resumeStart(this.options.resume);
      await loading;
      return this.search(start);
    }

    // The initial states, checked here as the sequential search does; each worker computes
    // them again and keeps the ones it is told to.
    const initKeep = new GrowableU32();
    const initIds = new GrowableU32();
    let initViolation: { property: string; id: number } | null = null;
    try {
      const inits = ctx.initialStates();
      for (let i = 0; i < inits.length && initViolation === null; i++) {
        const s = inits[i]!;
        ctx.generated++;
        ctx.fingerprint(s);
        if (!seen.add(fp[0]!, fp[1]!)) continue;
        const id = records.push(NO_PARENT, i);
        const inv = ctx.violatedInvariant(s);
        if (inv !== null) initViolation = { property: inv, id };
        initKeep.push(i);
        initIds.push(id);
      }
    } catch (e) {
      return ctx.specErrorResult(e, null);
    }
    ctx.depth = initIds.length > 0 ? 1 : 0;
    ctx.queue = initIds.length;
    if (initViolation !== null) {
      return ctx.violationResult({ ...initViolation, kind: "invariant", step: null });
    }
    if (initIds.length === 0) return { kind: "ok", stats: ctx.stats() };

    await loading;
    ctx.levelSizes.push(initIds.length);
    const all = { keep: initKeep.toArray(), ids: initIds.toArray(), ...NO_IMPORTS };
    return this.search({
      level: {
        start: 0,
        size: initIds.length,
        depth: 1,
        generatedBefore: ctx.generated,
        owner: new Uint8Array(initIds.length),
        counts: new Int32Array(initIds.length),
      },
      // Every worker holds the whole level while levels are small.
      replicated: true,
      assignments: Array.from({ length: this.n }, () => all),
      first: true,
      carried: [],
    });
  }

  /** The head start (see head-start.ts): its result if it ended, else null. */
  private async headStart(): Promise<CheckResult<S> | null> {
    const options = this.options;
    const length = options.headStartMs;
    // A saving search must not leave a checkpoint of a search it abandons.
    if (
      (length !== undefined && length <= 0) ||
      options.resume !== undefined ||
      options.checkpoint !== undefined
    ) {
      return null;
    }
    return runHeadStart(this.model, options, length, this.replicateBelow);
  }

  /**
   * Where a resumed search starts: the saved seen-set and records, and the saved frontier
   * handed out to the workers chunk by chunk (their invariants were checked before saving).
   */
  private resumeStart(dir: string): Start {
    const ctx = this.ctx;
    const saved = loadParallelCheckpoint(dir, searchIdentity(ctx), ctx.table, ctx.records);
    const stats = saved.meta.stats;
    ctx.priorElapsedMs = stats.elapsedMs;
    ctx.generated = stats.generated;
    ctx.depth = stats.depth;
    ctx.levelSizes.push(...stats.levelSizes);
    let current = saved.current;
    let next = saved.next;
    let depth = stats.depth;
    if (current.length === 0 && next.length > 0) {
      // Saved just as a level ended: the next level is the one to expand.
      [current, next] = [next, []];
      depth++;
      ctx.depth = depth;
    }
    const { owner, assignments, start, size } = this.handOut(current);
    if (size > 0 && ctx.levelSizes.length < depth) ctx.levelSizes.push(size);
    return {
      level: {
        start,
        size,
        depth,
        generatedBefore: ctx.generated,
        owner,
        counts: new Int32Array(size),
      },
      replicated: false,
      assignments,
      first: false,
      carried: next,
    };
  }

  /** Deals frontier chunks out to the workers in turn: who holds which state. */
  private handOut(chunks: readonly Uint8Array[]): {
    owner: Uint8Array;
    assignments: Assignment[];
    start: number;
    size: number;
  } {
    const idsOf = chunks.map(chunkIds);
    let start = Infinity;
    let size = 0;
    for (const ids of idsOf) {
      size += ids.length;
      if (ids.length > 0) start = Math.min(start, ids[0]!);
    }
    if (size === 0) start = this.ctx.records.size;
    const owner = new Uint8Array(size);
    const assignments: Assignment[] = Array.from({ length: this.n }, () => ({
      keep: new Uint32Array(0),
      ids: new Uint32Array(0),
      imports: [],
      imported: 0,
    }));
    chunks.forEach((chunk, k) => {
      const w = k % this.n;
      const ids = idsOf[k]!;
      for (const id of ids) owner[id - start] = w;
      const a = assignments[w]!;
      assignments[w] = { ...a, imports: [...a.imports, chunk], imported: a.imported + ids.length };
    });
    return { owner, assignments, start, size };
  }

  /** The search from `start` on: level after level until a result. */
  private async search(begin: Start): Promise<CheckResult<S>> {
    const ctx = this.ctx;
    let { level, replicated, assignments, first } = begin;
    // States of the level after `level` found before the search resumed.
    let carried = begin.carried;
    let checkInvariants = false;
    let parents: Level | null = null;
    let cut: Cut | null = null;

    for (;;) {
      const stop = this.stopReason();
      const expand = cut === null && stop === null && level.depth < ctx.maxDepth;
      let replies: RoundReply[] = [];
      ctx.queue = level.size;
      const roundStarted = performance.now();
      if (expand || checkInvariants) {
        replies = await this.round(assignments, first, checkInvariants, expand);
      }
      const roundMs = performance.now() - roundStarted;
      const searched = !first || replies.length > 0;
      first = false;

      // 1. The invariants of the level's states (the winners of the last merge): they come
      // before any event of the merge, which only produced winners before its cut.
      if (checkInvariants) {
        const inv = firstInvariantEvent(replies);
        if (inv !== null) return this.invariantResult(inv, parents!);
      }
      if (cut !== null) return this.cutResult(cut);
      if (!expand) {
        // Stopped before the first round: nothing was searched yet, there is nothing to save.
        if (stop !== null && searched) {
          await this.saveStopped(level, assignments, replies.length > 0, carried);
        }
        ctx.queue = level.size;
        ctx.distinct = null;
        return { kind: "incomplete", stats: ctx.stats(), reason: stop ?? "max-depth" };
      }
      if (replies.some((r) => r.stopped)) {
        await this.saveStopped(level, assignments, true, carried);
        ctx.generated = level.generatedBefore + sumGenerated(this.progress);
        ctx.queue = level.size;
        const memory = replies.find((r) => r.memory !== null)?.memory;
        if (memory !== undefined && memory !== null) return this.memoryResult(memory);
        return {
          kind: "incomplete",
          stats: ctx.stats(),
          reason: this.stopReason() ?? "interrupted",
        };
      }

      // 2. Merge the candidates in (parent id, ordinal) order.
      const sources = replicated ? [replies[0]!] : replies;
      if (this.options.checkpoint !== undefined && Number.isFinite(ctx.maxStates)) {
        // The state limit may cut this merge short, which leaves no level boundary to save:
        // the level is saved before it is merged.
        const candidates = sources.reduce((n, r) => n + r.cand.length / 4, 0);
        if (ctx.table.size + candidates >= ctx.maxStates) {
          await this.saveStopped(level, assignments, true, carried);
        }
      }
      const mergeCpu = process.cpuUsage();
      const merged = this.merge(level, sources);
      const mergeCpuUsed = process.cpuUsage(mergeCpu);
      ctx.generated = level.generatedBefore + merged.generated;
      this.options.onLevel?.({
        depth: level.depth,
        states: level.size,
        replicated,
        workers: replies.map((r, w) => ({
          states: assignments[w]!.ids.length + assignments[w]!.imported,
          moved: assignments[w]!.imported,
          candidates: r.cand.length / 4,
          busyMs: r.busyMs,
          cpuMs: r.cpuMs,
        })),
        roundMs,
        mergeMs: performance.now() - roundStarted - roundMs,
        mergeCpuMs: (mergeCpuUsed.user + mergeCpuUsed.system) / 1000,
        winners: merged.winners,
      });
      if (merged.cut !== null) {
        cut = merged.cut;
      } else if (merged.winners === 0 && carried.length === 0) {
        ctx.queue = 0;
        return { kind: "ok", stats: ctx.stats() };
      }
      const nextStart = level.start + level.size;
      const nextSize = carriedCount(carried) + merged.winners;
      if (cut === null) ctx.levelSizes.push(nextSize);
      if (cut === null && nextSize > 0 && this.checkpointClock?.due() === true) {
        await this.saveBoundary(merged, replicated, carried, level.depth + 1);
      }
      let owner: Uint8Array;
      if (carried.length > 0) {
        // A resumed search: the saved states of this next level are dealt out with the winners.
        const dealt = this.handOut(carried);
        owner = new Uint8Array(nextSize);
        owner.set(dealt.owner);
        const winners = replicated ? null : merged.owner;
        for (let j = 0; j < merged.winners; j++) {
          owner[dealt.size + j] = winners === null ? 0 : winners[j]!;
        }
        const mine = replicated ? [merged.perWorker[0]!] : merged.perWorker;
        assignments = dealt.assignments.map((a, w) => ({
          ...a,
          ...(mine[w] === undefined ? {} : { keep: mine[w].keep, ids: mine[w].ids }),
        }));
        replicated = false;
        carried = [];
      } else if (replicated && (merged.winners >= this.replicateBelow || cut !== null)) {
        // Split the level between the workers, every n-th state to the same one: each worker
        // holds every candidate, so the indices of worker 0's list are valid for all.
        replicated = false;
        const { keep, ids } = merged.perWorker[0]!;
        owner = new Uint8Array(merged.winners);
        const split = Array.from({ length: this.n }, () => ({
          keep: new GrowableU32(),
          ids: new GrowableU32(),
        }));
        for (let j = 0; j < merged.winners; j++) {
          const w = j % this.n;
          owner[j] = w;
          split[w]!.keep.push(keep[j]!);
          split[w]!.ids.push(ids[j]!);
        }
        assignments = split.map((s) => ({
          keep: s.keep.toArray(),
          ids: s.ids.toArray(),
          ...NO_IMPORTS,
        }));
      } else if (replicated) {
        owner = new Uint8Array(merged.winners);
        const a = merged.perWorker[0]!;
        assignments = Array.from({ length: this.n }, () => a);
      } else {
        ({ owner, assignments } = await this.balance(merged, nextStart));
      }
      parents = level;
      level = {
        start: nextStart,
        size: nextSize,
        depth: level.depth + 1,
        generatedBefore: ctx.generated,
        owner,
        counts: new Int32Array(nextSize),
      };
      checkInvariants = ctx.model.invariants.length > 0 && nextSize > 0;
      if (cut === null) ctx.depth = level.depth;
    }
  }

  /**
   * Walks the level's states in id order with their owners' replies: each state's new
   * candidates are accepted or dropped in ordinal order, until the first event or the state
   * limit. Replies are indexed by owner (a single reply while levels are replicated).
   *
   * A winner belongs to the worker that generated it first in (parent, ordinal) order, which
   * holds that very copy of the state (see the comment in the body for why no other copy will do).
   */
  private merge(
    level: Level,
    replies: readonly RoundReply[],
  ): {
    winners: number;
    generated: number;
    owner: Uint8Array;
    cand: Uint32Array;
    perWorker: Assignment[];
    cut: Cut | null;
  } {
    const ctx = this.ctx;
    const seen = ctx.table;
    const records = ctx.records;
    const k = replies.length;
    const frontierAt = new Uint32Array(k);
    const candAt = new Uint32Array(k);
    // Per winner (in id order): the worker that keeps it and the index of its candidate there.
    const owner = new GrowableU8();
    const candOf = new GrowableU32();
    // A winner is never handed to another worker's copy of it to balance the next level:
    // equal fingerprints mean equal values, not equal iteration orders (an immutable Set built
    // in another order), and successor ordinals follow the iteration order of the copy that
    // is expanded, so traces rebuilt from the first generation would differ. `balance` moves
    // the very copy instead, through the state codec, which keeps iteration orders.
    let generated = 0;
    let winners = 0;
    let cut: Cut | null = null;
    let winnersBefore = 0;
    const cutAt = (event: ExpansionEvent | null, off: number, extra: number): Cut => ({
      event,
      stats: {
        generated: level.generatedBefore + generated + extra,
        distinct: seen.size,
        queue: level.size + winners,
        depth: level.depth,
      },
      errorQueue: level.size - off + winnersBefore,
    });
    for (let off = 0; off < level.size; off++) {
      const p = level.start + off;
      const w = level.owner[off]!;
      const r = replies[w]!;
      const i = frontierAt[w]!++;
      if (i >= r.processed) throw new Error(`parallel search: worker ${w} skipped state ${p}`);
      const event = r.event !== null && r.event.parent === p ? r.event : null;
      const limit = event === null ? Infinity : event.k;
      const cand = r.cand;
      winnersBefore = winners;
      let q = candAt[w]!;
      while (4 * q < cand.length && cand[4 * q + 2] === p && cand[4 * q + 3]! < limit) {
        const hi = cand[4 * q]!;
        const lo = cand[4 * q + 1]!;
        if (seen.add(hi, lo)) {
          records.push(p, cand[4 * q + 3]!);
          owner.push(w);
          candOf.push(q);
          winners++;
        }
        q++;
      }
      candAt[w] = q;
      if (event !== null) {
        level.counts[off] = event.k;
        cut = cutAt(event, off, event.k + (event.sub === SUB_EMIT ? 1 : 0));
        break;
      }
      const count = r.counts[i]!;
      level.counts[off] = count;
      if (count >= 0) {
        generated += count;
        if (seen.size >= ctx.maxStates) {
          cut = cutAt(null, off, 0);
          break;
        }
      }
    }
    const owners = owner.data;
    const cands = candOf.data;
    const keep = replies.map(() => new GrowableU32());
    const ids = replies.map(() => new GrowableU32());
    // Winners are numbered after every state recorded so far: the level's own, and, in a
    // resumed search, the next level's states found before it was saved.
    const firstId = records.size - winners;
    for (let j = 0; j < winners; j++) {
      const w = owners[j]!;
      keep[w]!.push(cands[j]!);
      ids[w]!.push(firstId + j);
    }
    return {
      winners,
      generated,
      owner: owner.toArray(),
      cand: candOf.toArray(),
      perWorker: keep.map((kp, w) => ({
        keep: kp.toArray(),
        ids: ids[w]!.toArray(),
        ...NO_IMPORTS,
      })),
      cut,
    };
  }

  /**
   * Evens out the next level between the workers: winners beyond a worker's share are encoded
   * by the worker that holds them and sent along with the next round to one that has room.
   */
  private async balance(
    merged: { owner: Uint8Array; cand: Uint32Array; perWorker: Assignment[] },
    firstId: number,
  ): Promise<{ owner: Uint8Array; assignments: Assignment[] }> {
    const plan = planBalance(merged.owner, this.n, this.options.balanceMinSurplus);
    if (plan.owner === merged.owner) return { owner: merged.owner, assignments: merged.perWorker };
    const exported = await Promise.all(
      plan.moves.map(async (row, from) => {
        if (row.every((list) => list.length === 0)) return null;
        return this.exportCandidates(
          from,
          row.map((list) => Uint32Array.from(list, (j) => merged.cand[j]!)),
          row.map((list) => Uint32Array.from(list, (j) => firstId + j)),
        );
      }),
    );
    const keep = Array.from({ length: this.n }, () => new GrowableU32());
    const ids = Array.from({ length: this.n }, () => new GrowableU32());
    for (let j = 0; j < plan.owner.length; j++) {
      const w = plan.owner[j]!;
      if (w !== merged.owner[j]) continue;
      keep[w]!.push(merged.cand[j]!);
      ids[w]!.push(firstId + j);
    }
    const assignments = keep.map((kp, to) => {
      const imports: Uint8Array[] = [];
      let imported = 0;
      for (let from = 0; from < this.n; from++) {
        const list = plan.moves[from]![to]!;
        if (list.length === 0) continue;
        imports.push(...exported[from]![to]!);
        imported += list.length;
      }
      return { keep: kp.toArray(), ids: ids[to]!.toArray(), imports, imported };
    });
    return { owner: plan.owner, assignments };
  }

  /**
   * Saves the search at a level boundary: the merge's winners (still candidates in the
   * workers) and any carried states are the frontier, at `depth`.
   */
  private async saveBoundary(
    merged: { perWorker: Assignment[] },
    replicated: boolean,
    carried: readonly Uint8Array[],
    depth: number,
  ): Promise<void> {
    const holders = replicated ? [0] : merged.perWorker.map((_, w) => w);
    await this.saveCheckpoint(depth, this.ctx.generated, async () => {
      const streams = await Promise.all(
        holders.map(async (w) => {
          const a = merged.perWorker[w]!;
          const [chunks] = await this.exportCandidates(w, [a.keep], [a.ids]);
          return [...chunks!];
        }),
      );
      return [...streams, ...carried.map((c) => [c])];
    });
  }

  /**
   * Saves a search stopped before or during the expansion of `level`: the level is saved
   * whole (its successors were not merged, so the seen-set and the records are as they were
   * when it began), from the workers' frontiers if a round adopted it, else from their
   * candidates and the states moved to them.
   */
  private async saveStopped(
    level: Level,
    assignments: readonly Assignment[],
    adopted: boolean,
    carried: readonly Uint8Array[],
  ): Promise<void> {
    if (this.options.checkpoint === undefined) return;
    // The figures of a level cut short by a limit or an event are not a level boundary.
    const holders = assignments.length === 1 || assignments[0] === assignments[1] ? [0] : null;
    const workers = holders ?? assignments.map((_, w) => w);
    await this.saveCheckpoint(level.depth, level.generatedBefore, async () => {
      const streams: Uint8Array[][] = [];
      for (const w of workers) {
        if (adopted) {
          const answer = await this.pool.request(w, { type: "export", source: "frontier" });
          if (answer.type !== "exported") throw new Error(`parallel search: ${answer.type}`);
          streams.push([...answer.groups[0]!]);
        } else {
          const a = assignments[w]!;
          const [chunks] = await this.exportCandidates(w, [a.keep], [a.ids]);
          streams.push([...chunks!]);
          for (const c of a.imports) streams.push([c]);
        }
      }
      return [...streams, ...carried.map((c) => [c])];
    });
  }

  private async saveCheckpoint(
    depth: number,
    generated: number,
    frontier: () => Promise<Uint8Array[][]>,
  ): Promise<void> {
    const cp = this.options.checkpoint;
    if (cp === undefined) return;
    const ctx = this.ctx;
    const started = performance.now();
    const base = { dir: cp.dir, depth, distinct: ctx.table.size };
    let states = 0;
    try {
      const streams = await frontier();
      for (const s of streams) for (const c of s) states += chunkCount(c);
      const bytes = saveParallelCheckpoint(cp.dir, {
        identity: searchIdentity(ctx),
        generated,
        depth,
        levelSizes: ctx.levelSizes.slice(0, depth),
        elapsedMs: ctx.elapsedMs(started),
        seen: ctx.table,
        records: ctx.records,
        streams,
      });
      this.options.onCheckpoint?.({
        ...base,
        frontier: states,
        bytes,
        ms: performance.now() - started,
      });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      this.options.onCheckpoint?.({
        ...base,
        frontier: states,
        bytes: 0,
        ms: performance.now() - started,
        error,
      });
    }
    this.checkpointClock?.restart();
  }

  /** Worker `from`'s candidates `groups` (which won `ids`), as chunks per group. */
  private async exportCandidates(
    from: number,
    groups: Uint32Array[],
    ids: Uint32Array[],
  ): Promise<readonly (readonly Uint8Array[])[]> {
    const answer = await this.pool.request(from, {
      type: "export",
      source: "candidates",
      groups,
      ids,
    });
    if (answer.type !== "exported")
      throw new Error(`parallel search: ${answer.type} for an export`);
    return answer.groups;
  }

  private async round(
    assignments: readonly Assignment[],
    first: boolean,
    checkInvariants: boolean,
    expand: boolean,
  ): Promise<RoundReply[]> {
    Atomics.store(this.control, CONTROL_STOP, RUN);
    this.progress.fill(0);
    this.searched = true;
    const table = this.ctx.table.shared;
    const replies = Promise.all(
      assignments.slice(0, this.n).map(async (a, i) => {
        const answer = await this.pool.request(i, {
          type: "round",
          table,
          first,
          keep: a.keep,
          ids: a.ids,
          imports: a.imports,
          checkInvariants,
          expand,
          keepFrontier:
            this.options.checkpoint !== undefined && Number.isFinite(this.ctx.maxStates),
          offHeapBytes: this.ctx.table.bytes + this.ctx.records.bytes,
        });
        if (answer.type !== "reply") throw new Error(`parallel search: ${answer.type} in a round`);
        return answer.reply;
      }),
    );
    const signal = this.options.signal;
    const onAbort = (): void => {
      Atomics.store(this.control, CONTROL_STOP, ABORT);
    };
    signal?.addEventListener("abort", onAbort);
    const timer = setInterval(() => this.tick(), TICK_MS);
    try {
      const answers = await replies;
      answers.forEach((r, w) => (this.spilledBy[w] = r.spilledStates));
      return answers;
    } finally {
      clearInterval(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  /** While workers run: the time limit, and progress reports. */
  private tick(): void {
    if (this.stopReason() !== null) Atomics.store(this.control, CONTROL_STOP, ABORT);
    const onProgress = this.options.onProgress;
    const now = performance.now();
    if (
      onProgress === undefined ||
      now - this.lastProgress < (this.options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS)
    )
      return;
    this.lastProgress = now;
    this.progressShown = true;
    const stats = this.ctx.stats();
    let expanded = 0;
    for (let w = 0; w < this.n; w++) expanded += this.progress[2 * w]!;
    onProgress({
      ...stats,
      generated: stats.generated + sumGenerated(this.progress),
      queue: Math.max(0, stats.queue - expanded),
    });
  }

  /**
   * The result when a worker thread ran out of JavaScript heap (V8 then ends the thread): the
   * figures reached so far. Every worker writes its states to disk past its share of the
   * memory budget, or past half its heap; this happens when even that is not enough.
   */
  outOfMemory(heapLimitBytes: number): CheckResult<S> {
    return {
      kind: "incomplete",
      stats: this.ctx.stats(),
      reason: "memory",
      detail:
        `a worker thread ran out of JavaScript heap (${formatBytes(heapLimitBytes)} per thread); ` +
        "a smaller --memory budget makes the workers spill states to disk sooner" +
        (this.options.checkpoint === undefined
          ? ""
          : ", and --resume continues from the last checkpoint"),
    };
  }

  /** The result when the budget or the disk runs out: the figures reached so far. */
  memoryResult(detail: string): CheckResult<S> {
    return { kind: "incomplete", stats: this.ctx.stats(), reason: "memory", detail };
  }

  /** `result` with the states the workers spilled to disk, if they spilled any. */
  withSpilled(result: CheckResult<S>): CheckResult<S> {
    let spilledStates = 0;
    for (const n of this.spilledBy) spilledStates += n;
    if (spilledStates === 0) return result;
    return { ...result, stats: { ...result.stats, spilledStates } };
  }

  /** Has every worker drop its states and spill files. */
  async release(): Promise<void> {
    this.governor.close();
    await Promise.all(
      Array.from({ length: this.n }, (_, i) => this.pool.request(i, { type: "release" })),
    );
  }

  /** A last progress report, for runs long enough to have shown progress at all. */
  finishProgress(stats: Stats): void {
    if (this.progressShown) this.options.onProgress?.(stats);
  }

  private stopReason(): IncompleteReason | null {
    if (performance.now() >= this.ctx.deadlineAt) return "time-limit";
    if (this.options.signal?.aborted === true) return "interrupted";
    return null;
  }

  /** The first frontier state that violates an invariant: the sequential search's figures. */
  private invariantResult(inv: InvariantEvent, parents: Level): CheckResult<S> {
    const ctx = this.ctx;
    const parent = ctx.records.parent(inv.id);
    const ordinal = ctx.records.ordinal(inv.id);
    let generated = parents.generatedBefore + ordinal + 1;
    for (let off = 0; off < parent - parents.start; off++) {
      generated += Math.max(0, parents.counts[off]!);
    }
    ctx.generated = generated;
    ctx.distinct = inv.id + 1;
    ctx.depth = parents.depth;
    const nextStart = parents.start + parents.size;
    ctx.queue = parents.size + (inv.id - nextStart);
    if (inv.kind === "error") {
      // As for any spec error: the queue at the start of the parent's expansion.
      let firstChild = inv.id;
      while (firstChild > nextStart && ctx.records.parent(firstChild - 1) === parent) firstChild--;
      ctx.queue = parents.size - (parent - parents.start) + (firstChild - nextStart);
      return ctx.specErrorResult(fromWire(inv.error), parent);
    }
    return ctx.violationResult({
      property: inv.property,
      kind: "invariant",
      id: inv.id,
      step: null,
    });
  }

  private cutResult(cut: Cut): CheckResult<S> {
    const ctx = this.ctx;
    ctx.generated = cut.stats.generated;
    ctx.distinct = cut.stats.distinct;
    ctx.queue = cut.stats.queue;
    ctx.depth = cut.stats.depth;
    const event = cut.event;
    if (event === null) return { kind: "incomplete", stats: ctx.stats(), reason: "max-states" };
    const at = event.parent;
    switch (event.kind) {
      case "deadlock":
        return ctx.violationResult({ property: "deadlock", kind: "deadlock", id: at, step: null });
      case "mutation":
        ctx.queue = cut.errorQueue;
        return ctx.specErrorResult(mutationError(ctx, at), at);
      case "error":
        ctx.queue = cut.errorQueue;
        return ctx.specErrorResult(fromWire(event.error), at);
      case "step": {
        // The step is found again by re-executing the actions on the state.
        let step;
        try {
          const trace = ctx.rebuildTrace(at);
          step = ctx.successor(trace[trace.length - 1]!.state, event.k);
        } catch (e) {
          return ctx.specErrorResult(e, null);
        }
        if (step === null) throw new Error("parallel search: a violating step is gone");
        return ctx.violationResult({ property: event.property, kind: "step", id: at, step });
      }
    }
  }
}

class GrowableU8 {
  data = new Uint8Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const d = new Uint8Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = v;
  }
  toArray(): Uint8Array {
    return this.data.slice(0, this.length);
  }
}

function tryMkdtemp(prefix: string): string | null {
  try {
    return mkdtempSync(prefix);
  } catch {
    return null;
  }
}

/** The options a worker needs: those that are plain data (callbacks and signals stay here). */
function plainOptions(options: ParallelOptions): Record<string, number | boolean | string> {
  const plain: Record<string, number | boolean | string> = {};
  for (const [key, value] of Object.entries(options)) {
    if (typeof value === "number" || typeof value === "boolean" || typeof value === "string") {
      plain[key] = value;
    }
  }
  return plain;
}

function firstInvariantEvent(replies: readonly RoundReply[]): InvariantEvent | null {
  let best: InvariantEvent | null = null;
  for (const r of replies) {
    if (r.inv !== null && (best === null || r.inv.id < best.id)) best = r.inv;
  }
  return best;
}

function sumGenerated(progress: Float64Array): number {
  let g = 0;
  for (let j = 1; j < progress.length; j += 2) g += progress[j]!;
  return g;
}

function fromWire(e: WireError): SpecError {
  let cause: Error | undefined;
  if (e.cause !== null) {
    cause = new Error(e.cause.message);
    cause.name = e.cause.name;
    cause.stack = e.cause.stack;
  }
  return new SpecError(
    e.code as SpecErrorCode,
    e.message,
    e.fix,
    cause === undefined ? undefined : { cause },
  );
}
