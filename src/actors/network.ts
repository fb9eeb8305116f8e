// The network: the envelopes in flight. By default a multiset (an immutable Map from envelope
// to count, so the order in which messages were sent is not part of the state); as an option,
// FIFO channels (a Map from channel to the queue of its envelopes). Both are canonical: equal
// contents are equal values whatever the order of the sends that produced them.
import { List, Map as ImmutableMap } from "immutable";
import { channel, type Channel, type Envelope } from "./envelope.ts";

export interface NetworkOptions {
  /** Per-channel FIFO queues instead of a multiset (default false). */
  readonly fifo?: boolean;
  /** An envelope in flight may be lost: the action `drop` (default false). */
  readonly lossy?: boolean;
  /**
   * A delivered envelope may stay in flight, to be delivered again: the action `redeliver`
   * (default false). A multiset network then holds each envelope at most once (a set), since
   * further copies add no behaviour. FIFO queues keep every copy: a protocol that answers each
   * delivery must bound its answers itself.
   */
  readonly duplicating?: boolean;
}

/** The network part of a system state (see `inFlight` to read it). */
export type Network<M = unknown> =
  ImmutableMap<Envelope<M>, number> | ImmutableMap<Channel, List<Envelope<M>>>;

/** The operations the layer needs, for one kind of network. */
export interface NetworkKind {
  readonly empty: Network;
  add(net: Network, e: Envelope): Network;
  /** Removes one copy of `e`, which must be deliverable. */
  remove(net: Network, e: Envelope): Network;
  /** Whether `e` can be delivered now (in flight; for FIFO, at the head of its channel). */
  canDeliver(net: Network, e: Envelope): boolean;
  /** The envelopes that can be delivered now, each once. */
  deliverable(net: Network): Iterable<Envelope>;
  /**
   * The envelopes that can be lost now, each once: any of them, or (`anywhere` false: the
   * crash of the sender) for FIFO channels only the last one sent, since a crash loses the
   * end of a stream, not its middle.
   */
  losable(net: Network, anywhere: boolean): Iterable<Envelope>;
  /** Loses one copy of `e`, which must be losable. */
  lose(net: Network, e: Envelope, anywhere: boolean): Network;
  canLose(net: Network, e: Envelope, anywhere: boolean): boolean;
  /** Drops every envelope that satisfies `which` (returns `net` itself if there is none). */
  dropWhere(net: Network, which: (e: Envelope) => boolean): Network;
  /** Every envelope in flight, with multiplicity. */
  envelopes(net: Network): Envelope[];
  isEmpty(net: Network): boolean;
}

type Bag = ImmutableMap<Envelope, number>;
type Queues = ImmutableMap<Channel, List<Envelope>>;

const increment = (n: number): number => n + 1;
const one = (): number => 1;

function multisetRemove(net: Network, e: Envelope): Network {
  const bag = net as Bag;
  const n = bag.get(e) ?? 0;
  return n <= 1 ? bag.delete(e) : bag.set(e, n - 1);
}

const multiset: NetworkKind = {
  empty: ImmutableMap<Envelope, number>(),
  add: (net, e) => (net as Bag).update(e, 0, increment),
  remove: (net, e) => multisetRemove(net, e),
  canDeliver: (net, e) => (net as Bag).has(e),
  deliverable: (net) => (net as Bag).keys(),
  losable: (net) => (net as Bag).keys(),
  lose: (net, e) => multisetRemove(net, e),
  canLose: (net, e) => (net as Bag).has(e),
  dropWhere(net, which) {
    const bag = net as Bag;
    return bag.some((_, e) => which(e)) ? bag.filter((_, e) => !which(e)) : net;
  },
  envelopes(net) {
    const out: Envelope[] = [];
    (net as Bag).forEach((n, e) => {
      for (let i = 0; i < n; i++) out.push(e);
    });
    return out;
  },
  isEmpty: (net) => net.size === 0,
};

const fifo: NetworkKind = {
  empty: ImmutableMap<Channel, List<Envelope>>(),
  add: (net, e) =>
    (net as Queues).update(channel(e.from, e.to), List<Envelope>(), (q) => q.push(e)),
  remove(net, e) {
    const c = channel(e.from, e.to);
    const q = (net as Queues).get(c);
    if (q === undefined) return net;
    return q.size <= 1 ? (net as Queues).delete(c) : (net as Queues).set(c, q.shift());
  },
  canDeliver(net, e) {
    const head = (net as Queues).get(channel(e.from, e.to))?.first();
    return head !== undefined && head.equals(e);
  },
  *deliverable(net) {
    for (const q of (net as Queues).values()) yield q.first() as Envelope;
  },
  // Losing a message in the middle of a lossy channel is the same as losing it when it
  // reaches the head; a crash loses the end of its channels.
  *losable(net, anywhere) {
    for (const q of (net as Queues).values()) yield (anywhere ? q.first() : q.last()) as Envelope;
  },
  lose(net, e, anywhere) {
    if (anywhere) return fifo.remove(net, e);
    const c = channel(e.from, e.to);
    const q = (net as Queues).get(c);
    if (q === undefined) return net;
    return q.size <= 1 ? (net as Queues).delete(c) : (net as Queues).set(c, q.pop());
  },
  canLose(net, e, anywhere) {
    const q = (net as Queues).get(channel(e.from, e.to));
    const end = anywhere ? q?.first() : q?.last();
    return end !== undefined && end.equals(e);
  },
  dropWhere(net, which) {
    const queues = net as Queues;
    let out = queues;
    queues.forEach((q, c) => {
      if (!q.some(which)) return;
      const kept = q.filter((e) => !which(e));
      out = kept.size === 0 ? out.delete(c) : out.set(c, kept);
    });
    return out;
  },
  envelopes: (net) => [...(net as Queues).values()].flatMap((q) => q.toArray()),
  isEmpty: (net) => net.size === 0,
};

// With duplication, a message in flight can be delivered any number of times, so a second
// copy adds no behaviour: the multiset becomes a set (counts stay 1), and a protocol that
// answers every delivery does not make the counts, and the state space, grow without bound.
const duplicatingSet: NetworkKind = {
  ...multiset,
  add: (net, e) => (net as Bag).update(e, 0, one),
};

export function networkKind(options: NetworkOptions): NetworkKind {
  if (options.fifo === true) return fifo;
  return options.duplicating === true ? duplicatingSet : multiset;
}

/** The kind of a network value (a multiset counts its envelopes, FIFO queues list them). */
export function networkOf(net: Network): NetworkKind {
  const first: unknown = net.valueSeq().first();
  return first === undefined || typeof first === "number" ? multiset : fifo;
}
