// The client history kept in a system state: for each client process, its operations in
// program order. Instead of the sequence of invoke/return events, which would make states
// differ by the order of events that no consistency check looks at (two clients invoking in
// either order), each operation records what it saw when it was invoked: how many operations
// of every other client had completed by then (`seen`). That is exactly the real-time order
// (a precedes b iff a returned before b was invoked), and nothing more, so equal partial
// orders are equal states.
import { List, Map as ImmutableMap, type RecordOf } from "immutable";
import { historyFromOps, type Operation, type OpSpec, type Value } from "../lincheck/index.ts";
import { valueRecord } from "../values/value-record.ts";
import type { ProcessId } from "./types.ts";

interface ClientOpFields {
  /** The operation's kind (read, write, cas, ...). */
  readonly f: string;
  readonly input: Value;
  /** The result, once the operation returned. */
  readonly output: Value;
  readonly status: "pending" | "ok";
  /** For each other client, how many of its operations had returned when this one started. */
  readonly seen: ImmutableMap<ProcessId, number>;
}

export type ClientOp = RecordOf<ClientOpFields>;

const makeOp = valueRecord<ClientOpFields>(
  { f: "", input: null, output: null, status: "pending", seen: ImmutableMap() },
  "Op",
);

/** Each client's operations, in program order. */
export type ClientHistory = ImmutableMap<ProcessId, List<ClientOp>>;

export const emptyHistory: ClientHistory = ImmutableMap();

function completed(ops: List<ClientOp>): number {
  const last = ops.last();
  return last === undefined ? 0 : last.status === "pending" ? ops.size - 1 : ops.size;
}

/** Records that `client` invokes `f(input)`. */
export function recordInvoke(
  h: ClientHistory,
  client: ProcessId,
  f: string,
  input: Value,
): ClientHistory {
  const own = h.get(client) ?? List<ClientOp>();
  if (own.last()?.status === "pending") {
    throw new Error(`${client} invokes ${f} while its ${own.last()!.f} is still pending`);
  }
  let seen = ImmutableMap<ProcessId, number>();
  h.forEach((ops, p) => {
    const n = p === client ? 0 : completed(ops);
    if (n > 0) seen = seen.set(p, n);
  });
  return h.set(client, own.push(makeOp({ f, input, seen })));
}

/** Records that the pending operation of `client` returned `output`. */
export function recordRespond(h: ClientHistory, client: ProcessId, output: Value): ClientHistory {
  const own = h.get(client);
  const last = own?.last();
  if (own === undefined || last === undefined || last.status !== "pending") {
    throw new Error(`${client} responds ${JSON.stringify(output)} without a pending operation`);
  }
  return h.set(client, own.set(own.size - 1, last.merge({ output, status: "ok" })));
}

/**
 * The history as checker operations. Positions are synthesised from the recorded real-time
 * order: an operation that saw k completed operations is invoked at 2k, and an operation
 * returns just before the first invocation that saw it (after every invocation if none did).
 * The sets of operations seen at each invocation form a chain (they are prefixes of the real
 * order of returns), which is what makes these positions reproduce the recorded order exactly.
 */
export function historyOps(h: ClientHistory): Operation[] {
  const clients = [...h.keys()].sort();
  const rows = clients.map((p) => {
    const ops = h.get(p)!.toArray();
    return ops.map((op, i) => {
      let k = i;
      op.seen.forEach((n, q) => {
        if (q !== p) k += n;
      });
      return { p, i, op, k };
    });
  });
  const all = rows.flat();
  const kMax = all.reduce((m, r) => Math.max(m, r.k), 0);
  const specs: OpSpec[] = all.map(({ p, i, op, k }) => {
    const base = { process: p, f: op.f, input: op.input, call: 2 * k };
    if (op.status === "pending") return { ...base, ret: null, status: "info" };
    let first = Infinity;
    for (const b of all) {
      const sawIt = b.p === p ? b.i === i + 1 : (b.op.seen.get(p) ?? 0) > i;
      if (sawIt && b.k < first) first = b.k;
    }
    const ret = first === Infinity ? 2 * kMax + 1 : 2 * first - 1;
    return { ...base, output: op.output, ret, status: "ok" };
  });
  return historyFromOps(specs);
}

/** The client history of a system state as checker operations (empty if none is kept). */
export function historyOf(state: { readonly history?: ClientHistory | undefined }): Operation[] {
  return state.history === undefined ? [] : historyOps(state.history);
}
