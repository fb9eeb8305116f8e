// Random simulation, in two stages, both driven by fast-check from one seed.
//
// 1. Search: fast-check generates the input of each run: which strategy chooses the walk's
//    steps (uniform choice, or random delays: policies.ts), the strategy's random seed, and a
//    list of choices. The first walk that fails ends the search.
// 2. Shrinking: the failing walk's steps, written as choices that name each step's action
//    instance (walk.ts), are given to fast-check as an example to shrink. Whatever strategy
//    found the failure, shrinking works on plain choices, so that removing a step keeps the
//    meaning of the others. While shrinking, a walk counts as failing only if it fails the same
//    property with a trace no longer than the shortest so far: the shrunk trace shows the bug
//    first found rather than some other, easier one, and fast-check's notion of a smaller input
//    (which can mean a longer behaviour, e.g. two +1 steps for one +2) never lengthens it.
//
// A failure's path is the search's run and then fast-check's shrink path ("117:3:0:2"), so that
// `path` re-runs just that run and those shrinks.
import fc from "fast-check";
import { DEFAULT_PROGRESS_INTERVAL_MS } from "../engine/options.ts";
import type { TraceStep, Violation } from "../engine/result.ts";
import { nondeterministic, SearchContext } from "../engine/search-context.ts";
import type { SpecError } from "../errors/spec-error.ts";
import { explainLasso } from "../liveness/explain.ts";
import type { Model, ModelProperty } from "../spec/model.ts";
import { DelayPolicy, delayShape, quietShape, Rng } from "./policies.ts";
import { WalkArbitrary } from "./shrink.ts";
import {
  choiceSlots,
  type Choice,
  type Closing,
  type Policy,
  type WalkInput,
  type WalkResult,
  Walker,
} from "./walk.ts";

export interface SimulateOptions {
  /** Random walks to try (default 1000). */
  readonly runs?: number;
  /** The longest behaviour to try, in steps (default 100). */
  readonly depth?: number;
  /** fast-check's seed; random (and reported) when not given. */
  readonly seed?: number;
  /** The path of a failure (see SimulationResult), to re-run just that one (with its seed). */
  readonly path?: string;
  /** Report deadlocks (default true). */
  readonly deadlock?: boolean;
  /** Check the spec's temporal properties on the lassos walks close (default true). */
  readonly liveness?: boolean;
  /** Which strategies choose the walks' steps (default: all of them, in turn at random). */
  readonly strategies?: readonly Strategy[];
  /** Stop starting new runs (and shrinking) after this many milliseconds. */
  readonly timeLimitMs?: number;
  /** Called about every `progressIntervalMs` (default 2000) while the walks run. */
  readonly onProgress?: (stats: SimulationStats) => void;
  readonly progressIntervalMs?: number;
}

/**
 * How a run's walk chooses its steps: `uniform`, one of the enabled action instances each time
 * (by fast-check's choices); `delays`, the instance due first when each has a random delay.
 */
export type Strategy = "uniform" | "delays" | "quiet";

export const STRATEGIES: readonly Strategy[] = ["uniform", "delays", "quiet"];

export interface SimulationStats {
  /** Runs made until the first failure (or all of them). */
  runs: number;
  /** Walks made, including those made while shrinking. */
  walks: number;
  /** Steps taken over all walks. */
  steps: number;
  /** fast-check's shrinks that kept the failure. */
  shrinks: number;
  elapsedMs: number;
}

interface SimulationBase {
  readonly seed: number;
  readonly runs: number;
  readonly depth: number;
  readonly stats: SimulationStats;
}

export type SimulationResult<S> =
  | (SimulationBase & { readonly kind: "ok" })
  | (SimulationBase & {
      readonly kind: "violation";
      readonly violation: Violation<S>;
      /** Steps of the failing behaviour as first found, before shrinking. */
      readonly foundSteps: number;
      /** The strategy of the run that found it. */
      readonly strategy: Strategy;
      /** The failure's path (replay with `path` and the same seed). */
      readonly path: string;
    })
  | (SimulationBase & {
      readonly kind: "specError";
      readonly error: SpecError;
      readonly trace: readonly TraceStep<S>[];
      readonly path: string;
    })
  | (SimulationBase & { readonly kind: "incomplete"; readonly reason: "time-limit" });

const failureKey = (r: WalkResult<unknown>): string | null =>
  r.kind === "ok"
    ? null
    : r.kind === "violation"
      ? `${r.violation.kind}:${r.violation.property}`
      : `specError:${r.error.code}`;

const steps = (r: WalkResult<unknown>): number =>
  (r.kind === "violation" ? r.violation.trace.length : r.trace.length) - 1;

export const DEFAULT_RUNS = 1000;
export const DEFAULT_DEPTH = 100;

