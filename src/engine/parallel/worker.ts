// The worker side of the parallel search. A worker loads the spec from its module path and
// params, keeps the frontier states it owns, and per round: adopts the candidates of its own
// that won the main thread's merge (and the states other workers moved to it), and expands
// them, each just after checking its invariants, sending back only fingerprints, (parent id,
// ordinal) pairs and counts.
import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { SpecError } from "../../errors/spec-error.ts";
import { loadSpec } from "../../spec/load-spec.ts";
import { buildModel, type Model } from "../../spec/model.ts";
import { DeterminismSampler } from "../determinism.ts";
import { FingerprintSet } from "../fingerprint-set.ts";
import { SearchContext } from "../search-context.ts";
import { NO_PARENT } from "../state-records.ts";
import { StateEncoder } from "../../values/codec-encode.ts";
import { assertUsedNamesUnique } from "../../values/record-registry.ts";
import { chunkIds, decodeChunk, encodeChunk } from "../frontier-chunk.ts";
import { defaultMemoryBudget, MemoryGovernor } from "../memory.ts";
import { SpillStore } from "../spill-store.ts";
import { StateList } from "../state-list.ts";
import {
  ABORT,
  CONTROL_STOP,
  FOUND,
  PROGRESS_OFFSET,
  RUN,
  SUB_ACTION,
  SUB_AFTER,
  SUB_BEFORE,
  SUB_EMIT,
  type ExpansionEvent,
  type InvariantEvent,
  type RoundMessage,
  type RoundReply,
  type WireError,
  type LoadMessage,
  type ExportMessage,
  type MainMessage,
  type WorkerMessage,
  WORKER_ROLE,
} from "./protocol.ts";
import { tableHas } from "../fingerprint-table.ts";

/** Thrown to leave an expansion at its first event. */
const STOP = new Error("stop");
/** How often (in frontier states) the stop word is read and progress published. */
const POLL_EVERY = 64;

export class WorkerSearch<S> {
  private readonly ctx: SearchContext<S>;
  private readonly sampler: DeterminismSampler<S>;
  private readonly control: Int32Array;
  private readonly progress: Float64Array;
  /** This worker's share of the memory budget, and where its states go past it. */
  private readonly governor: MemoryGovernor;
  private readonly store: SpillStore;
  /** This worker's share of what the main thread holds outside the heap (seen-set, records). */
  private offHeapShare = 0;
  private readonly workers: number;
  private frontier: StateList<S>;
  private frontierIds: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
  /** (hi, lo) per frontier state, to detect an action that mutates the state it was given. */
  private frontierFps = new Uint32Array(0);
  /** The last round's candidates: their states, and (hi, lo, parent, ordinal) each. */
  private cands: StateList<S>;
  private candBuf = new Uint32Array(4096);
  private candCount = 0;

  constructor(model: Model<S>, config: LoadMessage) {
    const options = config.options;
    this.ctx = new SearchContext(model, options);
    this.sampler = new DeterminismSampler(this.ctx);
    this.control = new Int32Array(config.control, 0, 1);
    this.progress = new Float64Array(config.control, PROGRESS_OFFSET + 16 * config.index, 2);
    this.workers = config.workers;
    const budget = typeof options.memoryBytes === "number" ? options.memoryBytes : null;
    const heapLimit = options.heapLimitBytes;
    this.governor = new MemoryGovernor({
      memoryBytes: Math.floor((budget ?? defaultMemoryBudget()) / config.workers),
      heapLimitBytes: typeof heapLimit === "number" ? heapLimit : undefined,
    });
    this.governor.countOffHeap(() => this.offHeapShare);
    this.store = new SpillStore(this.governor, {
      dir: typeof options.spillDir === "string" ? options.spillDir : undefined,
      chunkStates:
        typeof options.spillChunkStates === "number" ? options.spillChunkStates : undefined,
    });
    this.frontier = new StateList(this.store);
    this.cands = new StateList(this.store);
  }

  /** Drops every state held, and the files they spilled to. */
  release(): void {
    this.store.close();
    this.governor.close();
  }

