// Saving a breadth-first search and reading it back: what identifies the search (spec,
// params, options that change results), its figures, the seen-set, the state records and the
// frontier. The format is the engine's, not the sequential search's: see docs/scale.md.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Model } from "../spec/model.ts";
import type { ParamValue } from "../spec/params.ts";
import { assertUsedNamesUnique } from "../values/record-registry.ts";
import { CheckpointFile, writeCheckpointFile, type FileSink } from "./checkpoint-file.ts";
import type { FingerprintSet } from "./fingerprint-set.ts";
import { CHUNK_HEADER_BYTES, chunkLength, decodeChunk } from "./frontier-chunk.ts";
import type { Frontier } from "./frontier.ts";
import type { StateRecords } from "./state-records.ts";

/** What a resumed search must agree with. */
export interface CheckpointIdentity {
  readonly spec: {
    readonly name: string;
    readonly path: string | null;
    readonly export: string | null;
    /** A digest of the spec's source file, when the caller knows it. */
    readonly digest: string | null;
    /** The names of its actions and properties, and which optional parts it has. */
    readonly shape: string;
  };
  readonly params: Readonly<Record<string, ParamValue>>;
  /** The check options that change what a search finds. */
  readonly options: { readonly deadlock: boolean; readonly symmetry: boolean };
}

/** The states of one frontier section written by one writer, in increasing id order. */
export interface StreamInfo {
  readonly offset: number;
  readonly bytes: number;
  readonly chunks: number;
  readonly states: number;
}

export interface CheckpointMeta {
  readonly format: "protomc-checkpoint";
  readonly savedAt: string;
  readonly identity: CheckpointIdentity;
  readonly stats: {
    readonly distinct: number;
    readonly generated: number;
    /** The depth of the `current` states (the initial states are depth 1). */
    readonly depth: number;
    /** New states per level so far, the last one being `current`'s level. */
    readonly levelSizes: readonly number[];
    /** Search time so far, over every run that led to this checkpoint. */
    readonly elapsedMs: number;
  };
  readonly fingerprints: { readonly offset: number; readonly count: number };
  readonly records: { readonly offset: number; readonly count: number };
  /**
   * `current`: states at `depth` not expanded yet; `next`: states at depth + 1 found so far.
   * Each is a list of streams (one per writer), whose union is the section.
   */
  readonly frontier: {
    readonly current: readonly StreamInfo[];
    readonly next: readonly StreamInfo[];
  };
}

/** A search at a point where no state is half expanded. */
export interface SearchSnapshot {
  readonly identity: CheckpointIdentity;
  readonly generated: number;
  readonly depth: number;
  readonly levelSizes: readonly number[];
  readonly elapsedMs: number;
  readonly seen: FingerprintSet;
  readonly records: StateRecords;
  readonly current: Frontier<unknown>;
  readonly next: Frontier<unknown>;
}

const SLICE = 1 << 20;

export function identityOf(
  model: Model<unknown>,
  options: { readonly deadlock?: boolean; readonly symmetry?: boolean },
  digest: string | null,
): CheckpointIdentity {
  return {
    spec: {
      name: model.name,
      path: model.source?.path ?? null,
      export: model.source?.exportName ?? null,
      digest,
      shape: shapeOf(model),
    },
    params: model.params,
    options: { deadlock: options.deadlock ?? true, symmetry: options.symmetry ?? false },
  };
}

function shapeOf(model: Model<unknown>): string {
  const names = (list: readonly { readonly name: string }[]): string =>
    list.map((x) => x.name).join(",");
  const parts = [
    `actions ${names(model.actions)}`,
    `invariants ${names(model.invariants)}`,
    `step properties ${names(model.stepProperties)}`,
  ];
  for (const k of ["constraint", "view", "terminal", "symmetry"] as const) {
    if (model[k] !== null) parts.push(k);
  }
  return parts.join("; ");
}

