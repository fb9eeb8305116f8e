// Where frontiers spill: a temporary directory (made on the first spill, removed at the end of
// the search), one file per frontier, and the memory checks that decide when to spill.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StateEncoder } from "../values/codec-encode.ts";
import { Frontier } from "./frontier.ts";
import type { MemoryGovernor } from "./memory.ts";

/** Memory is sampled once per this many states pushed onto frontiers (or per chunk). */
const CHECK_EVERY = 4096;
export const DEFAULT_CHUNK_STATES = 4096;

export interface SpillOptions {
  /** The directory to make the spill directory in (default: the OS's temporary directory). */
  readonly dir?: string | undefined;
  /** States per chunk, the unit that is spilled and read back (default 4096). */
  readonly chunkStates?: number | undefined;
}

/** What holds states that can go to disk: frontiers, and the lists of the parallel search. */
export interface Spillable {
  /** Writes what it holds in memory to disk (all but what is being read). */
  spillAll(): void;
  close(): void;
}

export class SpillStore {
  readonly chunkStates: number;
  readonly encoder = new StateEncoder();
  /** States, chunks and bytes written so far. */
  spilledStates = 0;
  spilledChunks = 0;
  spilledBytes = 0;
  private dir: string | null = null;
  private files = 0;
  private readonly holders = new Set<Spillable>();
  private readonly checkEvery: number;
  private untilCheck: number;

  constructor(
    readonly governor: MemoryGovernor,
    private readonly options: SpillOptions = {},
  ) {
    this.chunkStates = Math.max(1, options.chunkStates ?? DEFAULT_CHUNK_STATES);
    this.checkEvery = Math.min(CHECK_EVERY, this.chunkStates);
    this.untilCheck = this.checkEvery;
  }

  /** Where spill files go (for messages), once there are some. */
  get directory(): string {
    return this.dir ?? join(this.options.dir ?? tmpdir(), "protomc-*");
  }

  newFrontier<S>(): Frontier<S> {
    const f = new Frontier<S>(this);
    this.track(f);
    return f;
  }

  /** Makes `holder` spill with the others when memory is short (until it is forgotten). */
  track(holder: Spillable): void {
    this.holders.add(holder);
  }

  /** Counts one state pushed; samples memory every few thousand. */
  counted(): void {
    if (--this.untilCheck === 0) this.check();
  }

  /** Samples memory now; if the frontiers must spill, spills everything they hold. */
  check(): void {
    this.untilCheck = this.checkEvery;
    this.governor.check();
    if (!this.governor.spilling) return;
    for (const h of this.holders) h.spillAll();
  }

  /** A path for a new spill file (the directory is made on the first one). */
  newFilePath(): string {
    this.dir ??= mkdtempSync(join(this.options.dir ?? tmpdir(), "protomc-"));
    return join(this.dir, `frontier-${this.files++}.bin`);
  }

  /** A holder that is done with. */
  forget(holder: Spillable): void {
    this.holders.delete(holder);
  }

  /** Releases every frontier and removes the spill directory. */
  close(): void {
    for (const h of [...this.holders]) h.close();
    if (this.dir !== null) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }
}
