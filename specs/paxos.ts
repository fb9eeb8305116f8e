/**
 * Single-decree Paxos with proposers, acceptors and learners as processes.
 *
 * Proposers p1..pP, acceptors a1..aA, learners l1..lL. Ballots are 1..maxBallot, and each
 * belongs to one proposer: p1 owns maxBallot, p2 maxBallot - 1, and so on round robin (p1 owns
 * the highest ballot). A proposer starts a ballot at any time — its first, or a new one after
 * a timeout (`prepare(p)`) — taking the next ballot it owns, so always higher than any it used,
 * and sends Prepare{b} to every acceptor. An acceptor that has not promised b or higher
 * promises b and answers Promise{b, vb, vv}: the highest ballot it accepted and the value it
 * accepted then (0: none); lower ballots it ignores. With a majority of promises for b the
 * proposer sends Accept{b, v} to every acceptor, where v is the value of the highest accepted
 * ballot among the promises, or its own input value if none was accepted (proposer i's input
 * is value (i - 1) mod values + 1). An acceptor accepts unless it promised a higher ballot,
 * and reports Accepted{b, v} to every learner; a learner learns v once a majority of acceptors
 * reported accepting v in one ballot. A value is chosen when a majority of acceptors accepted
 * it in the same ballot (counted from the reports: learner l1's tallies plus the reports still
 * in flight to it, which include those of acceptors that crashed since).
 *
 * Modelled: an asynchronous reordering network (a multiset: no loss, no duplication) and
 * crash-stop of up to `crashes` acceptors at any point. Abstracted away: rejection messages
 * (a proposer that is preempted finds out by timing out, which it may do at any time), the
 * contents of values, crashes of proposers and learners (for safety a crashed proposer is one
 * that stops, which the model includes), and which acceptors promised (only how many: an
 * acceptor promises a ballot once). A learner ignores reports of a value it has learned.
 *
 * Safety: `Agreement` (at most one value chosen), `Validity` (only a proposed value is
 * chosen), `LearnersAgree` (no learner learns two values, and learners learn the same one).
 *
 * Liveness: `EventuallyChosen`, `<>(some value is chosen)`, under TLA+'s stuttering semantics
 * (any state may stutter forever) with weak fairness of each proposer's `prepare` and of the
 * delivery of each message. It holds because, after some point, only one proposer acts: ballots
 * are bounded, every rival of p1 owns finitely many, all below maxBallot, and p1 owns
 * maxBallot. Once the rivals have used their ballots only p1 starts new ones; fairness makes
 * it start maxBallot, which nobody can preempt, and delivers its messages; with fewer than
 * acceptors / 2 crashes a majority answers, and its value is chosen.
 *
 * Variants (named exports):
 * - `ignorePromisedValues`: phase 2 proposes the proposer's own value, ignoring the values
 *   reported in promises, so a later ballot overrides a value already chosen (`Agreement`).
 * - `acceptBelowPromise`: acceptors accept a ballot lower than their promise, so an old ballot
 *   completes behind the back of a newer one (`Agreement`).
 * - `minorityQuorums`: quorums of floor(acceptors / 2), which need not intersect; learners
 *   learn two values (`LearnersAgree`). It also has a fair behaviour in which no value is ever
 *   chosen (`EventuallyChosen`, an 8-step lasso): `check` stops at the safety violation first,
 *   but finds the lasso when the invariants are left out, and `protomc simulate` may meet it
 *   first.
 * - `duelingProposers`: the liveness limit (FLP) when no proposer is distinguished — ballots
 *   are unbounded and both proposers keep starting new ones forever: they preempt each other
 *   and `EventuallyChosen` fails with a genuine cycle (see the section at the end for how an
 *   unbounded ballot sequence becomes a finite graph).
 */