  round(m: RoundMessage): RoundReply {
    const started = performance.now();
    const cpuStarted = threadCpuMs();
    this.offHeapShare = m.offHeapBytes / this.workers;
    this.adopt(m);
    if (!m.expand) {
      const inv = m.checkInvariants ? this.checkInvariants(0) : null;
      if (inv !== null) Atomics.store(this.control, CONTROL_STOP, FOUND);
      return {
        inv,
        processed: 0,
        counts: new Int32Array(0),
        cand: new Uint32Array(0),
        event: null,
        stopped: false,
        memory: null,
        spilledStates: this.store.spilledStates,
        busyMs: performance.now() - started,
        cpuMs: threadCpuMs() - cpuStarted,
      };
    }
    const reply = this.expandFrontier(
      new Uint32Array(m.table.buffer),
      m.table.capacity,
      m.keepFrontier,
      m.checkInvariants,
    );
    return {
      ...reply,
      spilledStates: this.store.spilledStates,
      busyMs: performance.now() - started,
      cpuMs: threadCpuMs() - cpuStarted,
    };
  }

  /** Encodes states this worker holds into chunks (see ExportMessage). */
  exportStates(m: ExportMessage): Uint8Array[][] {
    const chunks = this.encodeStates(m);
    // Records travel by type name (the registry is per thread, and per process): two types
    // of one name could not be told apart where the chunks are decoded.
    assertUsedNamesUnique();
    return chunks;
  }

  private encodeStates(m: ExportMessage): Uint8Array[][] {
    const encoder = new StateEncoder();
    if (m.source === "frontier") {
      const frontier = this.frontier;
      return [chunksOf((i) => frontier.get(i), this.frontierIds, this.frontierFps, encoder)];
    }
    const buf = this.candBuf;
    const cands = this.cands;
    return m.groups.map((group, g) => {
      const fps = new Uint32Array(2 * group.length);
      for (let i = 0; i < group.length; i++) {
        const c = group[i]!;
        fps[2 * i] = buf[4 * c]!;
        fps[2 * i + 1] = buf[4 * c + 1]!;
      }
      return chunksOf((i) => cands.get(group[i]!), m.ids[g]!, fps, encoder);
    });
  }

  /**
   * The kept candidates and the imported states become the frontier, in id order; the other
   * candidates are dropped.
   */
  private adopt(m: RoundMessage): void {
    if (m.first) {
      // The initial states, as candidates in init order (the main thread deduplicated them).
      const inits = this.ctx.initialStates();
      this.cands.close();
      this.cands = new StateList(this.store);
      this.candCount = 0;
      for (let i = 0; i < inits.length; i++) {
        this.ctx.fingerprint(inits[i]!);
        this.pushCandidate(this.ctx.fp[0]!, this.ctx.fp[1]!, NO_PARENT, i);
        this.cands.push(inits[i]!);
      }
    }
    const { keep, ids } = m;
    this.frontier.close();
    const frontier = new StateList<S>(this.store);
    const fps = new Uint32Array(keep.length * 2);
    const buf = this.candBuf;
    for (let i = 0; i < keep.length; i++) {
      const c = keep[i]!;
      frontier.push(this.cands.get(c));
      fps[2 * i] = buf[4 * c]!;
      fps[2 * i + 1] = buf[4 * c + 1]!;
    }
    this.frontier = frontier;
    this.frontierIds = ids;
    this.frontierFps = fps;
    this.cands.close();
    this.candCount = 0;
    if (m.imports.length > 0) this.addImports(m.imports);
  }

