/**
 * The Bully algorithm (Garcia-Molina): leader election among processes with crash-stop
 * failures detected by timeouts.
 *
 * Processes p1..pN have ids 1..N, and the highest live id should be the coordinator. The
 * system starts settled: pN is the coordinator and everyone knows it; each other process
 * monitors its coordinator (timer `heartbeat`). A process that suspects its coordinator holds
 * an election: it sends Election to every process with a higher id and waits for an Answer
 * (timer `answer`). A process receiving Election from a lower id replies Answer and, unless it
 * is already holding an election, holds one itself. A process that gets an Answer waits for
 * the winner's announcement (timer `coordinator`). When `answer` fires — nobody higher
 * answered — the process is the coordinator and sends Coordinator to every lower process,
 * which records it; when `coordinator` fires, the process holds a new election. A process with
 * no live higher process that it knows of wins at once. A process that receives Coordinator
 * from a lower id bullies it: it holds an election of its own.
 *
 * Failures: up to `crashes` processes crash (crash-stop) at any point, and every live process
 * eventually detects each crash (the message-passing layer's perfect failure detector,
 * `detect(watcher, crashed)`); detecting the crash of its coordinator starts an election.
 * Timeouts are events that fire only when what they wait for has really crashed and is known
 * to have: `heartbeat` once the coordinator has, `answer` and `coordinator` once every higher
 * process has — the algorithm's textbook assumption of a perfect failure detector, which the
 * variant `falseSuspicion` drops. Announcements from a process known to have crashed are
 * ignored (they are out of date).
 *
 * Modelled: an asynchronous reordering network (a multiset: no loss, no duplication), crashes
 * at any time, timeouts guarded as above. Abstracted away: real time and message delays (the
 * guards stand for "timeouts long enough"), heartbeat messages (a perfect detector reports the
 * crash instead), recovery of crashed processes, and the coordinator's actual work.
 *
 * Safety: `AtMostOneCoordinator` (at most one live process believes itself coordinator) and
 * `SettledAgreement` (once the election settles — nothing in flight, no crash left to detect,
 * no live process holding an election — every live process has the highest live id as its
 * coordinator). Liveness: `EventuallyAgreed`, `<>[](settled and agreed)`: from some point on
 * a live coordinator, the highest, is agreed for good; under TLA+'s stuttering semantics with
 * weak fairness of each message's delivery, each crash detection and each timer (crashes are
 * not forced: a behaviour need not crash).
 *
 * Variant (named export): `falseSuspicion` — timeouts may fire early, while the processes
 * waited for are alive (the false suspicions real networks cause): a process suspects the
 * live coordinator, hears no answer in time and declares itself coordinator too
 * (`AtMostOneCoordinator`).
 */
import { Set as ImmutableSet } from "immutable";
import { param } from "protomc";
import {
  defineSystem,
  inFlight,
  messageType,
  type Context,
  type MessageOf,
  type SystemState,
} from "../src/actors/index.ts";
import { weak } from "../src/liveness/fairness.ts";
import { eventuallyAlways } from "../src/liveness/temporal.ts";

const Election = messageType("Election");
const Answer = messageType("Answer");
const Coordinator = messageType("Coordinator");
type Msg = MessageOf<typeof Election> | MessageOf<typeof Answer> | MessageOf<typeof Coordinator>;

export interface Proc {
  readonly id: number;
  /** The id of the coordinator it believes in. */
  readonly coordinator: number;
  /** idle; electing: waiting for an Answer; waiting: answered, waiting for Coordinator. */
  readonly phase: "idle" | "electing" | "waiting";
  /** The ids of the processes it knows crashed. */
  readonly down: ImmutableSet<number>;
}

type Timer = "heartbeat" | "answer" | "coordinator";
type Types = { msg: Msg; roles: { proc: Proc }; timer: Timer };
export type State = SystemState<Types>;
type Params = { readonly processes: number; readonly crashes: number };
type Ctx = Context<Types, Params>;

const idOf = (pid: string): number => Number(pid.slice(1));
const pidOf = (id: number): string => `p${id}`;

/** Every process with a higher id is known to have crashed. */
const higherAllDown = (s: Proc, n: number): boolean => {
  for (let j = s.id + 1; j <= n; j++) if (!s.down.has(j)) return false;
  return true;
};

function becomeCoordinator(s: Proc, ctx: Ctx): Proc {
  ctx.cancelTimer("answer");
  ctx.cancelTimer("coordinator");
  ctx.cancelTimer("heartbeat");
  for (let j = 1; j < s.id; j++) ctx.send(pidOf(j), Coordinator());
  return { ...s, coordinator: s.id, phase: "idle" };
}