import { Map as ImmutableMap, Set as ImmutableSet, type RecordOf } from "immutable";
import {
  defineSpec,
  oneOf,
  param,
  valueRecord,
  type ActionDef,
  type ActionTable,
  type Next,
  type ParamValues,
  type Spec,
} from "protomc";
import {
  defineSystem,
  envelope,
  inFlight,
  messageType,
  type Context,
  type Envelope,
  type MessageOf,
  type SystemState,
} from "../src/actors/index.ts";
import { weak } from "../src/liveness/fairness.ts";
import { isChoice } from "../src/spec/action.ts";
import { eventually } from "../src/liveness/temporal.ts";

/** Phase 1a: promise to ignore ballots below `b`. */
const Prepare = messageType("Prepare", { b: 0 });
/** Phase 1b: promised `b`; the highest ballot `vb` it accepted, with value `vv` (0: none). */
const PromiseMsg = messageType("Promise", { b: 0, vb: 0, vv: 0 });
/** Phase 2a: accept value `v` in ballot `b`. */
const Accept = messageType("Accept", { b: 0, v: 0 });
/** Phase 2b, to the learners: accepted `v` in ballot `b`. */
const Accepted = messageType("Accepted", { b: 0, v: 0 });
type Msg =
  | MessageOf<typeof Prepare>
  | MessageOf<typeof PromiseMsg>
  | MessageOf<typeof Accept>
  | MessageOf<typeof Accepted>;

export interface Proposer {
  /** Its current ballot (0: none yet). */
  readonly ballot: number;
  readonly phase: "idle" | "preparing" | "accepting";
  /** Promises received for the current ballot. */
  readonly promises: number;
  /** The highest accepted ballot reported in those promises (0: none), and its value. */
  readonly vb: number;
  readonly vv: number;
}

export interface Acceptor {
  /** The highest ballot it promised (0: none). */
  readonly promised: number;
  /** The highest ballot it accepted (0: none) and the value it accepted then. */
  readonly vb: number;
  readonly vv: number;
}

type Vote = RecordOf<{ v: number; n: number }>;
const Vote = valueRecord<{ v: number; n: number }>({ v: 0, n: 0 }, "Vote");

export interface Learner {
  /** For each ballot, the value accepted in it and by how many acceptors. */
  readonly votes: ImmutableMap<number, Vote>;
  /** The values it learned (accepted by a quorum in one ballot). */
  readonly learned: ImmutableSet<number>;
}

type Types = {
  msg: Msg;
  roles: { proposer: Proposer; acceptor: Acceptor; learner: Learner };
};
export type State = SystemState<Types>;

interface Params {
  readonly proposers: number;
  readonly acceptors: number;
  readonly learners: number;
  readonly values: number;
  readonly maxBallot: number;
  readonly crashes: number;
}
type Ctx = Context<Types, Params>;

const PARAMS = {
  proposers: param.int({ default: 2, min: 1, max: 4, description: "proposers" }),
  acceptors: param.int({ default: 3, min: 1, max: 7, description: "acceptors" }),
  learners: param.int({ default: 1, min: 1, max: 3, description: "learners" }),
  values: param.int({ default: 2, min: 1, max: 4, description: "distinct input values" }),
  maxBallot: param.int({ default: 2, min: 1, max: 12, description: "highest ballot" }),
  crashes: param.int({ default: 1, min: 0, max: 3, description: "acceptors that may crash" }),
};

const majority = (n: number): number => Math.floor(n / 2) + 1;

/** The value proposer `index` (from 0) proposes when free to choose: 1, 2, ..., values, 1, ... */
const inputOf = (index: number, p: Params): number => (index % p.values) + 1;

/** The index of the proposer that owns ballot b: p1 owns maxBallot, p2 maxBallot - 1, ... */
const ownerOf = (b: number, p: Params): number =>
  (((p.maxBallot - b) % p.proposers) + p.proposers) % p.proposers;

