/**
 * Chain replication (van Renesse and Schneider, OSDI 2004) of a single register.
 *
 * Servers form a chain, initially s1 → s2 → ... → sn. A client sends a write to the head,
 * which appends it to its update sequence, numbers it (its position in the sequence) and
 * forwards it down the chain; each server appends an update it has not seen yet and forwards
 * it; the tail, which has every update the chain has committed, acknowledges the write to the
 * client. Reads go to the tail, which answers with the last value of its sequence. A master
 * watches the servers (a perfect failure detector: the event `detect(master, s)` follows the
 * crash of s) and, when one crashes, removes it from the chain and sends the new chain to
 * every live server and client. On the new chain:
 * - a server whose successor changed resends its whole update sequence to the new successor,
 *   which appends what it has not seen (this is the paper's resend of the updates in `Sent`
 *   after a middle server fails: the receiver's sequence is a prefix of the sender's);
 * - a server that became the tail acknowledges every update it holds (the old tail may have
 *   died before acknowledging them; clients ignore acknowledgements of finished operations);
 * - clients send to the new head and tail.
 *
 * Modelled: FIFO channels between processes (the paper's reliable FIFO links), crash-stop of
 * up to `crashes` servers, and the loss of a crashed server's messages still in flight (its
 * send buffers die with it). Each client does `ops` operations one after the other, each a
 * read or a write (chosen nondeterministically); client k's j-th operation (from 1) writes
 * (k - 1) * ops + j, so written values are distinct. Properties: `Linearizable` (the client
 * history against a register whose initial value is 0) and `UpdatePrefix` (along the master's
 * chain, each server's update sequence is a prefix of its predecessor's).
 *
 * Abstracted away: client retries (a client whose request died with a server waits forever:
 * its operation stays incomplete, and may or may not have taken effect), the master's own
 * fault tolerance, adding servers to the chain, the acknowledgements that let servers forget
 * updates (a server resends its whole sequence; the receiver skips what it has), and values
 * other than small integers. Acknowledgements of finished operations, and updates their
 * receiver already has, are removed as soon as they are `obsolete` (9,778 states instead of
 * 7,402 at the defaults without that).
 *
 * Params (defaults): servers (3), clients (2), ops per client (1), crashes (1). The defaults
 * check in about 2 seconds: 7,402 states, depth 16. The protocol also holds with 2 crashes
 * (40,234 states), with 4 servers (22,199) and, without crashes, with 2 operations per client
 * (5,605).
 *
 * Variants (named exports):
 * - `queriesAtHead` violates `Linearizable`: reads are served by the head, which answers with
 *   writes the rest of the chain has not received yet. After the head fails, a read at the new
 *   head can miss a write that an earlier read returned (ops defaults to 2: a client reads
 *   twice).
 * - `noResendOnRelink` violates `UpdatePrefix`: after a middle server fails, its predecessor
 *   does not resend, so the new successor misses the updates that died with the failed server
 *   and appends later ones after a gap.
 */
import { List, type RecordOf } from "immutable";
import { param, valueRecord } from "protomc";
import {
  defineSystem,
  linearizable,
  messageType,
  type Context,
  type MessageOf,
  type ProcessId,
} from "../src/actors/index.ts";
import { register } from "../src/lincheck/index.ts";

interface UpdFields {
  readonly client: ProcessId;
  readonly op: number;
  readonly value: number;
}
/** A write, as it travels down the chain. */
type Upd = RecordOf<UpdFields>;
const Upd = valueRecord<UpdFields>({ client: "", op: 0, value: 0 }, "Upd");

const NO_CHAIN = List<ProcessId>();

