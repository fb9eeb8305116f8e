// The reachable state graph, recorded during breadth-first search when a spec has temporal
// properties (safety-only runs never create one). While the search runs, each state's
// successor ids are appended to fixed-size chunks (no copying as they grow); `finish` then
// packs them into compressed sparse rows: one offset per state, one target per edge, and one
// action label per edge when the spec declares fairness. Steps that return the state they
// start from are stutters and are not edges. Each state also gets one bit per predicate.
import { FingerprintSet } from "../engine/fingerprint-set.ts";
import { specCallError } from "../engine/spec-call-error.ts";
import type { ActionLabels } from "./action-labels.ts";

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;
const FIRST_CHUNK = 1 << 10;

/** A copy four times as long (at most a chunk). */
function enlarged<T extends Uint16Array | Uint32Array>(a: T): T {
  const b = (
    a instanceof Uint16Array
      ? new Uint16Array(Math.min(CHUNK, a.length * 4))
      : new Uint32Array(Math.min(CHUNK, a.length * 4))
  ) as T;
  b.set(a);
  return b;
}

/** A predicate evaluated on every state, one bit each. */
export interface GraphPredicate<S> {
  readonly name: string;
  readonly test: (state: S) => boolean;
}

/** What the recorder reads from the search: which action instance is producing a successor. */
export interface ExpansionCursor {
  readonly actionIndex: number;
  readonly arg: unknown;
}

function grown<T extends Uint32Array | Uint8Array>(a: T, min: number, make: (n: number) => T): T {
  if (a.length >= min) return a;
  const b = make(Math.max(min, Math.ceil(a.length * 1.5)));
  b.set(a);
  return b;
}

export class StateGraph<S> {
  /** fp → state id. */
  readonly ids = new FingerprintSet(1 << 12, true);
  private stateCount = 0;
  private initIds: number[] = [];
  // While recording: each state's first edge and degree, and the edge chunks.
  private first = new Uint32Array(1 << 12);
  private degree = new Uint32Array(1 << 12);
  private targetChunks: Uint32Array[] = [];
  // 16-bit labels until an instance label needs more.
  private labelChunks: (Uint16Array | Uint32Array)[] = [];
  private wideLabels = false;
  private edgeCount = 0;
  private current = -1;
  private readonly bits: Uint32Array[];
  /** Bytes held at most while recording and packing. */
  peakBytes = 0;
  // After `finish`: compressed sparse rows.
  offsets: Uint32Array = new Uint32Array(1);
  targets: Uint32Array = new Uint32Array(0);
  /** The action label of each edge, or null when the spec declares no fairness. */
  labels: Uint16Array | Uint32Array | null = null;

  constructor(
    private readonly cursor: ExpansionCursor,
    readonly predicates: readonly GraphPredicate<S>[],
    /** Labels edges with action instances; null when no fairness needs them. */
    readonly actionLabels: ActionLabels | null,
  ) {
    this.bits = predicates.map(() => new Uint32Array(1 << 7));
  }

  get states(): number {
    return this.stateCount;
  }

  get edges(): number {
    return this.edgeCount;
  }

  get inits(): readonly number[] {
    return this.initIds;
  }

  /** Whether predicate `k` holds in state `id`. */
  holds(k: number, id: number): boolean {
    return ((this.bits[k]![id >>> 5]! >>> (id & 31)) & 1) === 1;
  }

  /** Records an initial state. */
  addInit(id: number, state: S, hi: number, lo: number): void {
    this.initIds.push(id);
    this.addState(id, state, hi, lo);
  }

  /** Records a state seen for the first time and the edge to it from `from`. */
  addSuccessor(from: number, id: number, state: S, hi: number, lo: number): void {
    this.addState(id, state, hi, lo);
    this.addEdge(from, id);
  }

  /** Records an edge from `from` to the state already seen with fingerprint (hi, lo). */
  edgeToSeen(from: number, hi: number, lo: number): void {
    const to = this.ids.getOrAdd(hi, lo, 0);
    if (to < 0) throw new Error("state graph: a seen state has no id");
    if (to !== from) this.addEdge(from, to);
  }

