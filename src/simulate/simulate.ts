// Random simulation: fast-check generates the choices of many random walks (reproducible from
// its seed) and, on a failure, shrinks them, which shortens the behaviour; the walk itself is
// walk.ts. While shrinking, a walk counts as failing only if it fails the same property with a
// trace no longer than the shortest so far: the shrunk trace shows the bug first found rather
// than some other, easier one, and fast-check's notion of a smaller input (which can mean a
// longer behaviour, e.g. two +1 steps for one +2) never lengthens it.
import fc from "fast-check";
import type { TraceStep, Violation } from "../engine/result.ts";
import { nondeterministic } from "../engine/search-context.ts";
import type { SpecError } from "../errors/spec-error.ts";
import type { Model } from "../spec/model.ts";
import { choiceSlots, Walker, type WalkInput, type WalkResult } from "./walk.ts";

export interface SimulateOptions {
  /** Random walks to try (default 1000). */
  readonly runs?: number;
  /** The longest behaviour to try, in steps (default 100). */
  readonly depth?: number;
  /** fast-check's seed; random (and reported) when not given. */
  readonly seed?: number;
  /** fast-check's replay path of a failure, to re-run just that one (with its seed). */
  readonly path?: string;
  /** Report deadlocks (default true). */
  readonly deadlock?: boolean;
  /** Stop starting new runs (and shrinking) after this many milliseconds. */
  readonly timeLimitMs?: number;
  /** Called about every `progressIntervalMs` (default 2000) while the walks run. */
  readonly onProgress?: (stats: SimulationStats) => void;
  readonly progressIntervalMs?: number;
}

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
      /** fast-check's path to the shrunk failure (replay with `path` and the same seed). */
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

/** The arbitrary of a walk's choices; behaviours have at most `depth` steps. */
export function walkInputs(slots: number, depth: number): fc.Arbitrary<WalkInput> {
  const choice = fc.record({
    slot: fc.nat({ max: Math.max(0, slots - 1) }),
    instance: fc.nat({ max: 1023 }),
    pick: fc.nat({ max: 15 }),
  });
  // The last step of a behaviour is found by looking ahead from the last state chosen.
  return fc.record({
    init: fc.nat({ max: 1023 }),
    steps: fc.array(choice, { maxLength: Math.max(0, depth - 1), size: "max" }),
  });
}

export function simulate<S>(model: Model<S>, options: SimulateOptions = {}): SimulationResult<S> {
  const runs = options.runs ?? DEFAULT_RUNS;
  const depth = options.depth ?? DEFAULT_DEPTH;
  const seed = options.seed ?? randomSeed();
  const walker = new Walker(model, options.deadlock ?? true);
  const started = performance.now();
  const interval = options.progressIntervalMs ?? 2000;
  let nextProgress = started + interval;
  let walks = 0;
  let target: string | null = null;
  let foundSteps = 0;
  let shortest = Infinity;
  const stats = (runsMade: number, shrinks: number): SimulationStats => ({
    runs: runsMade,
    walks,
    steps: walker.steps,
    shrinks,
    elapsedMs: performance.now() - started,
  });
  const property = fc.property(walkInputs(choiceSlots(model).length, depth), (input) => {
    const r = walker.walk(input);
    walks++;
    if (
      options.onProgress !== undefined &&
      (walks & 63) === 0 &&
      performance.now() > nextProgress
    ) {
      nextProgress = performance.now() + interval;
      options.onProgress(stats(walks, 0));
    }
    const key = failureKey(r);
    if (key === null) return true;
    const n = steps(r);
    if (target === null) {
      target = key;
      foundSteps = n;
    } else if (key !== target || n > shortest) return true;
    shortest = n;
    return false;
  });
  const details = fc.check(property, {
    seed,
    numRuns: runs,
    ...(options.path !== undefined ? { path: options.path } : {}),
    ...(options.timeLimitMs !== undefined ? { interruptAfterTimeLimit: options.timeLimitMs } : {}),
  });
  const base = { seed, runs, depth };
  if (details.failed && details.counterexample !== null) {
    const final = walker.walk(details.counterexample[0]);
    const st = stats(details.numRuns, details.numShrinks);
    const path = details.counterexamplePath;
    switch (final.kind) {
      case "violation":
        return {
          ...base,
          kind: "violation",
          stats: st,
          violation: final.violation,
          foundSteps,
          path,
        };
      case "specError":
        return {
          ...base,
          kind: "specError",
          stats: st,
          error: final.error,
          trace: final.trace,
          path,
        };
      case "ok": {
        const error = nondeterministic("the spec", "no longer fails on the same choices");
        return { ...base, kind: "specError", stats: st, error, trace: final.trace, path };
      }
    }
  }
  const st = stats(details.numRuns, 0);
  if (details.interrupted) return { ...base, kind: "incomplete", stats: st, reason: "time-limit" };
  return { ...base, kind: "ok", stats: st };
}