interface Options {
  /** Phase 2 proposes the value of the highest accepted ballot among the promises. */
  readonly adoptPromisedValue: boolean;
  /** Acceptors reject Accept below their promise. */
  readonly respectPromise: boolean;
  /** Quorum size for proposers and learners, out of `acceptors`. */
  readonly quorum: (acceptors: number) => number;
  /** Ballots stop at `maxBallot` (otherwise they are unbounded: see `duelingProposers`). */
  readonly bounded: boolean;
}

const CORRECT: Options = {
  adoptPromisedValue: true,
  respectPromise: true,
  quorum: majority,
  bounded: true,
};

function paxos(o: Options) {
  const indexOf = (ctx: Ctx): number => ctx.ids("proposer").indexOf(ctx.self);
  return defineSystem<Types>()({
    name: "paxos",
    params: PARAMS,
    roles: {
      proposer: {
        count: (p) => p.proposers,
        prefix: "p",
        init: () => ({ ballot: 0, phase: "idle", promises: 0, vb: 0, vv: 0 }),
        actions: {
          // Start a new ballot (first, or after a timeout): the next ballot it owns.
          prepare: (s, ctx) => {
            const p = ctx.params;
            let b = s.ballot + 1;
            while (ownerOf(b, p) !== indexOf(ctx)) b++;
            if (o.bounded && b > p.maxBallot) return null;
            ctx.broadcast("acceptor", Prepare({ b }));
            return { ballot: b, phase: "preparing", promises: 0, vb: 0, vv: 0 };
          },
        },
        onMessage: (s, _from, msg, ctx) => {
          if (msg.type !== "Promise" || msg.b !== s.ballot || s.phase !== "preparing") return s;
          const higher = msg.vb > s.vb;
          const next: Proposer = {
            ...s,
            promises: s.promises + 1,
            vb: higher ? msg.vb : s.vb,
            vv: higher ? msg.vv : s.vv,
          };
          if (next.promises < o.quorum(ctx.params.acceptors)) return next;
          const own = inputOf(indexOf(ctx), ctx.params);
          const v = o.adoptPromisedValue && next.vb > 0 ? next.vv : own;
          ctx.broadcast("acceptor", Accept({ b: s.ballot, v }));
          return { ...next, phase: "accepting" };
        },
        // Promises for an earlier ballot, or once it has enough.
        stale: (s, _from, msg) =>
          msg.type === "Promise" &&
          (msg.b < s.ballot || (msg.b === s.ballot && s.phase !== "preparing")),
      },
      acceptor: {
        count: (p) => p.acceptors,
        prefix: "a",
        init: () => ({ promised: 0, vb: 0, vv: 0 }),
        onMessage: (s, from, msg, ctx) => {
          if (msg.type === "Prepare") {
            if (msg.b <= s.promised) return s;
            ctx.send(from, PromiseMsg({ b: msg.b, vb: s.vb, vv: s.vv }));
            return { ...s, promised: msg.b };
          }
          if (msg.type === "Accept") {
            if (o.respectPromise && msg.b < s.promised) return s;
            ctx.broadcast("learner", Accepted({ b: msg.b, v: msg.v }));
            return { promised: Math.max(s.promised, msg.b), vb: msg.b, vv: msg.v };
          }
          return s;
        },
        stale: (s, _from, msg) =>
          (msg.type === "Prepare" && msg.b <= s.promised) ||
          (msg.type === "Accept" && o.respectPromise && msg.b < s.promised),
      },
      learner: {
        count: (p) => p.learners,
        prefix: "l",
        init: () => ({ votes: ImmutableMap(), learned: ImmutableSet() }),
        onMessage: (s, _from, msg, ctx) => {
          if (msg.type !== "Accepted" || s.learned.has(msg.v)) return s;
          const n = (s.votes.get(msg.b)?.n ?? 0) + 1;
          const votes = s.votes.set(msg.b, Vote({ v: msg.v, n }));
          const learned = n === o.quorum(ctx.params.acceptors) ? s.learned.add(msg.v) : s.learned;
          return { votes, learned };
        },
        // Once it learned a value, more votes for it change nothing.
        stale: (s, _from, msg) => msg.type === "Accepted" && s.learned.has(msg.v),
      },
    },
    faults: (p) => ({ crashes: p.crashes, crashable: ["acceptor"] }),
    invariants: {
      Agreement: (s, p) => chosen(s, p).size <= 1,
      Validity: (s, p) => {
        const proposed = inputs(p);
        return chosen(s, p).every((v) => proposed.includes(v));
      },
      LearnersAgree: (s) =>
        s.procs.learner.reduce((all, l) => all.union(l.learned), ImmutableSet<number>()).size <= 1,
    },
    properties: {
      EventuallyChosen: eventually(function someValueChosen(s: State, p: Params) {
        return chosen(s, p).size > 0;
      }),
    },
    fairness: [weak("prepare", { each: true }), weak("deliver", { each: true })],
    stuttering: "anywhere",
  });
}