/** A seed for a run that was not given one: a non-negative 31-bit integer. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0x80000000);
}

// Bounds of the numbers in a choice. Searches draw instances below 1024 (by position, then);
// shrinking also takes the label hashes (24 bits) that name a found walk's instances.
const SEARCH_INSTANCE = 1023;
const SHRINK_INSTANCE = 0xffffff;
const MAX_PICK = 1023;

function choiceArb(slots: number, instance: number, pick: number): fc.Arbitrary<Choice> {
  return fc.record({
    slot: fc.nat({ max: Math.max(0, slots - 1) }),
    instance: fc.nat({ max: instance }),
    pick: fc.nat({ max: pick }),
  });
}

/** The arbitrary of a walk's choices; behaviours have at most `depth` steps. */
export function walkInputs(
  slots: number,
  depth: number,
  instance = SEARCH_INSTANCE,
  pick = 15,
): fc.Arbitrary<WalkInput> {
  // The last step of a behaviour is found by looking ahead from the last state chosen.
  return fc.record({
    init: fc.nat({ max: 1023 }),
    steps: fc.array(choiceArb(slots, instance, pick), {
      maxLength: Math.max(0, depth - 1),
      size: "max",
    }),
  });
}

/** A search run's input: its strategy, that strategy's seed, and the walk's choices. */
interface RunInput extends WalkInput {
  readonly strategy: number;
  readonly salt: number;
}

function runInputs(slots: number, depth: number, strategies: number): fc.Arbitrary<RunInput> {
  return fc
    .tuple(fc.nat({ max: strategies - 1 }), fc.nat(), walkInputs(slots, depth))
    .map(([strategy, salt, walk]) => ({ strategy, salt, ...walk }));
}

export function simulate<S>(model: Model<S>, options: SimulateOptions = {}): SimulationResult<S> {
  const runs = options.runs ?? DEFAULT_RUNS;
  const depth = options.depth ?? DEFAULT_DEPTH;
  const seed = options.seed ?? randomSeed();
  const strategies = options.strategies ?? STRATEGIES;
  if (strategies.length === 0) throw new Error("simulate needs at least one strategy");
  const walker = new Walker(model, options.deadlock ?? true, options.liveness ?? true);
  const slots = choiceSlots(model);
  const fixed = slots.map((s) => s.position !== null);
  const started = performance.now();
  const deadline = options.timeLimitMs === undefined ? Infinity : started + options.timeLimitMs;
  const interval = options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
  let nextProgress = started + interval;
  let walks = 0;
  const stats = (runsMade: number, shrinks: number): SimulationStats => ({
    runs: runsMade,
    walks,
    steps: walker.steps,
    shrinks,
    elapsedMs: performance.now() - started,
  });
  const counted = (r: WalkResult<S>): WalkResult<S> => {
    walks++;
    if (
      options.onProgress !== undefined &&
      (walks & 63) === 0 &&
      performance.now() > nextProgress
    ) {
      nextProgress = performance.now() + interval;
      options.onProgress(stats(walks, 0));
    }
    return r;
  };
  const policy = (input: RunInput): Policy<S> | null => {
    const strategy = strategies[input.strategy];
    if (strategy === "uniform") return null;
    const rng = new Rng(input.salt);
    const shape = strategy === "quiet" ? quietShape(rng, fixed) : delayShape(rng, fixed);
    return new DelayPolicy(rng, shape, (e) => walker.slotOf(e), depth - 1);
  };
  const walkRun = (input: RunInput): WalkResult<S> => {
    const p = policy(input);
    return p === null ? walker.walk(input) : walker.walkWith(input.init, p);
  };
  const timeLeft = (): { interruptAfterTimeLimit?: number } =>
    deadline === Infinity
      ? {}
      : { interruptAfterTimeLimit: Math.max(0, Math.round(deadline - performance.now())) };
  const base = { seed, runs, depth };

  // 1. Search.
  const [runPath, ...shrinkPath] = options.path === undefined ? [] : options.path.split(":");
  let found: WalkResult<S> | null = null;
  let foundInput: RunInput | null = null;
  const search = fc.check(
    fc.property(runInputs(slots.length, depth, strategies.length), (input) => {
      const r = counted(walkRun(input));
      if (failureKey(r) === null) return true;
      found = r;
      foundInput = input;
      return false;
    }),
    {
      seed,
      numRuns: runs,
      endOnFailure: true,
      ...(runPath !== undefined ? { path: runPath } : {}),
      ...timeLeft(),
    },
  );
  const first = found as WalkResult<S> | null;
  const firstInput = foundInput as RunInput | null;
  if (!search.failed || first === null || first.kind === "ok" || firstInput === null) {
    const st = stats(search.numRuns, 0);
    if (search.interrupted) return { ...base, kind: "incomplete", stats: st, reason: "time-limit" };
    return { ...base, kind: "ok", stats: st };
  }
  const runIndex = search.counterexamplePath ?? String(search.numRuns - 1);
  const strategy = strategies[firstInput.strategy]!;

  // 2. Shrinking, of the found walk's steps as choices.
  const target = failureKey(first);
  const foundSteps = steps(first);
  // Shrinks must make the walk shorter, or as long with simpler steps: lower domain elements,
  // first successors (see weight), so that shrinking always ends.
  let shortest = foundSteps;
  let lightest = Infinity;
  let best: WalkInput | null = null;
  const shrinkable = new WalkArbitrary(
    walker,
    walkInputs(slots.length, depth, SHRINK_INSTANCE, MAX_PICK),
  );
  const shrink = fc.check(
    fc.property(shrinkable, (input) => {
      const r = counted(walker.walk(input));
      if (failureKey(r) !== target || r.kind === "ok") return true;
      const n = steps(r);
      const w = weight(r.input, walker);
      if (n > shortest || (n === shortest && w >= lightest)) return true;
      shortest = n;
      lightest = w;
      best = input;
      return false;
    }),
    {
      seed,
      numRuns: 1,
      examples: [[first.input]],
      path: ["0", ...shrinkPath].join(":"),
      ...timeLeft(),
    },
  );
  const shrunk = best as WalkInput | null;
  const st = stats(search.numRuns, shrink.numShrinks);
  const shrinks = (shrink.counterexamplePath ?? "0").split(":").slice(1);
  const path = [runIndex, ...(shrunk === null ? [] : shrinks)].join(":");
  // The walk of the last shrink that kept the failure, walked again; the one found if the time
  // ran out before shrinking began. A found walk that its choices do not walk to the same
  // failure again is the spec's doing: it is not a function of the state.
  const final = shrunk !== null ? walker.walk(shrunk) : shrink.interrupted ? first : null;
  if (final === null) {
    const error = nondeterministic("the spec", "no longer fails on the same choices");
    const trace = first.kind === "violation" ? first.violation.trace : first.trace;
    return { ...base, kind: "specError", stats: st, error, trace, path };
  }
  if (failureKey(final) === target) {
    if (final.kind === "violation") {
      const violation = withExplanation(model, final);
      return { ...base, kind: "violation", stats: st, violation, foundSteps, strategy, path };
    }
    if (final.kind === "specError") {
      return {
        ...base,
        kind: "specError",
        stats: st,
        error: final.error,
        trace: final.trace,
        path,
      };
    }
  }
  const error =
    final.kind === "specError"
      ? final.error
      : nondeterministic("the spec", "no longer fails on the same choices");
  const trace = final.kind === "violation" ? final.violation.trace : final.trace;
  return { ...base, kind: "specError", stats: st, error, trace, path };
}

