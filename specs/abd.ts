/**
 * ABD: the multi-writer atomic register of Attiya, Bar-Noy and Dolev, over message passing.
 *
 * Storage servers each hold a (timestamp, value) pair. A timestamp is (counter, writer id),
 * ordered lexicographically, so writers never tie. A writer first queries every server and
 * waits for a majority of answers, takes the highest timestamp among them, then sends
 * (highest counter + 1, its id) with its value to every server and waits for a majority of
 * acknowledgements. A reader queries every server, waits for a majority, picks the highest
 * (timestamp, value) among the answers, writes it back to a majority (the write-back is what
 * keeps a later read from returning an older value), then returns that value. Servers adopt a
 * (timestamp, value) only if its timestamp is higher than their own.
 *
 * Modelled: asynchronous reordering network (a multiset of messages: no loss, no duplication),
 * crash-stop of up to `crashes` servers at any point (clients never crash here), any number of
 * concurrent writers and readers each doing `ops` operations one after the other. Every
 * operation is recorded in the client history, and the property `Linearizable` checks it
 * against a read/write register whose initial value is 0. Writer w's k-th write (from 1)
 * writes the value (w - 1) * ops + k, so every written value is distinct.
 *
 * Abstracted away: the contents of values (small distinct integers), real time, retries (with
 * fewer than servers / 2 crashes a majority always answers), garbage collection of old request
 * ids, and server recovery. Replies to an earlier phase or operation are recognised by their
 * message type and operation number and ignored. Messages that can no longer matter are
 * removed from the network as soon as they are `obsolete` (see docs/message-passing.md):
 * answers and queries of a finished phase, and updates of a finished phase that would not raise
 * their server's timestamp. Delivering them would change nothing; keeping them would make the
 * default model 556,479 states instead of 12,903.
 *
 * Params (defaults): servers (3), writers (1), readers (1), ops per client (1), crashes (1,
 * fewer than servers / 2). The defaults check in about 2 seconds: 12,903 states, depth 20.
 * Larger models hold too: 2 writers and no reader (4,826 states without crashes), 2 readers
 * (331,581 states without crashes, about a minute and a half).
 *
 * Servers are interchangeable (`symmetric: "server"`): with `--symmetry` the default model has
 * 2,490 orbits instead of 12,903 states.
 *
 * Liveness: `EveryOperationReturns` (infinitely often no operation is pending) holds under
 * fair delivery (weak fairness of every in-flight message) with fewer than half the servers
 * crashed.
 *
 * Variants (named exports) that violate `Linearizable`:
 * - `noWriteBack`: a reader returns the highest value of its query phase without writing it
 *   back. A read can then return a value written by an unfinished write that a later read,
 *   which hears from other servers, does not see yet (new/old inversion).
 * - `minorityQuorums`: phases complete with floor(servers / 2) answers, so a read quorum can
 *   miss every server of a completed write's quorum and return an older value.
 */
import { Set as ImmutableSet, type RecordOf } from "immutable";
import { alwaysEventually, param, valueRecord, weak } from "protomc";
import {
  defineSystem,
  linearizable,
  messageType,
  type Context,
  type MessageOf,
  type ProcessId,
} from "../src/actors/index.ts";
import { register } from "../src/lincheck/index.ts";

type Ts = RecordOf<{ n: number; w: number }>;
const Ts = valueRecord<{ n: number; w: number }>({ n: 0, w: 0 }, "Ts");
const TS0 = Ts();
const later = (a: Ts, b: Ts): boolean => a.n > b.n || (a.n === b.n && a.w > b.w);

/** Phase 1: what is your (timestamp, value)? `op` numbers the client's operations from 1. */
const Query = messageType("Query", { op: 0 });
const QueryAck = messageType("QueryAck", { op: 0, ts: TS0, value: 0 });
/** Phase 2: store (ts, value) if ts is higher than yours. */
const Update = messageType("Update", { op: 0, ts: TS0, value: 0 });
const UpdateAck = messageType("UpdateAck", { op: 0 });
type Msg =
  | MessageOf<typeof Query>
  | MessageOf<typeof QueryAck>
  | MessageOf<typeof Update>
  | MessageOf<typeof UpdateAck>;