/** A digest of a spec's source file. */
export function specDigest(path: string): string {
  return "sha256:" + createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** Why a search cannot resume from a checkpoint of `saved`, or null if it can. */
export function identityMismatch(
  saved: CheckpointIdentity,
  now: CheckpointIdentity,
): string | null {
  const a = saved.spec;
  const b = now.spec;
  if (a.name !== b.name || a.export !== b.export) {
    return `it is a checkpoint of ${describe(saved)}, not of ${describe(now)}`;
  }
  if (a.digest !== null && b.digest !== null && a.digest !== b.digest) {
    return `the spec file changed since the checkpoint was saved (${a.path ?? a.name})`;
  }
  if (a.shape !== b.shape) return `the spec has changed: it had ${a.shape}; it has ${b.shape}`;
  const pa = canonical(saved.params);
  const pb = canonical(now.params);
  if (pa !== pb) return `it was saved with params ${pa}, not ${pb}`;
  for (const k of ["deadlock", "symmetry"] as const) {
    if (saved.options[k] !== now.options[k]) {
      return `it was saved with ${k} ${saved.options[k] ? "on" : "off"}, not ${now.options[k] ? "on" : "off"}`;
    }
  }
  return null;
}

function describe(id: CheckpointIdentity): string {
  const ref = id.spec.path === null ? id.spec.name : id.spec.path;
  return id.spec.export === null || id.spec.export === "default" ? ref : `${ref}#${id.spec.export}`;
}

function canonical(params: Readonly<Record<string, ParamValue>>): string {
  const keys = Object.keys(params).sort();
  return "{" + keys.map((k) => `${k}=${JSON.stringify(params[k])}`).join(", ") + "}";
}

/** Saves a search into `dir` (atomically); returns the size of the checkpoint in bytes. */
export function saveCheckpoint(dir: string, snap: SearchSnapshot): number {
  // Another process finds record types by name: two types of one name could not be told apart.
  assertUsedNamesUnique();
  return saveSearch(dir, snap, (sink) => {
    const current = writeStream(sink, snap.current);
    const next = writeStream(sink, snap.next);
    return {
      current: current.states > 0 ? [current] : [],
      next: next.states > 0 ? [next] : [],
    };
  });
}

/** What every checkpoint holds besides its frontier, whichever search wrote it. */
export type SavedSearch = Omit<SearchSnapshot, "seen" | "current" | "next"> & {
  readonly seen: Pick<FingerprintSet, "size" | "forEachSlice">;
};

/**
 * Writes the checkpoint file of `snap`: its figures, seen-set and records, then the frontier
 * streams that `frontier` writes. Returns the size of the checkpoint in bytes.
 */
export function saveSearch(
  dir: string,
  snap: SavedSearch,
  frontier: (sink: FileSink) => CheckpointMeta["frontier"],
): number {
  return writeCheckpointFile(dir, (sink): CheckpointMeta => {
    const fpOffset = sink.offset;
    snap.seen.forEachSlice(SLICE, (pairs) => sink.write(bytesOf(pairs)));
    const recOffset = sink.offset;
    const { parents, ordinals } = snap.records.arrays();
    sink.write(bytesOf(parents));
    sink.write(bytesOf(ordinals));
    return {
      format: "protomc-checkpoint",
      savedAt: new Date().toISOString(),
      identity: snap.identity,
      stats: {
        distinct: snap.seen.size,
        generated: snap.generated,
        depth: snap.depth,
        levelSizes: snap.levelSizes,
        elapsedMs: Math.round(snap.elapsedMs),
      },
      fingerprints: { offset: fpOffset, count: snap.seen.size },
      records: { offset: recOffset, count: parents.length },
      frontier: frontier(sink),
    };
  });
}

function writeStream(sink: FileSink, f: Frontier<unknown>): StreamInfo {
  const offset = sink.offset;
  const chunks = f.writeRest((b) => sink.write(b));
  return { offset, bytes: sink.offset - offset, chunks, states: f.remaining };
}

function bytesOf(a: Uint32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** An open checkpoint, read back section by section. */
export class CheckpointReader {
  readonly meta: CheckpointMeta;
  private readonly file: CheckpointFile;

  constructor(dir: string) {
    this.file = CheckpointFile.open(dir);
    const meta = this.file.meta as Partial<CheckpointMeta>;
    if (meta.format !== "protomc-checkpoint") {
      this.file.close();
      throw new Error(`${this.file.path} does not describe a protomc search`);
    }
    this.meta = meta as CheckpointMeta;
  }

  /** Adds the saved fingerprints to `seen`. */
  restoreSeen(seen: Pick<FingerprintSet, "size" | "ensureRoom" | "add">): void {
    const { offset, count } = this.meta.fingerprints;
    seen.ensureRoom(count);
    const pairs = new Uint32Array(2 * Math.min(SLICE, Math.max(count, 1)));
    for (let done = 0; done < count;) {
      const n = Math.min(SLICE, count - done);
      const view = pairs.subarray(0, 2 * n);
      this.file.read(bytesOf(view), offset + 8 * done);
      for (let i = 0; i < 2 * n; i += 2) seen.add(view[i]!, view[i + 1]!);
      done += n;
    }
    if (seen.size !== count) throw new Error(`${this.file.path}: the fingerprint table is corrupt`);
  }

  /** Appends the saved records to `records` (which must be empty). */
  restoreRecords(records: StateRecords): void {
    const { offset, count } = this.meta.records;
    const parents = new Uint32Array(count);
    const ordinals = new Uint32Array(count);
    this.file.read(bytesOf(parents), offset);
    this.file.read(bytesOf(ordinals), offset + 4 * count);
    records.append(parents, ordinals);
  }

  /**
   * Calls `fn` for each entry of a frontier section, in increasing id order (merging the
   * streams of several writers).
   */
  forEachEntry(
    section: "current" | "next",
    fn: (state: unknown, id: number, hi: number, lo: number) => void,
  ): void {
    const cursors = this.meta.frontier[section].map((s) => new StreamCursor(this.file, s));
    for (;;) {
      let best: StreamCursor | null = null;
      for (const c of cursors) if (c.ready() && (best === null || c.id() < best.id())) best = c;
      if (best === null) return;
      best.emit(fn);
    }
  }

  /** The chunks of a frontier section as stored, stream after stream (not decoded). */
  chunks(section: "current" | "next"): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const s of this.meta.frontier[section]) {
      for (let at = s.offset; at < s.offset + s.bytes;) {
        const chunk = readChunk(this.file, at);
        out.push(chunk);
        at += chunk.length;
      }
    }
    return out;
  }

  close(): void {
    this.file.close();
  }
}

