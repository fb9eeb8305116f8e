/**
 * Chang–Roberts leader election on a unidirectional ring.
 *
 * `nodes` processes n1, n2, ... form a ring: each sends only to the next one (n1 → n2 → ... →
 * n1). Each has an id; the ids are unique, 1..nodes, placed around the ring odd ones first and
 * then even ones (for 5 nodes: 1, 3, 5, 2, 4), so that messages are both forwarded and
 * swallowed on the way. Any process that is not yet taking part may start an election: it
 * becomes a participant and sends Election{id: its id}. A process receiving Election{id: j}
 * forwards it if j is larger than its own id; if j is smaller, it discards it, and sends its
 * own id instead if it was not a participant yet; either way it is a participant from then on.
 * The process that receives its own id back is the leader: it announces itself with
 * Elected{id}, which travels once around the ring, each process recording the leader and
 * passing it on until it returns to the leader.
 *
 * Modelled: an asynchronous network (a multiset of messages: on the ring, messages between the
 * same pair of nodes may overtake each other), spontaneous starts by any node. Abstracted away:
 * failures (Chang–Roberts assumes none), re-elections, and the ring's construction.
 *
 * Safety: `AtMostOneLeader`, `LeaderHasMaxId` (a node that considers itself leader has the
 * highest id) and `AgreeOnLeader` (every node that learned a leader learned the same one).
 * Liveness: `EventuallyLeader` (some node becomes leader) and `EventuallyAllKnow` (every node
 * learns the leader), under TLA+'s stuttering semantics (any state may stutter forever) with
 * weak fairness of `start` as a whole (some node eventually starts an election, as a timeout
 * in a real system would make it) and of the delivery of each message.
 *
 * Variants (named exports):
 * - `duplicateIds`: the ids are not unique — two nodes have the highest id, and each takes the
 *   other's Election message for its own returning: two leaders (`AtMostOneLeader` fails).
 * - `noFairness`: no fairness at all; nothing forces any node to start, so `EventuallyLeader`
 *   fails by stuttering in the initial state.
 * - `unfairDelivery`: some node is forced to start, but delivery is not fair: the election
 *   message may stay in flight forever (`EventuallyLeader` fails).
 */
import { param } from "protomc";
import {
  defineSystem,
  messageType,
  type Context,
  type MessageOf,
  type SystemState,
} from "../src/actors/index.ts";
import { weak } from "../src/liveness/fairness.ts";
import { eventually } from "../src/liveness/temporal.ts";

const Election = messageType("Election", { id: 0 });
const Elected = messageType("Elected", { id: 0 });
type Msg = MessageOf<typeof Election> | MessageOf<typeof Elected>;

export interface RingNode {
  readonly id: number;
  /** Taking part in the election (it sent or forwarded an Election message). */
  readonly participant: boolean;
  /** It received its own id back. */
  readonly isLeader: boolean;
  /** The leader's id, once known (0 before). */
  readonly leader: number;
}

type Types = { msg: Msg; roles: { node: RingNode } };
export type State = SystemState<Types>;
type Params = { readonly nodes: number };

/** Unique ids 1..n around the ring, odd ones first: 1, 3, 5, 2, 4. */
function ringIds(n: number): number[] {
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  return [...ids.filter((i) => i % 2 === 1), ...ids.filter((i) => i % 2 === 0)];
}

/** The next node on the ring. */
function next(ctx: Context<Types, Params>): string {
  const ids = ctx.ids("node");
  return ids[(ids.indexOf(ctx.self) + 1) % ids.length]!;
}

const nodes = (s: State): RingNode[] => [...s.procs.node.values()];

const ring = (ids: (n: number) => readonly number[]) =>
  defineSystem<Types>()({
    name: "leader-election-ring",
    params: { nodes: param.int({ default: 5, min: 1, max: 9, description: "nodes on the ring" }) },
    roles: {
      node: {
        count: (p) => p.nodes,
        prefix: "n",
        init: (_id, i, p) => ({
          id: ids(p.nodes)[i]!,
          participant: false,
          isLeader: false,
          leader: 0,
        }),
        actions: {
          start: (s, ctx) => {
            if (s.participant || s.leader !== 0) return null;
            ctx.send(next(ctx), Election({ id: s.id }));
            return { ...s, participant: true };
          },
        },
        onMessage: (s, _from, msg, ctx) => {
          if (msg.type === "Election") {
            if (msg.id > s.id) {
              ctx.send(next(ctx), msg);
              return s.participant ? s : { ...s, participant: true };
            }
            if (msg.id < s.id) {
              if (s.participant) return s;
              ctx.send(next(ctx), Election({ id: s.id }));
              return { ...s, participant: true };
            }
            ctx.send(next(ctx), Elected({ id: s.id }));
            return { ...s, isLeader: true, leader: s.id };
          }
          // Elected: record the leader and pass the announcement on, until it is back home.
          if (msg.id === s.id && s.isLeader) return { ...s, participant: false };
          ctx.send(next(ctx), msg);
          return { ...s, participant: false, leader: msg.id };
        },
      },
    },
    invariants: {
      AtMostOneLeader: (s) => nodes(s).filter((n) => n.isLeader).length <= 1,
      LeaderHasMaxId: (s) => {
        const max = Math.max(...nodes(s).map((n) => n.id));
        return nodes(s).every((n) => !n.isLeader || n.id === max);
      },
      AgreeOnLeader: (s) =>
        new Set(nodes(s).flatMap((n) => (n.leader === 0 ? [] : [n.leader]))).size <= 1,
    },
    properties: {
      EventuallyLeader: eventually(function someLeader(s: State) {
        return s.procs.node.some((n) => n.isLeader);
      }),
      EventuallyAllKnow: eventually(function allKnowLeader(s: State) {
        return s.procs.node.every((n) => n.leader !== 0);
      }),
    },
    fairness: [weak("start"), weak("deliver", { each: true })],
    stuttering: "anywhere",
  });

const ringElection = ring(ringIds);
export default ringElection;

/** Bug: the node before the one with the highest id gets the highest id too. */
export const duplicateIds = ring((n) => {
  const ids = ringIds(n);
  const max = Math.max(...ids);
  // The highest id, given to a second node as well (the one before it on the ring).
  const at = ids.indexOf(max);
  return ids.map((id, i) => (i === (at + n - 1) % n ? max : id));
});

/** Liveness bug: no fairness at all — no node need ever start an election. */
export const noFairness = ringElection.variant({ fairness: [] });

/** Liveness bug: a node starts, but messages may stay in flight forever. */
export const unfairDelivery = ringElection.variant({ fairness: [weak("start")] });
