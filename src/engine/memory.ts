// The memory budget of a search. The seen-set and the state records live outside V8's heap
// (typed arrays) and cannot be spilled: they may not outgrow the budget. Frontier states live
// on the heap: past their share of the budget, or past half of V8's heap limit, the frontier
// spills them to disk. If the heap still nears V8's limit after that, the search stops with an
// incomplete result rather than crashing.
import { totalmem } from "node:os";
import { constants, PerformanceObserver } from "node:perf_hooks";
import { getHeapStatistics } from "node:v8";

/** Share of the machine's memory a search uses by default. */
const DEFAULT_SHARE = 0.5;
/** Share of V8's heap limit that frontier states may fill before they are spilled. */
const HEAP_SPILL_SHARE = 0.5;
/** Stop when live heap comes this close to V8's limit (a share of it, at least 64 MiB). */
const HEAP_MARGIN_SHARE = 0.1;
const HEAP_MARGIN_MIN = 64 * 2 ** 20;

/** Thrown when the search cannot go on within its memory (never escapes the search). */
export class MemoryExhausted extends Error {
  override readonly name = "MemoryExhausted";
}

const UNITS: Readonly<Record<string, number>> = {
  "": 1,
  k: 2 ** 10,
  m: 2 ** 20,
  g: 2 ** 30,
  t: 2 ** 40,
};

/** Parses a size such as `8g`, `512m`, `1.5G`, `100k`, `64MiB` or `1000000` (bytes); null if malformed. */
export function parseSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (m === null) return null;
  const bytes = Math.floor(Number(m[1]) * UNITS[m[2]!.toLowerCase()]!);
  return bytes > 0 ? bytes : null;
}

/** The machine's memory, or the container's limit when there is one. */
export function machineMemory(): number {
  // 0 or a huge number where there is no limit.
  const limit = process.constrainedMemory();
  const total = totalmem();
  return limit > 0 && limit < total ? limit : total;
}

export function defaultMemoryBudget(): number {
  return Math.floor(machineMemory() * DEFAULT_SHARE);
}

export interface MemoryLimits {
  /** The budget in bytes (default: half the machine's memory). */
  readonly memoryBytes?: number | undefined;
  /** V8's heap limit to assume (default: the real one); lets tests exhaust the heap. */
  readonly heapLimitBytes?: number | undefined;
}

export class MemoryGovernor {
  readonly budget: number;
  readonly heapLimit: number;
  /** Whether frontier states should go to disk now. */
  spilling = false;
  /** Why the search cannot go on, once it cannot. */
  exhausted: string | null = null;
  private offHeap: () => number = () => 0;
  private heapAfterMajorGc = -1;
  private observer: PerformanceObserver | null = null;

  constructor(limits: MemoryLimits = {}) {
    this.budget = limits.memoryBytes ?? defaultMemoryBudget();
    this.heapLimit = limits.heapLimitBytes ?? getHeapStatistics().heap_size_limit;
  }

  /** Tells the governor how many bytes the search holds outside the heap. */
  countOffHeap(bytes: () => number): void {
    this.offHeap = bytes;
  }

  /** Throws MemoryExhausted if `bytes` more outside the heap would exceed the budget. */
  reserve(bytes: number, what: string): void {
    if (this.offHeap() + bytes > this.budget) {
      throw new MemoryExhausted(
        `the ${what} would outgrow the memory budget (${formatBytes(this.budget)})`,
      );
    }
  }

  /**
   * Samples the heap (every few thousand frontier states): decides whether to spill, and
   * whether the heap is too close to V8's limit even though the frontier spills.
   */
  check(): void {
    const used = getHeapStatistics().used_heap_size;
    const share = Math.min(this.budget - this.offHeap(), this.heapLimit * HEAP_SPILL_SHARE);
    this.spilling = used > share;
    if (this.spilling && this.observer === null) this.watchMajorGcs();
    const danger = this.heapLimit - Math.max(this.heapLimit * HEAP_MARGIN_SHARE, HEAP_MARGIN_MIN);
    // The sample counts garbage too: the heap is full only if it was after the last full
    // collection as well (if one was seen).
    if (used > danger && (this.heapAfterMajorGc < 0 || this.heapAfterMajorGc > danger)) {
      this.exhausted ??=
        `the JavaScript heap is within ${formatBytes(this.heapLimit - danger)} of its limit ` +
        `(${formatBytes(this.heapLimit)}) although the frontier spills to disk`;
    }
  }

  /** Records that the disk the frontier spills to is full. */
  diskFull(dir: string): void {
    this.exhausted ??= `the disk holding ${dir} is full`;
  }

  close(): void {
    this.observer?.disconnect();
    this.observer = null;
  }

  private watchMajorGcs(): void {
    this.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
        if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
          this.heapAfterMajorGc = getHeapStatistics().used_heap_size;
        }
      }
    });
    this.observer.observe({ entryTypes: ["gc"] });
  }
}

/** Whether an I/O error means that the disk (or the user's quota on it) is full. */
export function isDiskFull(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === "ENOSPC" || code === "EDQUOT" || code === "EFBIG";
}

export function formatBytes(n: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return i === 0 ? `${n} bytes` : `${n.toFixed(n < 10 ? 1 : 0)} ${units[i]}`;
}
