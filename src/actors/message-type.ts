// Message types: immutable records, hashed and compared by value (so that equal messages are
// one entry of the network multiset), that read like plain discriminated-union members.
// `messageType("Read", { key: 0 })` makes records printed `Read{key: 1}` whose `type` is
// "Read": `type` lives on the record type rather than in every record, so it is neither
// stored, hashed nor printed twice, yet `switch (msg.type)` narrows a union of them.
import type { RecordOf } from "immutable";
import { valueRecord } from "../values/value-record.ts";
import { withOwnFields } from "./envelope.ts";

/** A message of type `N` with fields `F`. */
export type Message<N extends string, F extends object> = RecordOf<F> & { readonly type: N };

/** Builds messages of one type; a type without fields takes no argument. */
export type MessageFactory<N extends string, F extends object> = ([keyof F] extends [never]
  ? () => Message<N, F>
  : (fields: Readonly<F>) => Message<N, F>) & { readonly type: N };

/** The message type a factory builds: `type Msg = MessageOf<typeof Read> | ...`. */
export type MessageOf<Factory extends (...args: never[]) => unknown> = ReturnType<Factory>;

/**
 * Declares a message type: its name (the record's name and the value of `type`) and its
 * fields with default values, which give the fields' types.
 */
export function messageType<const N extends string, F extends object = Record<never, never>>(
  name: N,
  fields?: F & { readonly type?: never },
): MessageFactory<N, F> {
  const defaults = (fields ?? {}) as F;
  const make = valueRecord<F>(defaults, name);
  const sample = make();
  Object.defineProperty(Object.getPrototypeOf(sample), "type", { value: name });
  const keys = Object.keys(defaults) as (keyof F & string)[];
  const build = (values: Readonly<F>): RecordOf<F> => {
    const record = make(values);
    // Fields left out take their defaults, as in the record.
    for (const k of keys) if (!(k in values)) return withOwnFields(record, keys, record.toObject());
    return withOwnFields(record, keys, values);
  };
  // A message without fields has one value: always return the same instance.
  const factory = keys.length === 0 ? () => sample : build;
  return Object.assign(factory, { type: name }) as unknown as MessageFactory<N, F>;
}