export interface Server {
  readonly ts: Ts;
  readonly value: number;
}

export interface Client {
  /** Operations completed. */
  readonly done: number;
  readonly phase: "idle" | "query" | "update";
  /** The servers that answered the current phase. */
  readonly acks: ImmutableSet<ProcessId>;
  /** Query phase: the highest (ts, value) heard. Update phase: what is being written. */
  readonly ts: Ts;
  readonly value: number;
  /** Writers: the writer id of their timestamps (1, 2, ...); readers: 0. */
  readonly w: number;
}

type Types = { msg: Msg; roles: { server: Server; writer: Client; reader: Client } };

interface Options {
  /** Whether readers write back what they read before returning. */
  readonly writeBack: boolean;
  /** How many answers complete a phase, out of `servers`. */
  readonly quorum: (servers: number) => number;
}

const majority = (n: number): number => Math.floor(n / 2) + 1;

/** Param defaults that differ from the correct spec's (the smallest model that shows a bug). */
interface Defaults {
  readonly readers?: number;
  readonly crashes?: number;
}

function abd(options: Options, defaults: Defaults = {}) {
  type Ctx = Context<Types, { readonly servers: number; readonly ops: number }>;
  const idle = (s: Client): Client => ({
    ...s,
    done: s.done + 1,
    phase: "idle",
    acks: ImmutableSet(),
    ts: TS0,
    value: 0,
  });

  // Writer w's k-th write (from 1) writes (w - 1) * ops + k: written values are distinct.
  const written = (s: Client, ctx: Ctx): number => (s.w - 1) * ctx.params.ops + s.done + 1;

  const start = (s: Client, ctx: Ctx): Client | null => {
    if (s.phase !== "idle" || s.done >= ctx.params.ops) return null;
    if (s.w === 0) ctx.invoke("read");
    else ctx.invoke("write", written(s, ctx));
    ctx.broadcast("server", Query({ op: s.done + 1 }));
    return { ...s, phase: "query" };
  };

  // The answers of clients, readers and writers alike; they differ in what phase 2 writes.
  const onAnswer = (s: Client, from: ProcessId, msg: Msg, ctx: Ctx): Client => {
    const q = options.quorum(ctx.params.servers);
    if (msg.type === "QueryAck" && s.phase === "query" && msg.op === s.done + 1) {
      const acks = s.acks.add(from);
      // Writers only need the highest timestamp; readers need its value too.
      const best = later(msg.ts, s.ts) ? { ts: msg.ts, value: s.w === 0 ? msg.value : 0 } : s;
      if (acks.size < q) return { ...s, acks, ts: best.ts, value: best.value };
      if (s.w === 0 && !options.writeBack) {
        ctx.respond(best.value);
        return idle(s);
      }
      // A writer writes its own value with a higher timestamp; a reader writes back.
      const next =
        s.w === 0 ? best : { ts: Ts({ n: best.ts.n + 1, w: s.w }), value: written(s, ctx) };
      ctx.broadcast("server", Update({ op: msg.op, ts: next.ts, value: next.value }));
      return { ...s, phase: "update", acks: ImmutableSet(), ts: next.ts, value: next.value };
    }
    if (msg.type === "UpdateAck" && s.phase === "update" && msg.op === s.done + 1) {
      const acks = s.acks.add(from);
      if (acks.size < q) return { ...s, acks };
      ctx.respond(s.w === 0 ? s.value : null);
      return idle(s);
    }
    return s; // an answer to an earlier phase
  };

  // Whether phase `phase` of the client's operation `op` is over.
  const stale = (s: Client, op: number, phase: "query" | "update"): boolean =>
    op <= s.done || (op === s.done + 1 && phase === "query" && s.phase === "update");

  const client = (w: number): Client => ({
    done: 0,
    phase: "idle",
    acks: ImmutableSet(),
    ts: TS0,
    value: 0,
    w,
  });

  return defineSystem<Types>()({
    name: "abd",
    params: {
      servers: param.int({ default: 3, min: 1, max: 9, description: "storage servers" }),
      writers: param.int({ default: 1, min: 0, max: 4, description: "writer clients" }),
      readers: param.int({
        default: defaults.readers ?? 1,
        min: 0,
        max: 4,
        description: "reader clients",
      }),
      ops: param.int({ default: 1, min: 0, max: 4, description: "operations per client" }),
      crashes: param.int({
        default: defaults.crashes ?? 1,
        min: 0,
        max: 4,
        description: "servers that may crash (fewer than servers / 2)",
      }),
    },
    roles: {
      server: {
        count: (p) => p.servers,
        prefix: "s",
        init: () => ({ ts: TS0, value: 0 }),
        onMessage: (s, from, msg, ctx) => {
          if (msg.type === "Query") {
            ctx.send(from, QueryAck({ op: msg.op, ts: s.ts, value: s.value }));
            return s;
          }
          if (msg.type === "Update") {
            ctx.send(from, UpdateAck({ op: msg.op }));
            return later(msg.ts, s.ts) ? { ts: msg.ts, value: msg.value } : s;
          }
          return s;
        },
      },
      writer: {
        count: (p) => p.writers,
        prefix: "w",
        init: (_id, i) => client(i + 1),
        actions: { write: start },
        onMessage: onAnswer,
      },
      reader: {
        count: (p) => p.readers,
        prefix: "r",
        init: () => client(0),
        actions: { read: start },
        onMessage: onAnswer,
      },
    },
    faults: (p) => ({ crashes: p.crashes, crashable: ["server"] }),
    symmetric: "server",
    history: true,
    obsolete: (s, e) => {
      const msg = e.msg;
      if (msg.type === "Query") {
        const c = s.procs.writer.get(e.from) ?? s.procs.reader.get(e.from);
        return c !== undefined && stale(c, msg.op, "query");
      }
      if (msg.type === "Update") {
        // Unless it raises the server's timestamp, only its acknowledgement matters.
        const c = s.procs.writer.get(e.from) ?? s.procs.reader.get(e.from);
        const server = s.procs.server.get(e.to);
        return (
          c !== undefined &&
          stale(c, msg.op, "update") &&
          (server === undefined || !later(msg.ts, server.ts))
        );
      }
      if (msg.type === "QueryAck" || msg.type === "UpdateAck") {
        const c = s.procs.writer.get(e.to) ?? s.procs.reader.get(e.to);
        return c !== undefined && stale(c, msg.op, msg.type === "QueryAck" ? "query" : "update");
      }
      return false;
    },
    invariants: { Linearizable: linearizable(register(0)) },
    // Every operation eventually returns: infinitely often no client is in the middle of one.
    // It holds with fewer than half the servers crashed, when every message in flight is
    // eventually delivered (crashes themselves are never forced).
    properties: {
      EveryOperationReturns: alwaysEventually(
        (s) =>
          s.procs.writer.every((c) => c.phase === "idle") &&
          s.procs.reader.every((c) => c.phase === "idle"),
      ),
    },
    fairness: [weak("deliver", { each: true })],
  });
}

export default abd({ writeBack: true, quorum: majority });

/**
 * Bug: readers skip the write-back phase (new/old inversion between two reads). It takes two
 * readers to show; crashes play no part in it.
 */
export const noWriteBack = abd({ writeBack: false, quorum: majority }, { readers: 2, crashes: 0 });

/** Bug: quorums of floor(servers / 2) answers, which need not intersect. */
export const minorityQuorums = abd({ writeBack: true, quorum: (n) => Math.floor(n / 2) });
