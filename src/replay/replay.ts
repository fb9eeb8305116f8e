// Re-executes a recorded trace against a spec: each step's action label must be enabled and
// yield the recorded state, and the recorded property is then checked again. States are matched
// by the fingerprint the checker recorded (a view's, if the spec has one) or, failing that, by
// their canonical ITF text, never by fingerprints of decoded values: decoding turns Lists and
// Records into arrays and objects, which fingerprint differently.
import { SearchContext } from "../engine/search-context.ts";
import type { TraceStep } from "../engine/result.ts";
import { specCallError } from "../engine/spec-call-error.ts";
import { SpecError } from "../errors/spec-error.ts";
import { decodeValue } from "../itf/decode.ts";
import { canonicalJson, encodeValue } from "../itf/encode.ts";
import { decodeTraceStates, type TraceFile } from "../itf/trace-file.ts";
import type { Model } from "../spec/model.ts";
import { diffValues, type Change } from "../values/diff.ts";
import { formatValue } from "../values/format.ts";
import type { DivergenceReason, LoopClosure, ReplayResult } from "./replay-result.ts";

interface Successor<S> {
  readonly label: string;
  readonly state: S;
}

type Check<S> =
  | { readonly kind: "state"; readonly test: (s: S) => boolean }
  | { readonly kind: "step"; readonly test: (before: S, after: S) => boolean }
  | { readonly kind: "end" };

const hex = (fp: Uint32Array): string =>
  fp[0]!.toString(16).padStart(8, "0") + fp[1]!.toString(16).padStart(8, "0");

/** A state's value with Lists, Records and key order normalised, as a trace file holds it. */
export function canonicalState(state: unknown): unknown {
  return decodeValue(encodeValue(state, "state"));
}

class Replayer<S> {
  private readonly ctx: SearchContext<S>;
  private readonly meta: TraceFile["#meta"];
  private readonly n: number;
  private decoded: unknown[] | null = null;
  private readonly texts: (string | undefined)[] = [];
  readonly trace: TraceStep<S>[] = [];

  constructor(
    private readonly model: Model<S>,
    private readonly file: TraceFile,
  ) {
    this.ctx = new SearchContext(model, { deadlock: true });
    this.meta = file["#meta"];
    this.n = file.states.length;
  }

  recorded(i: number): unknown {
    this.decoded ??= decodeTraceStates(this.file);
    return this.decoded[i];
  }

  /** Whether `state` is the recorded state `i`. */
  matches(state: S, i: number): boolean {
    this.ctx.fingerprint(state);
    if (hex(this.ctx.fp) === this.meta.fingerprints[i]) return true;
    const text = (this.texts[i] ??= canonicalJson(this.recorded(i)));
    return canonicalJson(state) === text;
  }

  successors(state: S): Successor<S>[] {
    const out: Successor<S>[] = [];
    const ctx = this.ctx;
    try {
      ctx.expander.expand(state, (next) => out.push({ label: ctx.currentLabel(), state: next }));
    } catch (e) {
      throw ctx.expansionError(e);
    }
    return out;
  }

  /** The recorded property as a predicate of this model; a PMC007 error lists the valid ones. */
  check(): Check<S> {
    const { property, kind } = this.meta;
    const find = <T extends { readonly name: string }>(list: readonly T[], what: string): T => {
      const found = list.find((p) => p.name === property);
      if (found !== undefined) return found;
      const names = list.map((p) => p.name);
      throw new SpecError(
        "PMC007",
        `the trace records ${what} ${property}, which ${this.specName()} does not have ` +
          `(its ${what}s: ${names.length === 0 ? "none" : names.join(", ")})`,
        "Replay the trace against the spec it was written for (--spec path.ts#export).",
      );
    };
    switch (kind) {
      case "invariant": {
        const inv = find(this.model.invariants, "invariant");
        return {
          kind: "state",
          test: (s) => this.holds(`invariant ${property}`, () => inv.test(s)),
        };
      }
      case "step": {
        const p = find(this.model.stepProperties, "step property");
        return {
          kind: "step",
          test: (a, b) => this.holds(`step property ${property}`, () => p.test(a, b)),
        };
      }
      case "liveness":
        if (this.meta.loopIndex === null) {
          throw new SpecError("PMC007", "a liveness trace needs a loopIndex in #meta");
        }
        return { kind: "end" };
      case "deadlock":
        return { kind: "end" };
    }
  }

  holds(what: string, test: () => boolean): boolean {
    let ok: unknown;
    try {
      ok = test();
    } catch (e) {
      throw specCallError(what, e);
    }
    if (typeof ok !== "boolean") {
      throw new SpecError(
        "PMC008",
        `${what} returned ${formatValue(ok)}, not a boolean`,
        "Predicates must return true or false.",
      );
    }
    return ok;
  }

  specName(): string {
    const src = this.model.source;
    if (src === null) return this.model.name;
    return src.exportName === "default" ? src.path : `${src.path}#${src.exportName}`;
  }

