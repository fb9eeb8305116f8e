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
import { verifyLasso, type LassoVerdict } from "../liveness/verify-lasso.ts";
import type { Model, ModelProperty } from "../spec/model.ts";
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
  | { readonly kind: "lasso"; readonly prop: ModelProperty<S> }
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
          `(its ${what.replace(/y$/, "ie")}s: ${names.length === 0 ? "none" : names.join(", ")})`,
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
        return { kind: "lasso", prop: find(this.model.properties ?? [], "liveness property") };
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
      if (check.kind === "lasso") return this.closeLoop(check.prop);
      switch (this.meta.kind) {
        case "invariant":
          return this.fixed(`invariant ${this.meta.property} holds in every state of the trace`);
        case "step":
          return this.fixed(`step property ${this.meta.property} holds on every step`);
        case "deadlock":
          return this.endsInDeadlock();
        case "liveness":
          throw new Error("a liveness trace is checked on its lasso");
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

  reproduced(at: number, loop?: LoopClosure): ReplayResult<S> {
    return { ...this.base(), kind: "reproduced", at, ...(loop !== undefined ? { loop } : {}) };
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

  // A lasso's last state steps back to the state at the loop index, by the step the trace
  // records in #meta.loopAction (older traces do not record it: then any step back will do).
  // The trace may instead already end with that step (its last state is the loop state again).
  // A loop on the last state itself is stuttering forever, which a behaviour may do only where
  // nothing else can happen, unless the spec lets it stutter anywhere. Once the lasso is known
  // to be a behaviour, the property is checked on it, and whether it is fair.
  closeLoop(prop: ModelProperty<S>): ReplayResult<S> {
    const loopIndex = this.meta.loopIndex!;
    const recordedAction = this.meta.loopAction;
    let lastIndex = this.n - 1;
    const last = this.trace[lastIndex]!.state;
    // The labels that may close the cycle (null: stuttering).
    let closings: (string | null)[];
    if (loopIndex < lastIndex && this.matches(last, loopIndex)) {
      // Reported as check writes lassos: without the repeated state, closed by its step.
      closings = [this.trace.pop()!.label];
      lastIndex--;
    } else {
      const all = this.successors(last);
      if (loopIndex === lastIndex) {
        // The steps that leave the state are what keeps it from stuttering forever.
        const moving = all.filter((s) => !this.matches(s.state, lastIndex));
        const stutters = moving.length === 0 || this.model.stuttering === "anywhere";
        if (!stutters) {
          return this.diverged(
            this.n,
            "(stuttering)",
            "loop-not-closed",
            moving,
            moving,
            loopIndex,
          );
        }
        closings = [null];
      } else {
        const back = all.filter(
          (s) =>
            (recordedAction === undefined || s.label === recordedAction) &&
            this.matches(s.state, loopIndex),
        );
        if (back.length === 0) {
          const labelled = all.filter((s) => s.label === recordedAction);
          const candidates = labelled.length > 0 ? labelled : all;
          const closing = recordedAction ?? `(back to step ${loopIndex})`;
          return this.diverged(this.n, closing, "loop-not-closed", candidates, all, loopIndex);
        }
        closings = [...new Set(back.map((s) => s.label))];
      }
    }
    const lasso = this.trace;
    // Of several ways to close the cycle (only in traces without loopAction), the first one
    // that still shows the violation.
    let verdict: LassoVerdict | null = null;
    let closing: string | null = null;
    for (const c of closings) {
      const v = this.verify(prop, lasso, loopIndex, c);
      if (verdict === null || (v.violates && v.fair && !(verdict.violates && verdict.fair))) {
        verdict = v;
        closing = c;
      }
    }
    const loop: LoopClosure = { loopIndex, label: closing };
    const what = `liveness property ${prop.name}`;
    if (!verdict!.violates) {
      return { ...this.base(), kind: "fixed", loop, reason: `${what} holds on the lasso` };
    }
    if (!verdict!.fair) {
      const unfair = verdict!.unfair;
      return {
        ...this.base(),
        kind: "fixed",
        loop,
        unfair,
        reason:
          `the lasso is no longer a fair behaviour: its cycle breaks ${unfair.join(", ")}, ` +
          `so it no longer violates ${what}`,
      };
    }
    return this.reproduced(lastIndex, loop);
  }

  // verifyLasso, with the property's predicates first evaluated here so that a predicate that
  // throws or does not return a boolean is a spec error like any other.
  verify(
    prop: ModelProperty<S>,
    lasso: readonly TraceStep<S>[],
    loopIndex: number,
    closing: string | null,
  ): LassoVerdict {
    const what = `liveness property ${prop.name}`;
    for (const { state } of lasso) {
      this.holds(what, () => prop.p(state));
      const q = prop.q;
      if (q !== null) this.holds(what, () => q(state));
    }
    try {
      return verifyLasso(this.model, prop.name, lasso, loopIndex, closing);
    } catch (e) {
      throw specCallError(`the spec, while checking the fairness of the lasso's cycle,`, e);
    }
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