/** The input values of the proposers. */
function inputs(p: Params): number[] {
  return Array.from({ length: p.proposers }, (_, i) => inputOf(i, p));
}

/**
 * The values chosen: accepted by a majority of acceptors in one ballot. Every acceptance is
 * reported to every learner, so learner l1's tallies plus the reports still in flight to it
 * count every acceptance (even of acceptors that crashed since).
 */
function chosen(s: State, p: Params): ImmutableSet<number> {
  const l1 = s.procs.learner.get("l1");
  const counts = new Map<number, { v: number; n: number }>();
  l1?.votes.forEach((vote, b) => counts.set(b, { v: vote.v, n: vote.n }));
  for (const e of inFlight(s)) {
    if (e.to !== "l1" || e.msg.type !== "Accepted") continue;
    const c = counts.get(e.msg.b) ?? { v: e.msg.v, n: 0 };
    counts.set(e.msg.b, { v: c.v, n: c.n + 1 });
  }
  let out = ImmutableSet<number>();
  const q = majority(p.acceptors);
  for (const c of counts.values()) if (c.n >= q) out = out.add(c.v);
  return out;
}

const correct = paxos(CORRECT);
export default correct;

/** Bug: phase 2 proposes the proposer's own value, ignoring the values reported in promises. */
export const ignorePromisedValues = paxos({ ...CORRECT, adoptPromisedValue: false });

/** Bug: acceptors accept a ballot lower than the one they promised. */
export const acceptBelowPromise = paxos({ ...CORRECT, respectPromise: false });

/** Bug: proposers and learners count floor(acceptors / 2) answers as a quorum. */
export const minorityQuorums = paxos({ ...CORRECT, quorum: (n) => Math.max(1, Math.floor(n / 2)) });

// ---------------------------------------------------------------------------------------------
// Dueling proposers: unbounded ballots, made finite by translation.
//
// Nothing in the protocol depends on the value of a ballot beyond comparisons between ballots
// and the ballot's owner, which is its residue modulo `proposers`. Translating every ballot of a
// state by a multiple of `proposers` therefore maps behaviours to behaviours (an exact
// symmetry), and the variant keeps each state in the translated form whose lowest ballot is
// among 1..proposers. Ballots are otherwise unbounded, and a state keeps its ballots within
// `window` of each other (a step that would spread them further is not taken), which bounds
// the messages a slow acceptor can have waiting. A cycle of the resulting finite graph is an
// infinite behaviour in which ballots grow forever.

/** Every ballot of a state (0, "none", excepted), through `f`. */
function forEachBallot(s: State, f: (b: number) => void): void {
  const g = (b: number): void => {
    if (b !== 0) f(b);
  };
  s.procs.proposer.forEach((p) => (g(p.ballot), g(p.vb)));
  s.procs.acceptor.forEach((a) => (g(a.promised), g(a.vb)));
  s.procs.learner.forEach((l) => l.votes.forEach((_, b) => g(b)));
  for (const e of inFlight(s)) {
    g(e.msg.b);
    if (e.msg.type === "Promise") g(e.msg.vb);
  }
}

