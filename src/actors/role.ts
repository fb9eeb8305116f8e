// A role: the state machine that every process of the role runs.
import type { Context } from "./context.ts";
import type { ProcessId, SystemTypes, TimerName } from "./types.ts";

/**
 * The processes of a role and their state machine, with state type `S`. Handlers return the
 * process's next state; `onMessage`, `onTimeout`, `onCrash` and actions may return null to say
 * the event cannot happen now (the message stays in flight, the timer stays set).
 */
export interface RoleDef<T extends SystemTypes, S, PV> {
  /** How many processes (default 1); their ids are `prefix` followed by 1, 2, ... */
  readonly count?: number | ((params: PV) => number);
  /** The id prefix (default: the role name). */
  readonly prefix?: string;
  /** Explicit ids instead of `count` and `prefix`. */
  readonly ids?: readonly ProcessId[] | ((params: PV) => readonly ProcessId[]);
  /** The initial state of process `id`, the `index`-th (from 0) of its role. */
  readonly init: (id: ProcessId, index: number, params: PV) => S;
  /** Runs once in the initial state, after every process was created. */
  readonly onStart?: (state: S, ctx: Context<T, PV>) => S;
  readonly onMessage?: (state: S, from: ProcessId, msg: T["msg"], ctx: Context<T, PV>) => S | null;
  readonly onTimeout?: (state: S, timer: TimerName<T>, ctx: Context<T, PV>) => S | null;
  /**
   * Messages a process of this role ignores in `state` and in every state it can reach from
   * it (`onMessage` would return the state unchanged and do nothing): the receiver's side of
   * the system's `obsolete`, and removed from the network in the same way.
   */
  readonly stale?: (state: S, from: ProcessId, msg: T["msg"]) => boolean;
  /**
   * Makes the role's processes watch for crashes (a perfect failure detector): after a
   * process crashes, the event `detect(watcher, crashed)` runs this handler on each watcher.
   */
  readonly onCrash?: (state: S, crashed: ProcessId, ctx: Context<T, PV>) => S | null;
  /**
   * Spontaneous steps of a process (a client starting an operation). Each becomes a spec
   * action of that name over the role's processes: `read(c1)`.
   */
  readonly actions?: { readonly [name: string]: (state: S, ctx: Context<T, PV>) => S | null };
  /**
   * The fields that survive a crash, for systems whose faults allow restarts: a restarted
   * process starts from its initial state with these fields restored.
   */
  readonly durable?: readonly (keyof S)[];
  /** Runs when a process restarts (default: `onStart`). */
  readonly onRestart?: (state: S, ctx: Context<T, PV>) => S;
}
