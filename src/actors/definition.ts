// What an author writes to declare a system.
import type { SpecDefinition, StatePredicate } from "../spec/define-spec.ts";
import type { ParamDecls, ParamValues } from "../spec/params.ts";
import type { Envelope } from "./envelope.ts";
import type { NetworkOptions } from "./network.ts";
import type { RoleDef } from "./role.ts";
import type { SystemState } from "./system-state.ts";
import type { RoleName, SystemTypes } from "./types.ts";

export interface FaultOptions {
  /** At most this many processes are crashed at any time (default 0: no crashes). */
  readonly crashes?: number;
  /** The roles or process ids that may crash (default: every process). */
  readonly crashable?: readonly string[];
  /**
   * A crashed process may restart (action `restart`), from its initial state with its role's
   * `durable` fields restored. Messages in flight to a crashed process are then kept (it may
   * receive them after it restarts); without restarts they are dropped.
   */
  readonly restart?: boolean;
  /**
   * The messages a crashed process sent that are still in flight may be lost (action `drop`
   * on them), as when a crash takes the process's send buffers with it. By default they are
   * delivered.
   */
  readonly lossOnCrash?: boolean;
}

/** The roles of a system, each with its own process state type. */
export type Roles<T extends SystemTypes, PV> = {
  readonly [R in RoleName<T>]: RoleDef<T, T["roles"][R], PV>;
};

/**
 * A system: its roles, network and faults, plus every spec-level field except `init` and
 * `actions` (invariants, step properties, temporal properties, fairness, constraint, view,
 * terminal), which apply to the compiled spec's states as they are.
 */
export interface SystemDefinition<T extends SystemTypes, P extends ParamDecls> extends Omit<
  SpecDefinition<SystemState<T>, P>,
  "init" | "actions" | "terminal"
> {
  readonly roles: Roles<T, ParamValues<P>>;
  readonly network?: NetworkOptions | ((params: ParamValues<P>) => NetworkOptions);
  readonly faults?: FaultOptions | ((params: ParamValues<P>) => FaultOptions);
  /**
   * A role whose processes are interchangeable: with symmetry reduction on (`--symmetry`),
   * states that differ only by a renaming of its process ids count as one. Its ids are
   * renamed wherever they appear as whole strings in the state, so invariants must not tell
   * them apart, and processes must not treat them differently by name.
   */
  readonly symmetric?: RoleName<T>;
  /** Keep the client history (`ctx.invoke` / `ctx.respond`) in the state (default false). */
  readonly history?: boolean;
  /**
   * Envelopes that can no longer matter: delivering one, in this state or any later one, would
   * change no process state and send only obsolete envelopes (a reply to a request its client
   * has given up on, a request whose answer its sender would ignore). The layer removes them
   * after every step, so that their useless deliveries do not multiply the states. It is a
   * reduction only if that claim holds, and invariants must not look at obsolete envelopes.
   * It must depend only on the envelope and the states of its sender and receiver: after a
   * step, the layer checks the envelopes from and to the process that took it.
   */
  readonly obsolete?: (
    state: SystemState<T>,
    envelope: Envelope<T["msg"]>,
    params: ParamValues<P>,
  ) => boolean;
  /**
   * Legitimate terminal states. Default: quiescent states (nothing in flight, no crash
   * undetected), so that a state without successors is a deadlock only while work remains.
   */
  readonly terminal?: StatePredicate<SystemState<T>, ParamValues<P>>;
}

/**
 * Changes for a variant: role handlers replace the base role's by name (actions too);
 * invariants, step properties and temporal properties replace or add by name; any other field
 * replaces the base's.
 */
export type SystemChanges<T extends SystemTypes, P extends ParamDecls> = Partial<
  Omit<SystemDefinition<T, P>, "roles">
> & {
  readonly roles?: {
    readonly [R in RoleName<T>]?: Partial<RoleDef<T, T["roles"][R], ParamValues<P>>>;
  };
};
