// `defineSystem<T>()({...})`: declares a message-passing system and compiles it to a plain
// spec, so that every engine feature (search, traces, views, replays) works on it unchanged.
import type { ActionDef } from "../spec/action.ts";
import { defineSpec, type SPEC_BRAND, type SpecDefinition } from "../spec/define-spec.ts";
import type { ParamDecls, ParamValues } from "../spec/params.ts";
import type { Roles, SystemChanges, SystemDefinition } from "./definition.ts";
import { renameIds } from "./rename.ts";
import { SystemRuntime } from "./runtime.ts";
import type { SystemState } from "./system-state.ts";
import type { ProcessId, SystemTypes } from "./types.ts";
import type { SymmetryDecl } from "../engine/symmetry.ts";

/** A compiled system: a spec (usable wherever one is) that keeps its system definition. */
export interface System<T extends SystemTypes, P extends ParamDecls = ParamDecls> {
  readonly __protomc: typeof SPEC_BRAND;
  readonly definition: SpecDefinition<SystemState<T>, P>;
  readonly system: SystemDefinition<T, P>;
  /** Derives a variant by changing role handlers, options or properties (see SystemChanges). */
  variant(changes: SystemChanges<T, P>): System<T, P>;
}

/** The state type of a system: `type State = SystemStateOf<typeof abd>`. */
export type SystemStateOf<X> = X extends System<infer T, infer _P> ? SystemState<T> : never;

/**
 * Declares a system whose message, role-state and timer types are `T`:
 * `defineSystem<{ msg: Msg; roles: { server: Server; client: Client } }>()({ params, roles })`.
 * Handlers, invariants and the other functions get their parameter types from `T` and the
 * params, without annotations.
 */
export function defineSystem<T extends SystemTypes>(): <
  const P extends ParamDecls = Record<never, never>,
>(
  definition: SystemDefinition<T, P>,
) => System<T, P> {
  return makeSystem;
}

function makeSystem<T extends SystemTypes, P extends ParamDecls>(
  def: SystemDefinition<T, P>,
): System<T, P> {
  const spec = defineSpec<SystemState<T>>()(compile(def));
  return {
    __protomc: spec.__protomc,
    definition: spec.definition,
    system: def,
    variant: (changes) => makeSystem(mergeSystems(def, changes)),
  };
}

type LooseDefinition = SystemDefinition<SystemTypes, ParamDecls>;

function compile<T extends SystemTypes, P extends ParamDecls>(
  def: SystemDefinition<T, P>,
): SpecDefinition<SystemState<T>, P> {
  // The engine passes one frozen params object to init and to actions: build the runtime once.
  const runtimes = new WeakMap<object, SystemRuntime>();
  const runtime = (params: object): SystemRuntime => {
    let r = runtimes.get(params);
    if (r === undefined) {
      r = new SystemRuntime(def as unknown as LooseDefinition, params);
      runtimes.set(params, r);
    }
    return r;
  };
  // Everything but the system's own fields is a spec-level field, passed on as it is.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- removed from the spec fields
  const { roles, network, faults, history, obsolete, terminal, symmetric, ...specFields } = def;
  const quiescent = (s: SystemState<T>, params: object): boolean => runtime(params).quiescent(s);
  return {
    ...specFields,
    init: (params) => runtime(params).init() as unknown as SystemState<T>,
    actions: (params) =>
      runtime(params).actions() as unknown as Record<string, ActionDef<SystemState<T>>>,
    terminal: terminal ?? quiescent,
    ...(symmetric === undefined
      ? {}
      : { symmetry: symmetryOf<SystemState<T>, ParamValues<P>>(symmetric, runtime) }),
  };
}

function mergeSystems<T extends SystemTypes, P extends ParamDecls>(
  base: SystemDefinition<T, P>,
  changes: SystemChanges<T, P>,
): SystemDefinition<T, P> {
  const roles: Record<string, unknown> = { ...base.roles };
  for (const [name, change] of Object.entries(changes.roles ?? {})) {
    const role = (base.roles as Record<string, { actions?: object }>)[name];
    if (role === undefined) throw new Error(`variant: the system has no role ${name}`);
    const actions = (change as { actions?: object }).actions;
    roles[name] = {
      ...role,
      ...(change as object),
      ...(actions === undefined ? {} : { actions: { ...role.actions, ...actions } }),
    };
  }
  return {
    ...base,
    ...changes,
    roles: roles as Roles<T, ParamValues<P>>,
    invariants: { ...base.invariants, ...changes.invariants },
    stepProperties: { ...base.stepProperties, ...changes.stepProperties },
    properties: { ...base.properties, ...changes.properties },
  };
}

/** The symmetry of a role's processes: its ids, renamed throughout the state. */
function symmetryOf<S, PV>(
  role: string,
  runtime: (params: object) => SystemRuntime,
): SymmetryDecl<S, PV> {
  interface Renaming {
    readonly table: Map<string, string>;
    readonly memo: WeakMap<object, unknown>;
  }
  // One renaming table and memo per permutation of the ids (numbered in base n), shared by
  // every state.
  const renamings = new WeakMap<readonly ProcessId[], Map<number, Renaming>>();
  const decl: SymmetryDecl<S, object, ProcessId> = {
    ids: (params) => runtime(params).ids(role),
    permute: (state, rename, params) => {
      const ids = runtime(params).ids(role);
      let key = 0;
      let identity = true;
      for (let i = ids.length - 1; i >= 0; i--) {
        const target = ids.indexOf(rename(ids[i]!));
        if (target !== i) identity = false;
        key = key * ids.length + target;
      }
      if (identity) return state;
      let byKey = renamings.get(ids);
      if (byKey === undefined) {
        byKey = new Map();
        renamings.set(ids, byKey);
      }
      let renaming = byKey.get(key);
      if (renaming === undefined) {
        const table = new Map(ids.map((id) => [id, rename(id)] as const));
        renaming = { table, memo: new WeakMap() };
        byKey.set(key, renaming);
      }
      return renameIds(state, renaming.table, renaming.memo) as S;
    },
  };
  // The engine's declaration types ids as numbers by default; process ids are strings.
  return decl as unknown as SymmetryDecl<S, PV>;
}