/**
 * The chunk stored at `offset`, in a buffer of its own (never a slice of Node's shared pool:
 * the parallel search transfers chunks to its workers).
 */
function readChunk(file: CheckpointFile, offset: number): Buffer {
  const header = Buffer.alloc(CHUNK_HEADER_BYTES);
  file.read(header, offset);
  const bytes = Buffer.allocUnsafeSlow(chunkLength(header));
  file.read(bytes, offset);
  return bytes;
}

/** Reads one stream chunk by chunk. */
class StreamCursor {
  private offset: number;
  private readonly end: number;
  private states: readonly unknown[] = [];
  private ids: Uint32Array = new Uint32Array(0);
  private fps: Uint32Array = new Uint32Array(0);
  private pos = 0;

  constructor(
    private readonly file: CheckpointFile,
    stream: StreamInfo,
  ) {
    this.offset = stream.offset;
    this.end = stream.offset + stream.bytes;
  }

  ready(): boolean {
    while (this.pos === this.states.length) {
      if (this.offset >= this.end) return false;
      const bytes = readChunk(this.file, this.offset);
      this.offset += bytes.length;
      const chunk = decodeChunk(bytes);
      this.states = chunk.states;
      this.ids = chunk.ids;
      this.fps = chunk.fps;
      this.pos = 0;
    }
    return true;
  }

  id(): number {
    return this.ids[this.pos]!;
  }

  emit(fn: (state: unknown, id: number, hi: number, lo: number) => void): void {
    const i = this.pos++;
    fn(this.states[i], this.ids[i]!, this.fps[2 * i]!, this.fps[2 * i + 1]!);
  }
}