/** Client → head: write `value` (the client's operation number `op`). */
const Write = messageType("Write", { op: 0, value: 0 });
/** Tail → client. */
const WriteOk = messageType("WriteOk", { op: 0 });
/** Client → tail. */
const Read = messageType("Read", { op: 0 });
const ReadOk = messageType("ReadOk", { op: 0, value: 0 });
/** Server → successor: the update at position `seq` of the sender's sequence. */
const Fwd = messageType("Fwd", { seq: 0, upd: Upd() });
/** Server → new successor: its whole update sequence. */
const Sync = messageType("Sync", { updates: List<Upd>() });
/** Master → servers and clients: the chain, head first. */
const Config = messageType("Config", { chain: NO_CHAIN });
type Msg =
  | MessageOf<typeof Write>
  | MessageOf<typeof WriteOk>
  | MessageOf<typeof Read>
  | MessageOf<typeof ReadOk>
  | MessageOf<typeof Fwd>
  | MessageOf<typeof Sync>
  | MessageOf<typeof Config>;

export interface Server {
  /** The updates this server has applied, in order. */
  readonly hist: List<Upd>;
  /** The chain as this server last heard it. */
  readonly chain: List<ProcessId>;
}

export interface Master {
  readonly chain: List<ProcessId>;
}

export interface Client {
  readonly done: number;
  readonly pending: "none" | "read" | "write";
  readonly head: ProcessId;
  readonly tail: ProcessId;
  /** Client k (from 1), for the values it writes. */
  readonly k: number;
}

type Types = { msg: Msg; roles: { server: Server; master: Master; client: Client } };

interface Options {
  /** Which server answers reads (clients send them there). */
  readonly queries: "tail" | "head";
  /** Whether a server resends its updates to a new successor. */
  readonly resend: boolean;
}

