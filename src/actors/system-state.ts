// The global state of a message-passing system: one immutable value, so every engine feature
// (fingerprints, traces, views, invariants) works on it unchanged.
import type { Map as ImmutableMap, Set as ImmutableSet } from "immutable";
import type { ClientHistory } from "./client-history.ts";
import type { CrashNotice } from "./crash-notice.ts";
import type { Envelope } from "./envelope.ts";
import { networkOf, type Network } from "./network.ts";
import type { Timer } from "./timer.ts";
import type { ProcessId, RoleName, SystemTypes } from "./types.ts";

/** The state of every live process, by role and id. */
export type ProcessStates<T extends SystemTypes> = {
  readonly [R in RoleName<T>]: ImmutableMap<ProcessId, T["roles"][R]>;
};

/**
 * A system state. Fields the system does not use are absent: `timers` only when some role
 * has `onTimeout`, `crashed` only when processes may crash, `disk` only when they may restart
 * with durable fields, `notices` only when some role watches for crashes, `history` only when
 * the system keeps a client history.
 */
export interface SystemState<T extends SystemTypes = SystemTypes> {
  /** Live processes only: a crashed process has no state (see `disk` for restarts). */
  readonly procs: ProcessStates<T>;
  /** The envelopes in flight (read them with `inFlight`). */
  readonly net: Network<T["msg"]>;
  /** The timers that are set. */
  readonly timers?: ImmutableSet<Timer>;
  readonly crashed?: ImmutableSet<ProcessId>;
  /** The durable fields of crashed processes, restored when they restart. */
  readonly disk?: ImmutableMap<ProcessId, Readonly<Record<string, unknown>>>;
  /** Crashes that watching processes have not detected yet. */
  readonly notices?: ImmutableSet<CrashNotice>;
  readonly history?: ClientHistory;
}

/** Every envelope in flight, with multiplicity (FIFO channels in queue order). */
export function inFlight<M>(s: { readonly net: Network<M> }): Envelope<M>[] {
  return networkOf(s.net).envelopes(s.net) as Envelope<M>[];
}

export function isCrashed(
  s: { readonly crashed?: ImmutableSet<ProcessId> },
  id: ProcessId,
): boolean {
  return s.crashed?.has(id) ?? false;
}
