// The spec-authoring API: a protocol is a few pure functions over immutable state values.
// The state type is written once, as `defineSpec<State>()`, and flows into every action,
// invariant and property. (It is a type argument of its own call rather than inferred from
// `init`: inferring it in the same call as the actions makes TypeScript widen string literals
// in the actions' results, so `{ ...s, phase: "done" }` would fail to type-check.)
import type { Fairness } from "../liveness/fairness.ts";
import type { TemporalProperty } from "../liveness/temporal.ts";
import type { ActionDef, Choice } from "./action.ts";
import type { ParamDecls, ParamValues } from "./params.ts";
import type { SymmetryDecl } from "../engine/symmetry.ts";

/** A state predicate (an invariant, a constraint, a terminal-state test). */
export type StatePredicate<S, PV> = (state: S, params: PV) => boolean;

/** A predicate over a step (TLA+'s action property `[][P]_v`). */
export type StepPredicate<S, PV> = (before: S, after: S, params: PV) => boolean;

export type ActionTable<S> = Readonly<Record<string, ActionDef<S>>>;

export type PropertyTable<S, PV> = Readonly<Record<string, TemporalProperty<S, PV>>>;

/**
 * Where a behaviour may stop and stutter forever: in any state ("anywhere", the default and
 * TLA+'s own semantics: only the declared fairness forces progress), or only in a state without
 * successors ("terminal": a system moves while it can, as under TLA+'s WF_vars(Next)).
 */
export type Stuttering = "terminal" | "anywhere";

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
  /**
   * Interchangeable ids (TLC's SYMMETRY), used when the check runs with `--symmetry`: states
   * that differ only by a renaming of these ids count as one. Invariants and step properties
   * must not tell such states apart; temporal properties are refused under symmetry.
   */
  readonly symmetry?: SymmetryDecl<S, ParamValues<P>>;
  /**
   * Named temporal properties: `always(p)`, `eventually(p)`, `leadsTo(p, q)`,
   * `alwaysEventually(p)`, `eventuallyAlways(p)`, checked over every fair behaviour. Predicates
   * that read the params are written in the function form, `({ rms }) => ({ ... })`: a
   * predicate nested in `eventually(...)` cannot see the params' type otherwise.
   */
  readonly properties?:
    | PropertyTable<S, ParamValues<P>>
    | ((params: ParamValues<P>) => PropertyTable<S, ParamValues<P>>);
  /**
   * Fairness assumptions on actions, by name: `weak("Deliver", { each: true })`,
   * `strong("TMCommit")`. (Names are checked when the model is built: inferring them from
   * `actions` would cost the actions their contextual state type.)
   */
  readonly fairness?: readonly Fairness[];
  /** Where a behaviour may stutter forever (default "anywhere", as TLA+); see `Stuttering`. */
  readonly stuttering?: Stuttering;
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
export type AnySpec = Spec<any, any>;

/** The state type of a spec. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- matches a spec with any params
export type StateOf<T> = T extends Spec<infer S, any> ? S : never;

/** The resolved parameter values of a spec. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- matches a spec with any state
export type ParamsOf<T> = T extends Spec<any, infer P> ? ParamValues<P> : never;

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

/** A table given as is or as a function of the params. */
function table<T, PV>(t: T | ((params: PV) => T) | undefined, params: PV): T | undefined {
  return typeof t === "function" ? (t as (params: PV) => T)(params) : t;
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
    properties: (params) => ({
      ...table(base.properties, params),
      ...table(changes.properties, params),
    }),
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