  /**
   * Merges moved or restored states into the frontier by id. A chunk is decoded when the merge
   * reaches its first state and dropped after its last, so restoring a large saved frontier
   * holds about one decoded chunk at a time (its chunks come in id order).
   */
  private addImports(chunks: readonly Uint8Array[]): void {
    const ctx = this.ctx;
    const old = this.frontier;
    const oldIds = this.frontierIds;
    const oldFps = this.frontierFps;
    // Every state to hold, as (id, source, index): source -1 is the old frontier, k chunk k.
    const ids: number[] = Array.from(oldIds);
    const source: number[] = new Array<number>(ids.length).fill(-1);
    const index: number[] = Array.from(ids, (_, i) => i);
    const lastUse = new Array<number>(chunks.length).fill(-1);
    chunks.forEach((chunk, k) => {
      chunkIds(chunk).forEach((id, i) => {
        ids.push(id);
        source.push(k);
        index.push(i);
      });
    });
    const order = Array.from({ length: ids.length }, (_, i) => i).sort((a, b) => ids[a]! - ids[b]!);
    order.forEach((e, at) => {
      if (source[e]! >= 0) lastUse[source[e]!] = at;
    });
    const decoded: (ReturnType<typeof decodeChunk<S>> | null)[] = chunks.map(() => null);
    const frontier = new StateList<S>(this.store);
    const fps = new Uint32Array(2 * order.length);
    order.forEach((e, at) => {
      const k = source[e]!;
      const i = index[e]!;
      if (k < 0) {
        frontier.push(old.get(i));
        fps[2 * at] = oldFps[2 * i]!;
        fps[2 * at + 1] = oldFps[2 * i + 1]!;
        return;
      }
      let chunk = decoded[k];
      if (chunk === null || chunk === undefined) {
        const bytes = chunks[k]!;
        chunk = decodeChunk<S>(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        decoded[k] = chunk;
      }
      const state = chunk.states[i]!;
      ctx.fingerprint(state);
      if (ctx.fp[0] !== chunk.fps[2 * i] || ctx.fp[1] !== chunk.fps[2 * i + 1]) {
        throw new Error(`parallel search: state ${chunk.ids[i]} decoded to another fingerprint`);
      }
      frontier.push(state);
      fps[2 * at] = chunk.fps[2 * i]!;
      fps[2 * at + 1] = chunk.fps[2 * i + 1]!;
      if (lastUse[k] === at) decoded[k] = null;
    });
    old.close();
    this.frontier = frontier;
    this.frontierIds = Uint32Array.from(order, (e) => ids[e]!);
    this.frontierFps = fps;
  }

  /** The first frontier state from index `from` on that violates an invariant. */
  private checkInvariants(from: number): InvariantEvent | null {
    const frontier = this.frontier;
    for (let i = from; i < frontier.length; i++) {
      const inv = this.invariantEvent(frontier.get(i), this.frontierIds[i]!);
      if (inv !== null) return inv;
    }
    return null;
  }

  private invariantEvent(state: S, id: number): InvariantEvent | null {
    let property: string | null;
    try {
      property = this.ctx.violatedInvariant(state);
    } catch (e) {
      return { kind: "error", id, error: toWire(e) };
    }
    return property === null ? null : { kind: "invariant", id, property };
  }

  private pushCandidate(hi: number, lo: number, parent: number, ordinal: number): void {
    let buf = this.candBuf;
    const j = this.candCount * 4;
    if (j + 4 > buf.length) {
      const grown = new Uint32Array(buf.length * 2);
      grown.set(buf);
      this.candBuf = buf = grown;
    }
    buf[j] = hi;
    buf[j + 1] = lo;
    buf[j + 2] = parent;
    buf[j + 3] = ordinal;
    this.candCount++;
  }

  private expandFrontier(
    table: Uint32Array,
    capacity: number,
    keep: boolean,
    checkInvariants: boolean,
  ): Omit<RoundReply, "busyMs" | "cpuMs" | "spilledStates"> {
    const ctx = this.ctx;
    const fp = ctx.fp;
    const sampler = this.sampler;
    const stepProperties = ctx.model.stepProperties.length > 0;
    const frontier = this.frontier;
    const n = frontier.length;
    const counts = new Int32Array(n);
    // The successors generated in this level so far (candidates, and states of earlier levels
    // met again): a successor generated twice here is sent once.
    const local = new FingerprintSet(Math.max(1024, n * 2));
    this.cands.close();
    const cands = new StateList<S>(this.store);
    this.cands = cands;
    this.candCount = 0;

    let event: ExpansionEvent | null = null;
    let inv: InvariantEvent | null = null;
    // States whose invariants were checked: each just before its expansion, in one pass.
    let checked = checkInvariants ? 0 : n;
    let stopped = false;
    let memory: string | null = null;
    let processed = 0;
    let generated = 0;
    let parent: S = undefined as S;
    let parentId = 0;
    let parentHi = 0;
    let parentLo = 0;
    let ordinal = 0;
    // Whether an exception comes from the handling of an emitted successor (else an action).
    let inEmit: boolean;

    const emit = (succ: S): void => {
      inEmit = true;
      const ord = ordinal++;
      generated++;
      if (stepProperties) {
        const bad = ctx.violatedStepProperty(parent, succ);
        if (bad !== null) {
          event = { kind: "step", parent: parentId, k: ord, sub: SUB_EMIT, property: bad };
          throw STOP;
        }
      }
      if (succ === parent) {
        // A stuttering step: the parent is already seen.
        if (sampler.active) sampler.recordPair(parentHi, parentLo);
        inEmit = false;
        return;
      }
      ctx.fingerprintSuccessor(succ);
      if (sampler.active) sampler.record(fp);
      const hi = fp[0]!;
      const lo = fp[1]!;
      // The level's own set first: most successors seen before were generated earlier in this
      // level, and it answers them from its cache of recent lookups without a probe of the
      // large shared table.
      if (local.add(hi, lo) && !tableHas(table, capacity, hi, lo)) {
        this.pushCandidate(hi, lo, parentId, ord);
        cands.push(succ);
      }
      inEmit = false;
    };

    for (let i = 0; i < n; i++) {
      if (i % POLL_EVERY === 0) {
        if (this.governor.exhausted !== null) {
          // The other workers stop too: the search ends here, incomplete.
          memory = this.governor.exhausted;
          Atomics.store(this.control, CONTROL_STOP, ABORT);
        }
        if (Atomics.load(this.control, CONTROL_STOP) !== RUN) {
          stopped = true;
          break;
        }
        this.progress[0] = i;
        this.progress[1] = generated;
      }
      const s = frontier.get(i);
      parentId = this.frontierIds[i]!;
      if (checked === i) {
        checked++;
        inv = this.invariantEvent(s, parentId);
        if (inv !== null) {
          Atomics.store(this.control, CONTROL_STOP, FOUND);
          break;
        }
      }
      processed = i + 1;
      let inside: boolean;
      try {
        inside = ctx.inConstraint(s);
      } catch (e) {
        event = { kind: "error", parent: parentId, k: 0, sub: SUB_BEFORE, error: toWire(e) };
        break;
      }
      if (!inside) {
        counts[i] = -1;
        continue;
      }
      parent = s;
      parentHi = this.frontierFps[2 * i]!;
      parentLo = this.frontierFps[2 * i + 1]!;
      ordinal = 0;
      inEmit = false;
      sampler.begin();
      let count: number;
      try {
        ctx.beginExpansion(s);
        count = ctx.expander.expand(s, emit);
      } catch (e) {
        counts[i] = ordinal;
        if (e === STOP) break;
        const error = toWire(ctx.expansionError(e));
        event = inEmit
          ? { kind: "error", parent: parentId, k: ordinal - 1, sub: SUB_EMIT, error }
          : { kind: "error", parent: parentId, k: ordinal, sub: SUB_ACTION, error };
        break;
      }
      counts[i] = count;
      try {
        if (!ctx.unchanged(s, parentHi, parentLo)) {
          event = { kind: "mutation", parent: parentId, k: count, sub: SUB_AFTER };
          break;
        }
        if (sampler.active) sampler.verify(s);
        if (count === 0 && ctx.checkDeadlock && !ctx.isTerminal(s)) {
          event = { kind: "deadlock", parent: parentId, k: 0, sub: SUB_AFTER };
          break;
        }
      } catch (e) {
        event = { kind: "error", parent: parentId, k: count, sub: SUB_AFTER, error: toWire(e) };
        break;
      }
    }
    this.progress[0] = processed;
    this.progress[1] = generated;
    // A pass cut short (by an event, a stop, or another worker's violation) still checks the
    // invariants of the rest: a violation in this level comes before any event of its
    // expansion, and a level saved whole must hold only checked states.
    if (inv === null && checked < n) {
      inv = this.checkInvariants(checked);
      if (inv !== null) Atomics.store(this.control, CONTROL_STOP, FOUND);
    }
    // The expanded states are not needed any more: only the candidates are kept. (A stopped
    // round keeps them, and so does one asked to: the level may be saved in a checkpoint.)
    if (!stopped && !keep) {
      this.frontier.close();
      this.frontier = new StateList(this.store);
    }
    return {
      inv,
      processed,
      counts: processed === n ? counts : counts.slice(0, processed),
      // A copy goes to the main thread; the worker keeps its buffer to adopt the winners.
      cand: this.candBuf.slice(0, this.candCount * 4),
      event,
      stopped,
      memory,
    };
  }
}

/**
 * CPU time of the calling thread in milliseconds, from Linux's /proc/thread-self (in clock
 * ticks of 10 ms); NaN elsewhere. Node 20 has no per-thread CPU clock of its own.
 */
function threadCpuMs(): number {
  try {
    const stat = readFileSync("/proc/thread-self/stat", "latin1");
    // The fields after the command name (which may hold spaces) start after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** A SpecError as plain data (anything else is a bug in protomc, and crashes the worker). */
function toWire(e: unknown): WireError {
  if (!(e instanceof SpecError)) throw e;
  const c: unknown = e.cause;
  const cause =
    c instanceof Error
      ? { name: c.name, message: c.message, stack: c.stack ?? "" }
      : c === undefined
        ? null
        : { name: "Error", message: inspect(c), stack: "" };
  return { code: e.code, message: e.message, fix: e.fix, cause };
}

function main(port: MessagePort): void {
  let search: WorkerSearch<unknown> | null = null;
  const send = (msg: WorkerMessage, transfer: ArrayBuffer[] = []): void => {
    port.postMessage(msg, transfer);
  };
  port.on("message", (m: MainMessage) => {
    if (m.type === "load") {
      search?.release();
      search = null;
      loadSpec({ path: m.path, exportName: m.exportName }).then(
        (loaded) => {
          search = new WorkerSearch(buildModel<unknown>(loaded.spec, m.params, loaded.source), m);
          send({ type: "loaded" });
        },
        (e: unknown) =>
          send({ type: "loadFailed", message: e instanceof Error ? e.message : inspect(e) }),
      );
      return;
    }
    if (m.type === "release") {
      search?.release();
      search = null;
      send({ type: "released" });
      return;
    }
    if (search === null) throw new Error("parallel search: a round before the spec was loaded");
    if (m.type === "export") {
      const groups = search.exportStates(m);
      send(
        { type: "exported", groups },
        groups.flat().map((b) => b.buffer as ArrayBuffer),
      );
      return;
    }
    const reply = search.round(m);
    send({ type: "reply", reply }, [
      reply.cand.buffer as ArrayBuffer,
      reply.counts.buffer as ArrayBuffer,
    ]);
  });
}

if (parentPort !== null && workerData === WORKER_ROLE) main(parentPort);

/** States per chunk that a worker encodes (a chunk is decoded whole). */
const CHUNK_STATES = 8192;

function chunksOf<S>(
  stateAt: (i: number) => S,
  ids: Uint32Array,
  fps: Uint32Array,
  encoder: StateEncoder,
): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let from = 0; from < ids.length; from += CHUNK_STATES) {
    const to = Math.min(ids.length, from + CHUNK_STATES);
    const states: S[] = new Array<S>(to - from);
    for (let i = from; i < to; i++) states[i - from] = stateAt(i);
    const entries = { states, ids: ids.subarray(from, to), fps: fps.subarray(2 * from, 2 * to) };
    // A copy of its own: the chunk's buffer is transferred to the main thread.
    out.push(new Uint8Array(encodeChunk(entries, 0, to - from, encoder)));
  }
  return out;
}
