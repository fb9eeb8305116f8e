// The worker threads of parallel searches. A pool can serve several checks one after the
// other (each loads its spec into the workers again), which saves the start-up of a thread
// and of its TypeScript loader per check: tests and benchmarks run many small checks.
import { totalmem } from "node:os";
import { getHeapStatistics } from "node:v8";
import { Worker } from "node:worker_threads";
import { WORKER_ROLE, type MainMessage, type WorkerMessage } from "./protocol.ts";

const WORKER_URL = new URL("./worker-entry.js", import.meta.url);

// `node --cpu-prof[-dir D] ...` profiles the workers too, one file per thread. No other flag
// of this thread is passed on: its loader flags must not reach the workers (see the entry).
const PROFILE_FLAGS = profileFlags(process.execArgv);

function profileFlags(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (!flag.startsWith("--cpu-prof")) continue;
    out.push(flag);
    // --cpu-prof-dir, -name and -interval take a value, as the next argument or after "=".
    if (flag !== "--cpu-prof" && !flag.includes("=") && i + 1 < argv.length) out.push(argv[++i]!);
  }
  return out;
}

/**
 * V8 gives every thread the same heap limit whatever the machine has (4 GiB on a 64-bit
 * machine with 16 GiB or more), and the workers hold the frontier in their heaps: they may
 * share 80% of the machine's memory instead, never less than V8's own limit.
 */
function defaultHeapMiB(workers: number): number {
  const share = (0.8 * totalmem()) / workers;
  return Math.floor(Math.max(share, getHeapStatistics().heap_size_limit) / 2 ** 20);
}

/**
 * Under a memory budget (`--memory`), a worker's heap is limited to its share of the budget: V8
 * then collects garbage before the heaps outgrow it, and a worker spills its states past half
 * its heap (see ../memory.ts). Without that limit, a worker's heap grows well past the live
 * states it holds, and spilling would bound the states but not the process's memory.
 */
const MIN_BUDGET_HEAP_MIB = 256;

/** How long closing a pool waits for its workers' exits (normally a few milliseconds). */
const CLOSE_GRACE_MS = 2_000;

function budgetHeapMiB(budgetBytes: number, workers: number): number {
  return Math.max(MIN_BUDGET_HEAP_MIB, Math.floor(budgetBytes / workers / 2 ** 20));
}

interface Pending {
  readonly resolve: (m: WorkerMessage) => void;
  readonly reject: (e: Error) => void;
}

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly pending: (Pending | null)[] = [];
  /** Per worker: settles once it has answered every message sent to it so far. */
  private readonly answered: Promise<void>[] = [];
  private failure: Error | null = null;
  private closing = false;
  /** Set while a check uses the pool: checks cannot share it. */
  busy = false;

  /** Bytes of JavaScript heap each worker may use (V8 ends a worker that needs more). */
  readonly heapLimitBytes: number;

  /**
   * `maxHeapMiB` limits each worker's old generation (default: its share of `memoryBytes`, the
   * memory budget of the checks the pool serves, if given; else see defaultHeapMiB).
   */
  constructor(
    readonly size: number,
    {
      maxHeapMiB,
      memoryBytes,
    }: { readonly maxHeapMiB?: number; readonly memoryBytes?: number | undefined } = {},
  ) {
    if (!Number.isInteger(size) || size < 1 || size > 255) {
      throw new RangeError(`a worker pool has from 1 to 255 workers, got ${size}`);
    }
    const heapMiB =
      maxHeapMiB ??
      (memoryBytes === undefined ? defaultHeapMiB(size) : budgetHeapMiB(memoryBytes, size));
    this.heapLimitBytes = heapMiB * 2 ** 20;
    const resourceLimits = { maxOldGenerationSizeMb: heapMiB };
    for (let i = 0; i < size; i++) {
      // The entry registers tsx itself, whatever loader this thread runs under, so the
      // worker gets none of this thread's loader flags.
      const worker = new Worker(WORKER_URL, {
        workerData: WORKER_ROLE,
        execArgv: PROFILE_FLAGS,
        resourceLimits,
      });
      worker.on("message", (m: WorkerMessage) => {
        const p = this.pending[i];
        this.pending[i] = null;
        worker.unref();
        p?.resolve(m);
      });
      worker.on("error", (e) => this.fail(e));
      worker.on("exit", (code) => {
        if (!this.closing) this.fail(new Error(`parallel search: worker ${i} exited (${code})`));
      });
      // An idle pool does not keep the process alive; a pending request does.
      worker.unref();
      this.workers.push(worker);
      this.pending.push(null);
      this.answered.push(Promise.resolve());
    }
  }

  /** False once a worker has failed (or the pool is closed): a check then needs a new pool. */
  get usable(): boolean {
    return this.failure === null && !this.closing;
  }

  /**
   * Sends a message to worker `i` and resolves with its answer. A worker answers one message
   * at a time: one sent before the last answer came waits for it (a check that ended before
   * its workers answered leaves the pool to the next one that way).
   */
  request(i: number, msg: MainMessage): Promise<WorkerMessage> {
    const answer = this.answered[i]!.then(() => this.send(i, msg));
    this.answered[i] = answer.then(
      () => {},
      () => {},
    );
    return answer;
  }

  private send(i: number, msg: MainMessage): Promise<WorkerMessage> {
    return new Promise((resolve, reject) => {
      if (this.failure !== null) {
        reject(this.failure);
        return;
      }
      if (this.closing) {
        reject(new Error("parallel search: the worker pool is closed"));
        return;
      }
      const worker = this.workers[i]!;
      this.pending[i] = { resolve, reject };
      worker.ref();
      worker.postMessage(msg);
    });
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    this.closing = true;
    await terminateWorkers(this.workers, CLOSE_GRACE_MS);
  }

  private fail(e: unknown): void {
    this.failure ??= e instanceof Error ? e : new Error(String(e));
    for (let i = 0; i < this.pending.length; i++) {
      this.pending[i]?.reject(this.failure);
      this.pending[i] = null;
    }
  }
}

/**
 * Terminates the workers and waits for their exits, for `graceMs` at most. terminate()
 * resolves on a worker's exit event, but a worker terminated while it loads a module (the
 * spec of a check that ended on the calling thread before the workers were ready) sometimes
 * never reports its exit, and its handle then no longer holds the event loop open: a process
 * whose last await was that one ended there, with Node's exit code 13 ("unsettled top-level
 * await") instead of its own. A timer holds the loop open while this waits; a thread still
 * running afterwards is stopped when the process exits.
 */
export async function terminateWorkers(workers: readonly Worker[], graceMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, graceMs);
  });
  try {
    await Promise.race([Promise.all(workers.map((w) => w.terminate())), grace]);
  } finally {
    clearTimeout(timer);
  }
}