function holdElection(s: Proc, ctx: Ctx): Proc {
  // Nobody higher is alive: the process wins at once (the highest id always does).
  if (higherAllDown(s, ctx.params.processes)) return becomeCoordinator(s, ctx);
  for (let j = s.id + 1; j <= ctx.params.processes; j++) ctx.send(pidOf(j), Election());
  ctx.cancelTimer("heartbeat");
  ctx.cancelTimer("coordinator");
  ctx.setTimer("answer");
  return { ...s, phase: "electing" };
}

/** Back to normal operation under coordinator `c`, which it monitors unless it is `c`. */
function follow(s: Proc, c: number, ctx: Ctx): Proc {
  ctx.cancelTimer("answer");
  ctx.cancelTimer("coordinator");
  if (c !== s.id) ctx.setTimer("heartbeat");
  return { ...s, coordinator: c, phase: "idle" };
}

/** Whether timer `timer` of a process in state `s` may fire (out of `n` processes). */
type TimeoutGuard = (s: Proc, timer: Timer, n: number) => boolean;

/**
 * The perfect failure detector: `heartbeat` fires only once the coordinator is known to have
 * crashed (never, in fact: the detection itself starts the election), `answer` and
 * `coordinator` only once every higher process is.
 */
const perfect: TimeoutGuard = (s, timer, n) =>
  timer === "heartbeat" ? s.down.has(s.coordinator) : higherAllDown(s, n);

const bully = (timeoutMayFire: TimeoutGuard) =>
  defineSystem<Types>()({
    name: "leader-election-bully",
    params: {
      processes: param.int({ default: 4, min: 1, max: 8, description: "processes" }),
      crashes: param.int({ default: 2, min: 1, max: 7, description: "processes that may crash" }),
    },
    roles: {
      proc: {
        count: (p) => p.processes,
        prefix: "p",
        // The system starts settled: the highest id is the coordinator, and everyone knows it.
        init: (_id, i, p) => ({
          id: i + 1,
          coordinator: p.processes,
          phase: "idle",
          down: ImmutableSet(),
        }),
        onStart: (s, ctx) => follow(s, s.coordinator, ctx),
        onMessage: (s, from, msg, ctx) => {
          const j = idOf(from);
          switch (msg.type) {
            case "Election":
              ctx.send(from, Answer());
              return s.phase === "idle" ? holdElection(s, ctx) : s;
            case "Answer":
              if (s.phase !== "electing") return s;
              ctx.cancelTimer("answer");
              ctx.setTimer("coordinator");
              return { ...s, phase: "waiting" };
            case "Coordinator":
              // An announcement from a process known to be down is out of date; one from a
              // lower id is bullied: the receiver holds an election.
              if (s.down.has(j)) return s;
              return j < s.id ? holdElection({ ...s, coordinator: j }, ctx) : follow(s, j, ctx);
          }
        },
        onTimeout: (s, timer, ctx) => {
          if (!timeoutMayFire(s, timer, ctx.params.processes)) return null;
          if (timer === "heartbeat" && s.phase === "idle") return holdElection(s, ctx);
          if (timer === "answer" && s.phase === "electing") return becomeCoordinator(s, ctx);
          if (timer === "coordinator" && s.phase === "waiting") return holdElection(s, ctx);
          return null;
        },
        // The perfect failure detector: the crash of its coordinator starts an election.
        onCrash: (s, crashed, ctx) => {
          const c = idOf(crashed);
          const known = { ...s, down: s.down.add(c) };
          return c === s.coordinator && s.phase === "idle" ? holdElection(known, ctx) : known;
        },
        stale: (s, from, msg) => msg.type === "Coordinator" && s.down.has(idOf(from)),
      },
    },
    faults: (p) => ({ crashes: p.crashes }),
    invariants: {
      AtMostOneCoordinator: (s) => s.procs.proc.count((p) => p.coordinator === p.id) <= 1,
      SettledAgreement: (s) => !settled(s) || agreed(s),
    },
    properties: {
      EventuallyAgreed: eventuallyAlways(function settledAndAgreed(s: State) {
        return settled(s) && agreed(s);
      }),
    },
    fairness: [
      weak("deliver", { each: true }),
      weak("detect", { each: true }),
      weak("timeout", { each: true }),
    ],
    stuttering: "anywhere",
  });

/** Nothing in flight, no crash left to detect, no live process holding an election. */
function settled(s: State): boolean {
  return (
    inFlight(s).length === 0 &&
    (s.notices?.size ?? 0) === 0 &&
    s.procs.proc.every((p) => p.phase === "idle")
  );
}

/** Every live process has the highest live id as its coordinator. */
function agreed(s: State): boolean {
  const max = s.procs.proc.reduce((m, p) => Math.max(m, p.id), 0);
  return s.procs.proc.every((p) => p.coordinator === max);
}

const bullyElection = bully(perfect);
export default bullyElection;

/** Bug: timeouts fire early — a process suspects live processes of having crashed. */
export const falseSuspicion = bully(() => true);