  private addState(id: number, state: S, hi: number, lo: number): void {
    if (this.ids.getOrAdd(hi, lo, id) >= 0) throw new Error("state graph: state recorded twice");
    if (id >= this.first.length) {
      this.first = grown(this.first, id + 1, (n) => new Uint32Array(n));
      this.degree = grown(this.degree, id + 1, (n) => new Uint32Array(n));
    }
    if (id >= this.stateCount) this.stateCount = id + 1;
    const preds = this.predicates;
    for (let k = 0; k < preds.length; k++) {
      const pred = preds[k]!;
      let ok: unknown;
      try {
        ok = pred.test(state);
      } catch (e) {
        throw specCallError(`property predicate ${pred.name}`, e);
      }
      if (typeof ok !== "boolean") {
        throw specCallError(
          `property predicate ${pred.name}`,
          new Error(`returned ${typeof ok}, not a boolean`),
        );
      }
      let words = this.bits[k]!;
      if (id >>> 5 >= words.length) {
        words = grown(words, (id >>> 5) + 1, (n) => new Uint32Array(n));
        this.bits[k] = words;
      }
      if (ok) words[id >>> 5]! |= 1 << (id & 31);
    }
  }

  private addEdge(from: number, to: number): void {
    if (from !== this.current) {
      // A state's edges are contiguous: the search expands one state at a time.
      if (this.degree[from]! !== 0) throw new Error("state graph: a state was expanded twice");
      this.current = from;
      this.first[from] = this.edgeCount;
    }
    this.degree[from]!++;
    const e = this.edgeCount++;
    const c = e >>> CHUNK_BITS;
    if (c === this.targetChunks.length) {
      // The first chunk starts small and grows, so that a small graph holds little.
      const size = c === 0 ? FIRST_CHUNK : CHUNK;
      this.targetChunks.push(new Uint32Array(size));
      if (this.actionLabels !== null) {
        this.labelChunks.push(this.wideLabels ? new Uint32Array(size) : new Uint16Array(size));
      }
    } else if ((e & MASK) === this.targetChunks[c]!.length) {
      this.targetChunks[c] = enlarged(this.targetChunks[c]!);
      if (this.actionLabels !== null) this.labelChunks[c] = enlarged(this.labelChunks[c]!);
    }
    this.targetChunks[c]![e & MASK] = to;
    if (this.actionLabels !== null) {
      const cur = this.cursor;
      const label = this.actionLabels.labelOf(cur.actionIndex, cur.arg);
      if (label > 0xffff && !this.wideLabels) this.widenLabels();
      this.labelChunks[c]![e & MASK] = label;
    }
  }

  private widenLabels(): void {
    this.wideLabels = true;
    this.labelChunks = this.labelChunks.map((chunk) => Uint32Array.from(chunk));
  }

  /** Bytes held by the recorded graph (fp → id table, rows, edges, labels, predicate bits). */
  get bytes(): number {
    let b = this.ids.bytes + this.offsets.byteLength + this.targets.byteLength;
    b += this.first.byteLength + this.degree.byteLength;
    b += this.labels?.byteLength ?? 0;
    for (const chunk of this.targetChunks) b += chunk.byteLength;
    for (const chunk of this.labelChunks) b += chunk.byteLength;
    for (const w of this.bits) b += w.byteLength;
    return b;
  }

  /** Packs the recorded edges into compressed sparse rows (call once, after the search). */
  finish(): void {
    this.peakBytes = Math.max(this.peakBytes, this.bytes);
    const n = this.stateCount;
    const offsets = new Uint32Array(n + 1);
    for (let u = 0; u < n; u++) offsets[u + 1] = offsets[u]! + this.degree[u]!;
    const targets = new Uint32Array(this.edgeCount);
    const small = !this.wideLabels;
    const labels =
      this.actionLabels === null
        ? null
        : small
          ? new Uint16Array(this.edgeCount)
          : new Uint32Array(this.edgeCount);
    for (let u = 0; u < n; u++) {
      let e = this.first[u]!;
      const d = this.degree[u]!;
      let k = offsets[u]!;
      for (let i = 0; i < d; i++, e++, k++) {
        targets[k] = this.targetChunks[e >>> CHUNK_BITS]![e & MASK]!;
        if (labels !== null) labels[k] = this.labelChunks[e >>> CHUNK_BITS]![e & MASK]!;
      }
    }
    this.offsets = offsets;
    this.targets = targets;
    this.labels = labels;
    this.peakBytes = Math.max(this.peakBytes, this.bytes);
    this.targetChunks = [];
    this.labelChunks = [];
    this.first = new Uint32Array(0);
    this.degree = new Uint32Array(0);
  }
}
