// How a walk chooses its steps when it does not follow a list of choices (walk.ts's
// ChoicePolicy): by random delays.
//
// Uniform choice among the enabled instances rarely produces behaviours in which a few steps
// are held back while many others happen, which is what many distributed bugs need: an update
// that reaches one replica of three while two reads run, a forwarded write still in flight when
// its sender crashes. A `DelayPolicy` gives every instance, when it becomes enabled, a random
// delay, and takes the instance that is due first: a discrete-event simulation of a system
// whose steps take random time. Each walk draws the shape of its delays at random (swarm
// testing: walks differ in kind, not only in their random choices):
// - `delays`: each fixed-domain slot (a process's own action, a crash) has its own time scale,
//   slower or faster than messages, and any instance may be held back a thousandfold;
// - `quiet`: fixed-domain slots wait until nothing else is enabled (an operation starts when
//   the system is quiet, a process crashes between two exchanges), and each other instance may
//   be held back until those have been taken.
// An instance that stays enabled is taken once it is due, so these walks are close to weakly
// fair, which is what their cycles need to count as liveness counterexamples.
//
// Everything is drawn from a generator seeded by the run's input, so a walk is reproducible.
import type { Enabled, Policy } from "./walk.ts";

/** A small deterministic pseudo-random generator (32-bit state, splitmix-style mixing). */
export class Rng {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    this.s = (this.s + 0x9e3779b9) >>> 0;
    let z = this.s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / 0x100000000;
  }

  /** Uniform in 0..n-1 (n ≥ 1). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }
}

/** The shape of one walk's delays. */
export interface DelayShape {
  /** Delays are e^(spread · u) for u uniform in [0, 1), times the instance's scale. */
  readonly spread: number;
  /** Per slot (see choiceSlots): a factor on the delays of its instances. */
  readonly scale: readonly number[];
  /** Per slot: its instances wait until no instance of a lower level is enabled. */
  readonly level: readonly number[];
  /** Per slot: whether it is a fixed domain's (a process's own action, a crash). */
  readonly fixed: readonly boolean[];
  /** Per slot: the chance that an instance is held back. */
  readonly slow: readonly number[];
  /** What holding back does: a factor on the delay, and levels added. */
  readonly holdScale: number;
  readonly holdLevel: number;
  /**
   * Only instances this many steps or more after a fixed-domain one may be held back: a step
   * of a fixed-domain slot is at depth 0, and the instances a step enables are one deeper.
   */
  readonly holdDepth: number;
}

const pick = <T>(rng: Rng, list: readonly T[]): T => list[rng.int(list.length)]!;

/**
 * `delays`: every fixed-domain slot (a process's own action, a crash) gets its own time scale,
 * log-uniform over [0.1, 10] or [3, 300] times a message's, and any instance may be held back
 * a thousandfold.
 */
export function delayShape(rng: Rng, fixed: readonly boolean[]): DelayShape {
  const spread = 1.5 * rng.float();
  const [lo, hi] = pick(rng, [
    [0.1, 10],
    [3, 300],
  ] as const);
  const scale = fixed.map((f) => (f ? lo * Math.pow(hi / lo, rng.float()) : 1));
  const q = pick(rng, [0.05, 0.1, 0.2, 0.3]);
  return {
    spread,
    fixed,
    scale,
    level: fixed.map(() => 0),
    slow: fixed.map(() => q),
    holdScale: 1000,
    holdLevel: 0,
    holdDepth: pick(rng, [1, 2, 3]),
  };
}

/**
 * `quiet`: fixed-domain slots (a process's own action, a crash) wait until nothing else is
 * enabled, and are then taken in random order; some of them, at random, wait until nothing at
 * all is left. Other instances (deliveries, timeouts) are independently held back until those
 * have been taken.
 */
export function quietShape(rng: Rng, fixed: readonly boolean[]): DelayShape {
  const q = pick(rng, [0.1, 0.2, 0.3, 0.4]);
  const omit = pick(rng, [0, 0.25]);
  return {
    spread: 1,
    fixed,
    scale: fixed.map(() => 1),
    level: fixed.map((f) => (f ? (rng.float() < omit ? 4 : 1) : 0)),
    slow: fixed.map((f) => (f ? 0 : q)),
    holdScale: 1,
    holdLevel: 2,
    holdDepth: pick(rng, [1, 2, 3]),
  };
}

const LEVEL = 1e12;

/**
 * Takes the enabled instance that is due first, lowest level first; an instance is due a
 * random delay after it became enabled (it forgets the delay when it is disabled, and draws a
 * new one when enabled again). Stops after `length` steps.
 */
export class DelayPolicy<S> implements Policy<S> {
  private now = 0;
  private readonly due = new Map<string, number>();
  private readonly depth = new Map<string, number>();
  private lastDepth = 0;

  constructor(
    private readonly rng: Rng,
    private readonly shape: DelayShape,
    private readonly slotOf: (e: Enabled<S>) => number,
    private readonly length: number,
  ) {}

  choose(enabled: readonly Enabled<S>[], k: number): number {
    if (k >= this.length) return -1;
    const due = this.due;
    if (due.size > 0) {
      const on = new Set(enabled.map((e) => e.label));
      for (const label of due.keys()) if (!on.has(label)) due.delete(label);
      for (const label of this.depth.keys()) if (!on.has(label)) this.depth.delete(label);
    }
    let best = -1;
    let first = Infinity;
    enabled.forEach((e, i) => {
      let t = due.get(e.label);
      if (t === undefined) {
        const sh = this.shape;
        const slot = this.slotOf(e);
        const depth = sh.fixed[slot] ? 0 : this.lastDepth + 1;
        this.depth.set(e.label, depth);
        const held = this.rng.float() < sh.slow[slot]! && depth >= sh.holdDepth;
        const scale = sh.scale[slot]! * (held ? sh.holdScale : 1);
        const level = sh.level[slot]! + (held ? sh.holdLevel : 0);
        t = level * LEVEL + this.now + scale * Math.exp(sh.spread * this.rng.float());
        due.set(e.label, t);
      }
      if (t < first) {
        first = t;
        best = i;
      }
    });
    this.now = Math.max(this.now, first % LEVEL);
    const label = enabled[best]!.label;
    this.lastDepth = this.depth.get(label) ?? 0;
    due.delete(label);
    this.depth.delete(label);
    return best;
  }

  pick(n: number): number {
    return this.rng.int(n);
  }
}