  run(): ReplayResult<S> {
    const check = this.check();
    const { actions } = this.meta;
    const trace = this.trace;
    try {
      const inits = this.ctx.initialStates().map((state) => ({ label: "Init", state }));
      const init = inits.find((s) => this.matches(s.state, 0));
      if (init === undefined) return this.diverged(0, "Init", "init", inits, inits);
      trace.push(init);
      if (check.kind === "state" && !check.test(init.state)) return this.reproduced(0);
      for (let k = 1; k < this.n; k++) {
        const label = actions[k]!;
        const prev = trace[k - 1]!.state;
        const all = this.successors(prev);
        const candidates = all.filter((s) => s.label === label);
        const next = candidates.find((s) => this.matches(s.state, k));
        if (next === undefined) {
          const reason = candidates.length === 0 ? "not-enabled" : "different-state";
          return this.diverged(k, label, reason, candidates, all);
        }
        trace.push(next);
        if (check.kind === "state" && !check.test(next.state)) return this.reproduced(k);
        if (check.kind === "step" && !check.test(prev, next.state)) return this.reproduced(k);
      }
      switch (this.meta.kind) {
        case "invariant":
          return this.fixed(`invariant ${this.meta.property} holds in every state of the trace`);
        case "step":
          return this.fixed(`step property ${this.meta.property} holds on every step`);
        case "deadlock":
          return this.endsInDeadlock();
        case "liveness":
          return this.closeLoop();
      }
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      return { ...this.base(), kind: "specError", at: trace.length, error: e };
    }
  }

  base() {
    return {
      property: this.meta.property,
      propertyKind: this.meta.kind,
      trace: this.trace,
      recordedLength: this.n,
    };
  }

  reproduced(at: number): ReplayResult<S> {
    return { ...this.base(), kind: "reproduced", at };
  }

  fixed(reason: string): ReplayResult<S> {
    return { ...this.base(), kind: "fixed", reason };
  }

  diverged(
    at: number,
    label: string,
    reason: DivergenceReason,
    candidates: readonly Successor<S>[],
    all: readonly Successor<S>[],
    recordedIndex = at,
  ): ReplayResult<S> {
    const recorded = this.recorded(recordedIndex);
    const recordedBefore = at === 0 ? null : this.recorded(Math.min(at, this.n) - 1);
    let actual: unknown = null;
    let changes: Change[] = [];
    for (const c of candidates) {
      const value = canonicalState(c.state);
      const d = diffValues(recorded, value);
      if (actual === null || d.length < changes.length) {
        actual = value;
        changes = d;
      }
    }
    const enabled = [...new Set(all.map((s) => s.label))];
    return {
      ...this.base(),
      kind: "diverged",
      at,
      label,
      reason,
      enabled,
      recordedIndex,
      recorded,
      recordedBefore,
      actual,
      changes,
    };
  }

  endsInDeadlock(): ReplayResult<S> {
    const last = this.trace[this.n - 1]!.state;
    if (!this.ctx.inConstraint(last)) {
      return this.fixed("the last state is outside the state constraint, so it is not expanded");
    }
    const next = this.successors(last);
    if (next.length > 0) {
      const labels = [...new Set(next.map((s) => s.label))];
      const shown = labels.slice(0, 8).join(", ") + (labels.length > 8 ? ", …" : "");
      return this.fixed(
        `the last state now has ${next.length} successor${next.length === 1 ? "" : "s"} (${shown})`,
      );
    }
    if (this.ctx.isTerminal(last)) return this.fixed("the spec now marks the last state terminal");
    return this.reproduced(this.n - 1);
  }

  // A lasso's last state steps back to the state at the loop index. The trace may already end
  // with that step (its last state is the loop state again); otherwise some successor of the
  // last state must be the loop state. A loop on the last state itself is stuttering forever,
  // which a behaviour may do only where nothing else can happen, unless the spec lets it
  // stutter anywhere.
  closeLoop(): ReplayResult<S> {
    const loopIndex = this.meta.loopIndex!;
    const lastIndex = this.n - 1;
    const last = this.trace[lastIndex]!.state;
    let loop: LoopClosure | null = null;
    if (loopIndex < lastIndex && this.matches(last, loopIndex)) {
      loop = { loopIndex, label: this.meta.actions[lastIndex]! };
    } else {
      const all = this.successors(last);
      if (loopIndex === lastIndex) {
        const moving = all.filter((s) => !this.matches(s.state, lastIndex));
        if (moving.length === 0 || this.model.stuttering === "anywhere") {
          loop = { loopIndex, label: null };
        }
      } else {
        const back = all.find((s) => this.matches(s.state, loopIndex));
        if (back !== undefined) loop = { loopIndex, label: back.label };
      }
      if (loop === null) {
        const label = `(back to step ${loopIndex})`;
        return this.diverged(this.n, label, "loop-not-closed", all, all, loopIndex);
      }
    }
    return {
      ...this.base(),
      kind: "unchecked",
      loop,
      reason:
        `re-checking liveness property ${this.meta.property} needs protomc's liveness checker, ` +
        "which this build does not have; only the lasso (prefix and cycle) was re-executed",
    };
  }
}

/**
 * Replays a trace file against a model (built with the trace's params). Problems with the trace
 * itself (a property the spec does not have) throw a SpecError; exceptions from spec code while
 * re-executing are a `specError` result that keeps the steps replayed so far.
 */
export function replayTrace<S>(model: Model<S>, file: TraceFile): ReplayResult<S> {
  return new Replayer(model, file).run();
}