/** How far a walk's choices are from the simplest: domain positions, successor indices. */
function weight(
  input: WalkInput,
  walker: { readonly slots: readonly { position: number | null }[] },
): number {
  let w = input.init;
  for (const c of input.steps) w += (walker.slots[c.slot]?.position ?? 0) + c.pick;
  return w;
}

/** A liveness violation with the explanation `check` gives its lassos. */
function withExplanation<S>(
  model: Model<S>,
  r: Extract<WalkResult<S>, { kind: "violation" }>,
): Violation<S> {
  const v = r.violation;
  if (v.kind !== "liveness" || v.loopIndex === null) return v;
  const prop = model.properties?.find((p) => p.name === v.property);
  if (prop === undefined) return v;
  const ctx = new SearchContext(model, {});
  const actionOf = (label: string): number =>
    model.actions.findIndex((a) => label === a.name || label.startsWith(`${a.name}(`));
  const explanation = explainLasso(ctx, prop as ModelProperty<unknown>, {
    trace: v.trace,
    loopIndex: v.loopIndex,
    closing: r.closing satisfies Closing | null,
    actions: v.trace.map((s, i) => (i === 0 ? -1 : actionOf(s.label))),
    entered: entered(prop, v.trace, v.loopIndex),
    rejecting: rejecting(prop, v.trace, v.loopIndex),
  });
  return { ...v, explanation };
}

/** leadsTo: the earliest step with p after which q never holds (-1 for other forms). */
function entered<S>(prop: ModelProperty<S>, trace: readonly TraceStep<S>[], loop: number): number {
  if (prop.form !== "leadsTo" || prop.q === null) return -1;
  const q = prop.q;
  let from = 0;
  trace.forEach((s, i) => {
    if (q(s.state)) from = i + 1;
  });
  const i = trace.findIndex((s, j) => j >= from && prop.p(s.state));
  return i < 0 ? loop : i;
}

/** eventuallyAlways: a step on the cycle where p is false (-1 for other forms). */
function rejecting<S>(
  prop: ModelProperty<S>,
  trace: readonly TraceStep<S>[],
  loop: number,
): number {
  if (prop.form !== "eventuallyAlways") return -1;
  const i = trace.findIndex((s, j) => j >= loop && !prop.p(s.state));
  return i < 0 ? loop : i;
}
