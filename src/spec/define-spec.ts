// The spec-authoring API: a protocol is a few pure functions over immutable state values.
// The state type is written once, as `defineSpec<State>()`, and flows into every action,
// invariant and property. (It is a type argument of its own call rather than inferred from
// `init`: inferring it in the same call as the actions makes TypeScript widen string literals
// in the actions' results, so `{ ...s, phase: "done" }` would fail to type-check.)
import type { ActionDef, Choice } from "./action.ts";
import type { ParamDecls, ParamValues } from "./params.ts";

/** A state predicate (an invariant, a constraint, a terminal-state test). */
export type StatePredicate<S, PV> = (state: S, params: PV) => boolean;

/** A predicate over a step (TLA+'s action property `[][P]_v`). */
export type StepPredicate<S, PV> = (before: S, after: S, params: PV) => boolean;

export type ActionTable<S> = Readonly<Record<string, ActionDef<S>>>;

export interface SpecDefinition<S, P extends ParamDecls> {
  /** Shown in reports; defaults to the export name. */
  readonly name?: string;
  /** Typed parameters with defaults (TLA+ CONSTANTS). */
  readonly params?: P;
  /** The initial state, or several with `oneOf(...)`. Its return type is the state type. */
  readonly init: (params: ParamValues<P>) => S | Choice<S>;
  /** Named actions (the disjuncts of Next), or a function of the params that returns them. */
  readonly actions: ActionTable<S> | ((params: ParamValues<P>) => ActionTable<S>);
  /** Named state invariants, checked on every reachable state. */
  readonly invariants?: Readonly<Record<string, StatePredicate<S, ParamValues<P>>>>;
  /** Named step properties over (before, after), checked on every step. */
  readonly stepProperties?: Readonly<Record<string, StepPredicate<S, ParamValues<P>>>>;
  /**
   * State constraint (TLC's CONSTRAINT): a state outside it is still checked against the
   * invariants but not expanded.
   */
  readonly constraint?: StatePredicate<S, ParamValues<P>>;
  /** What is fingerprinted (TLC's VIEW): states with equal views are the same state. */
  readonly view?: (state: S, params: ParamValues<P>) => unknown;
  /** Legitimate terminal states: a state without successors that is not a deadlock. */
  readonly terminal?: StatePredicate<S, ParamValues<P>>;
}

/** Marks a spec object so that a module's exports can be told apart from other values. */
export const SPEC_BRAND = "protomc.spec/1";

export interface Spec<S, P extends ParamDecls = ParamDecls> {
  readonly __protomc: typeof SPEC_BRAND;
  readonly definition: SpecDefinition<S, P>;
  /**
   * Derives a variant (a named export that should violate a property). Actions, invariants
   * and step properties in `changes` replace or add to this spec's by name, keeping their
   * order; every other field given replaces this spec's.
   */
  variant(changes: Partial<SpecDefinition<S, P>>): Spec<S, P>;
}

/** Any spec, whatever its state type (for loaders and tools). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the state type is erased at this boundary
export type AnySpec = Spec<any, ParamDecls>;

/** The state type of a spec. */
export type StateOf<T> = T extends Spec<infer S, ParamDecls> ? S : never;

/** The resolved parameter values of a spec. */
export type ParamsOf<T> = T extends Spec<unknown, infer P> ? ParamValues<P> : never;

/**
 * Declares a spec whose state type is `S`:
 * `export default defineSpec<State>()({ params, init, actions, invariants })`.
 * The default export of a spec file is the protocol as it should be.
 */
export function defineSpec<S>(): <const P extends ParamDecls = Record<never, never>>(
  definition: SpecDefinition<S, P>,
) => Spec<S, P> {
  return makeSpec;
}

function makeSpec<S, P extends ParamDecls>(definition: SpecDefinition<S, P>): Spec<S, P> {
  return {
    __protomc: SPEC_BRAND,
    definition,
    variant: (changes) => makeSpec(mergeDefinitions(definition, changes)),
  };
}

function actionTable<S, P extends ParamDecls>(
  actions: SpecDefinition<S, P>["actions"] | undefined,
  params: ParamValues<P>,
): ActionTable<S> {
  if (actions === undefined) return {};
  return typeof actions === "function" ? actions(params) : actions;
}

function mergeDefinitions<S, P extends ParamDecls>(
  base: SpecDefinition<S, P>,
  changes: Partial<SpecDefinition<S, P>>,
): SpecDefinition<S, P> {
  return {
    ...base,
    ...changes,
    actions: (params) => ({
      ...actionTable(base.actions, params),
      ...actionTable(changes.actions, params),
    }),
    invariants: { ...base.invariants, ...changes.invariants },
    stepProperties: { ...base.stepProperties, ...changes.stepProperties },
  };
}

export function isSpec(v: unknown): v is AnySpec {
  return (
    typeof v === "object" &&
    v !== null &&
    (v as { __protomc?: unknown }).__protomc === SPEC_BRAND &&
    typeof (v as { definition?: unknown }).definition === "object"
  );
}
