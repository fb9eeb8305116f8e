/**
 * Two-phase commit as message-passing processes: one coordinator and `participants`
 * participants.
 *
 * The coordinator starts by sending Prepare (the vote request) to every participant. A
 * participant that receives it while still working votes yes: it sends Vote{yes: true} and is
 * then prepared — from that moment it may not decide on its own and must wait for the
 * coordinator's decision. A participant may time out while waiting for the vote request (its
 * timer `prepare` fires): it then aborts unilaterally and, when the request arrives after all,
 * votes no. The coordinator commits once every participant voted yes and aborts at the first
 * no, and sends its decision (Commit or Abort) to every participant, which adopts it.
 *
 * Modelled: an asynchronous reordering network (a multiset, no loss or duplication), the
 * participants' timeouts as nondeterministic events, and — in the variant `coordinatorCrash` —
 * a crash-stop of the coordinator at any point. Abstracted away: the transaction's contents
 * (a participant's reason to refuse is its timeout, which also stands for any local failure),
 * the coordinator's own timeout (with no message loss every vote arrives), logging and
 * recovery, and the cooperative termination protocol.
 *
 * Safety: `Atomicity` (never one participant committed and another aborted) and
 * `CommitOnlyIfAllYes` (nobody commits unless every participant voted yes). Liveness:
 * `EveryParticipantDecides`, `<>(every participant committed or aborted)`, under weak fairness
 * of the delivery of each message (`WF(deliver(e))` for every envelope e) and TLA+'s stuttering
 * semantics (any state may stutter forever, so only the declared fairness forces progress;
 * timeouts are not fair — a participant need not give up).
 *
 * Variants (named exports):
 * - `coordinatorCrash`: the coordinator may crash. Safety still holds, but a participant that
 *   voted yes can neither commit nor abort without the coordinator: `EveryParticipantDecides`
 *   fails with a lasso that ends blocked after the crash (2PC's blocking problem).
 * - `abortWhilePrepared`: a prepared participant that times out waiting for the decision aborts
 *   on its own (a "heuristic" abort) while the coordinator commits: `Atomicity` fails.
 */
import { Set as ImmutableSet } from "immutable";
import { param } from "protomc";
import {
  defineSystem,
  messageType,
  type MessageOf,
  type SystemState,
} from "../src/actors/index.ts";
import { weak } from "../src/liveness/fairness.ts";
import { eventually } from "../src/liveness/temporal.ts";

/** The vote request. */
const Prepare = messageType("Prepare");
const Vote = messageType("Vote", { yes: false });
const Commit = messageType("Commit");
const Abort = messageType("Abort");
type Msg =
  | MessageOf<typeof Prepare>
  | MessageOf<typeof Vote>
  | MessageOf<typeof Commit>
  | MessageOf<typeof Abort>;

export interface Coordinator {
  readonly phase: "waiting" | "committed" | "aborted";
  /** The participants that voted yes. */
  readonly yes: ImmutableSet<string>;
}

export interface Participant {
  readonly phase: "working" | "prepared" | "committed" | "aborted";
  /** What it answered to the vote request ("none" before it answered). */
  readonly vote: "none" | "yes" | "no";
}

type Types = {
  msg: Msg;
  roles: { coordinator: Coordinator; participant: Participant };
  timer: "prepare" | "decision";
};

export type State = SystemState<Types>;

const decided = (p: Participant): boolean => p.phase === "committed" || p.phase === "aborted";