function shiftMessage(m: Msg, f: (b: number) => number): Msg {
  switch (m.type) {
    case "Prepare":
      return Prepare({ b: f(m.b) });
    case "Promise":
      return PromiseMsg({ b: f(m.b), vb: f(m.vb), vv: m.vv });
    case "Accept":
      return Accept({ b: f(m.b), v: m.v });
    case "Accepted":
      return Accepted({ b: f(m.b), v: m.v });
  }
}

/** The state with every ballot b > 0 replaced by b - d. */
function shiftBallots(s: State, d: number): State {
  const f = (b: number): number => (b === 0 ? 0 : b - d);
  const net = s.net as ImmutableMap<Envelope<Msg>, number>;
  return {
    ...s,
    procs: {
      proposer: s.procs.proposer.map((p) => ({ ...p, ballot: f(p.ballot), vb: f(p.vb) })),
      acceptor: s.procs.acceptor.map((a) => ({ ...a, promised: f(a.promised), vb: f(a.vb) })),
      learner: s.procs.learner.map((l) => ({ ...l, votes: l.votes.mapKeys(f) })),
    },
    net: net.mapKeys((e) => envelope(e.from, e.to, shiftMessage(e.msg, f))),
  };
}

/** The canonical translate of `s`, or null if its ballots spread over more than `window`. */
function canonical(s: State, p: DuelingParams): State | null {
  let lo = Infinity;
  let hi = 0;
  forEachBallot(s, (b) => {
    if (b < lo) lo = b;
    if (b > hi) hi = b;
  });
  if (hi === 0) return s;
  if (hi - lo > p.window) return null;
  const d = Math.floor((lo - 1) / p.proposers) * p.proposers;
  return d === 0 ? s : shiftBallots(s, d);
}

function canonicalNext(next: Next<State>, p: DuelingParams): Next<State> {
  if (next === null || next === undefined || next === false) return null;
  if (isChoice<State>(next)) {
    const states = next.states.flatMap((s) => canonical(s, p) ?? []);
    return states.length === 0 ? null : oneOf(...states);
  }
  return canonical(next, p);
}

const DUELING_PARAMS = {
  ...PARAMS,
  crashes: param.int({ default: 0, min: 0, max: 3, description: "acceptors that may crash" }),
  window: param.int({
    default: 1,
    min: 1,
    max: 6,
    description: "how far apart the ballots of one state may be",
  }),
};
type DuelingParams = Params & { readonly window: number };

/** A system whose states are kept canonical under translation of ballots. */
function translated(sys: Spec<State, typeof PARAMS>, name: string) {
  const def = sys.definition;
  const table = (params: ParamValues<typeof PARAMS>): ActionTable<State> =>
    typeof def.actions === "function" ? def.actions(params) : def.actions;
  return defineSpec<State>()({
    ...def,
    name,
    params: DUELING_PARAMS,
    actions: (params) => {
      const out: Record<string, ActionDef<State>> = {};
      for (const [k, a] of Object.entries(table(params))) {
        out[k] =
          typeof a === "function"
            ? (s: State) => canonicalNext(a(s), params)
            : { ...a, step: (s: State, x: unknown) => canonicalNext(a.step(s, x), params) };
      }
      return out;
    },
  });
}

/**
 * Liveness limit (FLP): two proposers that both keep starting new ballots forever — ballots
 * unbounded, every proposer's `prepare` weakly fair — can preempt each other forever, so
 * `EventuallyChosen` fails with a cycle in which no ballot completes. Ballots are unbounded
 * (`maxBallot` only fixes which proposer owns which ballots); the param `window` bounds how far
 * apart the ballots of one state may be.
 */
export const duelingProposers = translated(
  paxos({ ...CORRECT, bounded: false }),
  "paxos (dueling proposers)",
);
