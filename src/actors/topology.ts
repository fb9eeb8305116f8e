// A system instantiated with resolved params: its processes, by role and id, and the options
// its steps follow. The steps themselves are in steps.ts, fault-steps.ts and commit.ts.
import type { Map as ImmutableMap } from "immutable";
import type { ParamDecls } from "../spec/params.ts";
import { EffectLog, type ContextHost } from "./context.ts";
import type { FaultOptions, SystemDefinition } from "./definition.ts";
import type { Envelope } from "./envelope.ts";
import { networkKind, type NetworkKind, type NetworkOptions } from "./network.ts";
import type { SystemState } from "./system-state.ts";
import type { ProcessId, SystemTypes } from "./types.ts";

export type State = SystemState<SystemTypes>;
export type Procs = Readonly<Record<string, ImmutableMap<ProcessId, unknown>>>;
type Handler<A extends unknown[]> = (state: unknown, ...rest: [...A, EffectLog]) => unknown;

/** A role with its types erased (the runtime handles every role alike). */
export interface LooseRole {
  readonly count?: number | ((params: unknown) => number);
  readonly prefix?: string;
  readonly ids?: readonly ProcessId[] | ((params: unknown) => readonly ProcessId[]);
  readonly init: (id: ProcessId, index: number, params: unknown) => unknown;
  readonly onStart?: Handler<[]>;
  readonly onMessage?: Handler<[ProcessId, unknown]>;
  readonly onTimeout?: Handler<[string]>;
  readonly onCrash?: Handler<[ProcessId]>;
  readonly stale?: (state: unknown, from: ProcessId, msg: unknown) => boolean;
  readonly actions?: Readonly<Record<string, Handler<[]>>>;
  readonly durable?: readonly string[];
  readonly onRestart?: Handler<[]>;
}

export interface RoleRuntime {
  readonly name: string;
  readonly def: LooseRole;
  readonly ids: readonly ProcessId[];
}

function resolve<X>(v: X | ((params: unknown) => X) | undefined, params: unknown): X | undefined {
  return typeof v === "function" ? (v as (p: unknown) => X)(params) : v;
}

export class Topology implements ContextHost {
  readonly roles: readonly RoleRuntime[];
  private readonly roleOf = new Map<ProcessId, RoleRuntime>();
  private readonly indexOf = new Map<ProcessId, number>();
  private readonly idsOf = new Map<string, readonly ProcessId[]>();
  readonly network: NetworkOptions;
  readonly net: NetworkKind;
  readonly maxCrashed: number;
  readonly crashable: readonly ProcessId[];
  readonly restarts: boolean;
  readonly lossOnCrash: boolean;
  readonly usesTimers: boolean;
  readonly watchesCrashes: boolean;
  readonly keepsHistory: boolean;
  /** The system's `obsolete` and the roles' `stale` as one predicate, if there are any. */
  readonly obsolete: ((s: State, e: Envelope) => boolean) | undefined;

  constructor(
    def: SystemDefinition<SystemTypes, ParamDecls>,
    readonly params: unknown,
  ) {
    this.roles = Object.entries(def.roles as Record<string, LooseRole>).map(([name, role]) => {
      const given = resolve(role.ids, params);
      const count = resolve(role.count, params) ?? 1;
      const prefix = role.prefix ?? name;
      const ids = given ?? Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
      return { name, def: role, ids };
    });
    for (const role of this.roles) {
      this.idsOf.set(role.name, role.ids);
      role.ids.forEach((id, i) => {
        if (this.roleOf.has(id)) throw new Error(`process id ${id} is used twice`);
        this.roleOf.set(id, role);
        this.indexOf.set(id, i);
      });
    }
    const loose = def as { network?: unknown; faults?: unknown };
    this.network = resolve(loose.network as NetworkOptions | undefined, params) ?? {};
    this.net = networkKind(this.network);
    const faults = resolve(loose.faults as FaultOptions | undefined, params) ?? {};
    this.maxCrashed = faults.crashes ?? 0;
    this.crashable = this.crashableIds(faults.crashable);
    this.restarts = this.maxCrashed > 0 && faults.restart === true;
    this.lossOnCrash = this.maxCrashed > 0 && faults.lossOnCrash === true;
    this.usesTimers = this.roles.some((r) => r.def.onTimeout !== undefined);
    this.watchesCrashes =
      this.maxCrashed > 0 && this.roles.some((r) => r.def.onCrash !== undefined);
    this.keepsHistory = def.history === true;
    this.obsolete = this.obsoletePredicate(def.obsolete);
  }

  private obsoletePredicate(
    obsolete: SystemDefinition<SystemTypes, ParamDecls>["obsolete"],
  ): ((s: State, e: Envelope) => boolean) | undefined {
    const params = this.params as never;
    if (!this.roles.some((r) => r.def.stale !== undefined)) {
      return obsolete === undefined ? undefined : (s, e) => obsolete(s, e, params);
    }
    return (s, e) => {
      const role = this.role(e.to);
      const stale = role.def.stale;
      if (stale !== undefined) {
        const st = this.stateOf(s, role, e.to);
        if (st !== undefined && stale(st, e.from, e.msg)) return true;
      }
      return obsolete !== undefined && obsolete(s, e, params);
    };
  }

  private crashableIds(names: readonly string[] | undefined): readonly ProcessId[] {
    if (names === undefined) return this.roles.flatMap((r) => r.ids);
    return names.flatMap((n) => {
      const ids = this.idsOf.get(n) ?? (this.roleOf.has(n) ? [n] : undefined);
      if (ids === undefined) throw new Error(`crashable: ${n} is neither a role nor a process`);
      return ids;
    });
  }

  ids(role: string): readonly ProcessId[] {
    const ids = this.idsOf.get(role);
    if (ids === undefined) throw new Error(`unknown role ${role}`);
    return ids;
  }

  role(id: ProcessId): RoleRuntime {
    const role = this.roleOf.get(id);
    if (role === undefined) throw new Error(`unknown process ${id}`);
    return role;
  }

  /** The position of a process in its role (from 0). */
  index(id: ProcessId): number {
    return this.indexOf.get(id)!;
  }

  /** The state of a live process (undefined if it crashed). */
  stateOf(s: State, role: RoleRuntime, id: ProcessId): unknown {
    return (s.procs as Procs)[role.name]!.get(id);
  }

  /** The context of a handler run by process `id` in state `s`. */
  context(id: ProcessId, s: State): EffectLog {
    return new EffectLog(id, this, s.timers);
  }
}