const twoPhaseCommitProcesses = defineSystem<Types>()({
  name: "two-phase-commit-processes",
  params: {
    participants: param.int({ default: 3, min: 1, max: 8, description: "participants" }),
  },
  roles: {
    coordinator: {
      ids: ["c"],
      init: () => ({ phase: "waiting", yes: ImmutableSet() }),
      onStart: (s, ctx) => {
        ctx.broadcast("participant", Prepare());
        return s;
      },
      onMessage: (s, from, msg, ctx) => {
        if (msg.type !== "Vote" || s.phase !== "waiting") return s;
        if (!msg.yes) {
          ctx.broadcast("participant", Abort());
          return { ...s, phase: "aborted" };
        }
        const yes = s.yes.add(from);
        if (yes.size < ctx.params.participants) return { ...s, yes };
        ctx.broadcast("participant", Commit());
        return { phase: "committed", yes };
      },
      // Once it decided, the coordinator ignores the remaining votes.
      stale: (s, _from, msg) => msg.type === "Vote" && s.phase !== "waiting",
    },
    participant: {
      count: (p) => p.participants,
      prefix: "p",
      init: () => ({ phase: "working", vote: "none" }),
      onStart: (s, ctx) => {
        ctx.setTimer("prepare");
        return s;
      },
      onMessage: (s, from, msg, ctx) => {
        switch (msg.type) {
          case "Prepare":
            if (s.phase === "working") {
              ctx.cancelTimer("prepare");
              ctx.send(from, Vote({ yes: true }));
              return { phase: "prepared", vote: "yes" };
            }
            if (s.phase === "aborted" && s.vote === "none") {
              ctx.send(from, Vote({ yes: false }));
              return { ...s, vote: "no" };
            }
            return s;
          case "Commit":
            return decided(s) ? s : { ...s, phase: "committed" };
          case "Abort":
            if (decided(s)) return s;
            ctx.cancelTimer("prepare");
            return { ...s, phase: "aborted" };
          default:
            return s;
        }
      },
      // Waiting for the vote request too long: abort unilaterally (and vote no if asked).
      onTimeout: (s, timer) =>
        timer === "prepare" && s.phase === "working" ? { ...s, phase: "aborted" } : null,
    },
  },
  invariants: {
    Atomicity: (s) => {
      const ps = [...s.procs.participant.values()];
      return !(ps.some((p) => p.phase === "committed") && ps.some((p) => p.phase === "aborted"));
    },
    CommitOnlyIfAllYes: (s) => {
      const ps = [...s.procs.participant.values()];
      const committed =
        s.procs.coordinator.get("c")?.phase === "committed" ||
        ps.some((p) => p.phase === "committed");
      return !committed || ps.every((p) => p.vote === "yes");
    },
  },
  properties: {
    EveryParticipantDecides: eventually(function everyParticipantDecided(s: State) {
      return s.procs.participant.every(decided);
    }),
  },
  fairness: [weak("deliver", { each: true })],
  stuttering: "anywhere",
});

export default twoPhaseCommitProcesses;

/** Liveness bug: the coordinator may crash, and participants that voted yes block. */
export const coordinatorCrash = twoPhaseCommitProcesses.variant({
  faults: { crashes: 1, crashable: ["coordinator"] },
});

/** Safety bug: a prepared participant gives up waiting for the decision and aborts. */
export const abortWhilePrepared = twoPhaseCommitProcesses.variant({
  roles: {
    participant: {
      onMessage: (s, from, msg, ctx) => {
        switch (msg.type) {
          case "Prepare":
            if (s.phase === "working") {
              ctx.cancelTimer("prepare");
              ctx.setTimer("decision");
              ctx.send(from, Vote({ yes: true }));
              return { phase: "prepared", vote: "yes" };
            }
            if (s.phase === "aborted" && s.vote === "none") {
              ctx.send(from, Vote({ yes: false }));
              return { ...s, vote: "no" };
            }
            return s;
          case "Commit":
          case "Abort":
            if (decided(s)) return s;
            ctx.cancelTimer("prepare");
            ctx.cancelTimer("decision");
            return { ...s, phase: msg.type === "Commit" ? "committed" : "aborted" };
          default:
            return s;
        }
      },
      onTimeout: (s, timer) =>
        (timer === "prepare" && s.phase === "working") ||
        (timer === "decision" && s.phase === "prepared")
          ? { ...s, phase: "aborted" }
          : null,
    },
  },
});
