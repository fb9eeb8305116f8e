// The records the network is made of. They are hashed and compared by value (valueRecord), so
// equal envelopes sent on different paths are one key of the multiset.
import type { RecordOf } from "immutable";
import { valueRecord } from "../values/value-record.ts";
import type { ProcessId } from "./types.ts";

interface EnvelopeFields<M> {
  readonly from: ProcessId;
  readonly to: ProcessId;
  readonly msg: M;
}

/** A message in flight: source, destination and message. */
export type Envelope<M = unknown> = RecordOf<EnvelopeFields<M>>;

const makeEnvelope = valueRecord<EnvelopeFields<unknown>>(
  { from: "", to: "", msg: null },
  "Envelope",
);

const envelopeType = Object.getPrototypeOf(makeEnvelope()) as object;

/** Whether a value is an envelope. */
export function isEnvelope(v: object): v is Envelope {
  return Object.getPrototypeOf(v) === envelopeType;
}

export function envelope<M>(from: ProcessId, to: ProcessId, msg: M): Envelope<M> {
  const fields = { from, to, msg };
  return withOwnFields(makeEnvelope(fields), ENVELOPE_KEYS, fields) as Envelope<M>;
}

const ENVELOPE_KEYS = ["from", "to", "msg"] as const;
// One descriptor, reused: defining a property then allocates nothing.
const descriptor: PropertyDescriptor = { value: undefined, enumerable: false };

/**
 * Copies a record's fields onto the record itself, as read-only own properties. A record reads
 * a field through a prototype getter and a lookup in its value list; the layer reads the
 * fields of envelopes and messages many times per state, and own properties make that a plain
 * property load. Nothing else changes: the record's value, hash, equality and printing all go
 * through its value list, and a record derived from it (`set`, `merge`) reads fields the
 * ordinary way.
 */
export function withOwnFields<R extends object, K extends string>(
  record: R,
  keys: readonly K[],
  fields: { readonly [k in K]?: unknown },
): R {
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    descriptor.value = fields[k];
    Object.defineProperty(record, k, descriptor);
  }
  descriptor.value = undefined;
  return record;
}

interface ChannelFields {
  readonly from: ProcessId;
  readonly to: ProcessId;
}

/** A FIFO channel, the key of a FIFO network. */
export type Channel = RecordOf<ChannelFields>;

const makeChannel = valueRecord<ChannelFields>({ from: "", to: "" }, "Channel");
// Channels are few and looked up on every send: one instance per pair, found without building
// a string key.
const channels = new Map<ProcessId, Map<ProcessId, Channel>>();

export function channel(from: ProcessId, to: ProcessId): Channel {
  let byTo = channels.get(from);
  if (byTo === undefined) {
    byTo = new Map();
    channels.set(from, byTo);
  }
  let c = byTo.get(to);
  if (c === undefined) {
    c = makeChannel({ from, to });
    byTo.set(to, c);
  }
  return c;
}