function chainReplication(options: Options, defaultOps = 1) {
  type Ctx = Context<Types, { readonly ops: number }>;
  const successor = (chain: List<ProcessId>, self: ProcessId): ProcessId | undefined => {
    const i = chain.indexOf(self);
    return i === -1 ? undefined : chain.get(i + 1);
  };
  const queryServer = (chain: List<ProcessId>): ProcessId =>
    (options.queries === "tail" ? chain.last() : chain.first()) ?? "";

  // Appends the updates of `incoming` from position `from` (0-based), the ones this server
  // has not seen, and passes each on: down the chain, or to its client from the tail.
  const apply = (s: Server, incoming: readonly Upd[], ctx: Ctx): Server => {
    if (incoming.length === 0) return s;
    const next = successor(s.chain, ctx.self);
    let hist = s.hist;
    for (const upd of incoming) {
      hist = hist.push(upd);
      if (next === undefined) ctx.send(upd.client, WriteOk({ op: upd.op }));
      else ctx.send(next, Fwd({ seq: hist.size, upd }));
    }
    return { ...s, hist };
  };

  const start = (f: "read" | "write") => (s: Client, ctx: Ctx) => {
    if (s.pending !== "none" || s.done >= ctx.params.ops) return null;
    const op = s.done + 1;
    if (f === "write") {
      const value = (s.k - 1) * ctx.params.ops + op;
      ctx.invoke("write", value);
      ctx.send(s.head, Write({ op, value }));
    } else {
      ctx.invoke("read");
      ctx.send(options.queries === "tail" ? s.tail : s.head, Read({ op }));
    }
    return { ...s, pending: f };
  };

  return defineSystem<Types>()({
    name: "chain-replication",
    params: {
      servers: param.int({ default: 3, min: 1, max: 6, description: "servers in the chain" }),
      clients: param.int({ default: 2, min: 1, max: 4, description: "clients" }),
      ops: param.int({
        default: defaultOps,
        min: 0,
        max: 4,
        description: "operations per client",
      }),
      crashes: param.int({ default: 1, min: 0, max: 5, description: "servers that may crash" }),
    },
    roles: {
      server: {
        count: (p) => p.servers,
        prefix: "s",
        init: (_id, _i, p) => ({ hist: List(), chain: initialChain(p.servers) }),
        onMessage: (s, from, msg, ctx) => {
          switch (msg.type) {
            case "Write": {
              if (s.chain.first() !== ctx.self) return s; // not the head (any more)
              return apply(s, [Upd({ client: from, op: msg.op, value: msg.value })], ctx);
            }
            case "Fwd":
              // FIFO links: a sequence number beyond the next one can only mean lost updates.
              return msg.seq > s.hist.size ? apply(s, [msg.upd], ctx) : s;
            case "Sync":
              return apply(s, msg.updates.skip(s.hist.size).toArray(), ctx);
            case "Read": {
              if (queryServer(s.chain) !== ctx.self) return s;
              ctx.send(from, ReadOk({ op: msg.op, value: s.hist.last()?.value ?? 0 }));
              return s;
            }
            case "Config": {
              const before = successor(s.chain, ctx.self);
              const after = successor(msg.chain, ctx.self);
              if (after !== undefined && after !== before && options.resend) {
                ctx.send(after, Sync({ updates: s.hist }));
              }
              // The new tail acknowledges what the old one may not have.
              if (after === undefined && before !== undefined) {
                s.hist.forEach((upd) => ctx.send(upd.client, WriteOk({ op: upd.op })));
              }
              return { ...s, chain: msg.chain };
            }
            default:
              return s;
          }
        },
      },
      master: {
        ids: ["master"],
        init: (_id, _i, p) => ({ chain: initialChain(p.servers) }),
        onCrash: (s, crashed, ctx) => {
          const chain = s.chain.filter((id) => id !== crashed);
          const config = Config({ chain });
          ctx.broadcast(chain.toArray(), config);
          ctx.broadcast("client", config);
          return { chain };
        },
      },
      client: {
        count: (p) => p.clients,
        prefix: "c",
        init: (_id, i, p) => ({
          done: 0,
          pending: "none",
          head: "s1",
          tail: `s${p.servers}`,
          k: i + 1,
        }),
        actions: { write: start("write"), read: start("read") },
        onMessage: (s, _from, msg, ctx) => {
          const op = s.done + 1;
          if (msg.type === "Config") {
            return { ...s, head: msg.chain.first() ?? "", tail: msg.chain.last() ?? "" };
          }
          if (msg.type === "WriteOk" && s.pending === "write" && msg.op === op) {
            ctx.respond();
            return { ...s, done: op, pending: "none" };
          }
          if (msg.type === "ReadOk" && s.pending === "read" && msg.op === op) {
            ctx.respond(msg.value);
            return { ...s, done: op, pending: "none" };
          }
          return s;
        },
      },
    },
    network: { fifo: true },
    faults: (p) => ({ crashes: p.crashes, crashable: ["server"], lossOnCrash: true }),
    history: true,
    // Answers to finished operations, and updates the receiver already has, change nothing.
    obsolete: (s, e) => {
      const msg = e.msg;
      switch (msg.type) {
        case "WriteOk":
        case "ReadOk": {
          const c = s.procs.client.get(e.to);
          return c !== undefined && msg.op <= c.done;
        }
        case "Fwd":
          return msg.seq <= (s.procs.server.get(e.to)?.hist.size ?? 0);
        case "Sync":
          return msg.updates.size <= (s.procs.server.get(e.to)?.hist.size ?? 0);
        default:
          return false;
      }
    },
    invariants: {
      Linearizable: linearizable(register(0)),
      UpdatePrefix: (s) => {
        const chain = s.procs.master.get("master")?.chain ?? NO_CHAIN;
        let pred: List<Upd> | undefined;
        for (const id of chain) {
          const hist = s.procs.server.get(id)?.hist;
          if (hist === undefined) continue;
          if (pred !== undefined && !pred.take(hist.size).equals(hist)) return false;
          pred = hist;
        }
        return true;
      },
    },
  });
}

function initialChain(servers: number): List<ProcessId> {
  return List(Array.from({ length: servers }, (_, i) => `s${i + 1}`));
}

export default chainReplication({ queries: "tail", resend: true });

/**
 * Bug: the head answers reads, including writes the chain has not committed. It takes a client
 * that reads twice to show (ops defaults to 2).
 */
export const queriesAtHead = chainReplication({ queries: "head", resend: true }, 2);

/** Bug: a server does not resend its updates to a new successor. */
export const noResendOnRelink = chainReplication({ queries: "tail", resend: false });
