// What a handler can do besides returning its process's next state. Handlers are pure: the
// context only records the effects, which the layer applies to the global state afterwards.
import type { Set as ImmutableSet } from "immutable";
import type { Value } from "../lincheck/index.ts";
import { timer, type Timer } from "./timer.ts";
import type { ProcessId, RoleName, SystemTypes, TimerName } from "./types.ts";

export interface Context<T extends SystemTypes, PV = unknown> {
  /** The process running the handler. */
  readonly self: ProcessId;
  /** The system's resolved params. */
  readonly params: PV;
  /** The processes of a role, in order (crashed ones included: processes cannot tell). */
  ids(role: RoleName<T>): readonly ProcessId[];
  /** Sends `msg` to `to`. */
  send(to: ProcessId, msg: T["msg"]): void;
  /** Sends `msg` to every process of a role, or to each process of a list (self included). */
  broadcast(to: RoleName<T> | readonly ProcessId[], msg: T["msg"]): void;
  /** Sets a timer of this process (no effect if it is set): its timeout may then happen. */
  setTimer(name: TimerName<T>): void;
  /** Cancels a timer of this process (no effect if it is not set). */
  cancelTimer(name: TimerName<T>): void;
  /** Whether a timer of this process is set (before this handler's own changes). */
  isTimerSet(name: TimerName<T>): boolean;
  /** Records that this client invokes `f(input)` (the system must keep a history). */
  invoke(f: string, input?: Value): void;
  /** Records that this client's pending operation returns `output`. */
  respond(output?: Value): void;
}

export type Effect =
  | { readonly kind: "send"; readonly to: ProcessId; readonly msg: unknown }
  | { readonly kind: "setTimer" | "cancelTimer"; readonly name: string }
  | { readonly kind: "invoke"; readonly f: string; readonly input: Value }
  | { readonly kind: "respond"; readonly output: Value };

/** What the context needs from the system. */
export interface ContextHost {
  readonly params: unknown;
  ids(role: string): readonly ProcessId[];
}

/** The context of one handler call: it collects the effects, in order. */
export class EffectLog implements Context<SystemTypes> {
  readonly effects: Effect[] = [];
  readonly params: unknown;

  constructor(
    readonly self: ProcessId,
    private readonly host: ContextHost,
    private readonly timers: ImmutableSet<Timer> | undefined,
  ) {
    this.params = host.params;
  }

  ids(role: string): readonly ProcessId[] {
    return this.host.ids(role);
  }

  send(to: ProcessId, msg: unknown): void {
    this.effects.push({ kind: "send", to, msg });
  }

  broadcast(to: string | readonly ProcessId[], msg: unknown): void {
    for (const id of typeof to === "string" ? this.host.ids(to) : to) this.send(id, msg);
  }

  setTimer(name: string): void {
    this.effects.push({ kind: "setTimer", name });
  }

  cancelTimer(name: string): void {
    this.effects.push({ kind: "cancelTimer", name });
  }

  isTimerSet(name: string): boolean {
    return this.timers?.has(timer(this.self, name)) ?? false;
  }

  invoke(f: string, input: Value = null): void {
    this.effects.push({ kind: "invoke", f, input });
  }

  respond(output: Value = null): void {
    this.effects.push({ kind: "respond", output });
  }
}
