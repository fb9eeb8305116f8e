// A spec instantiated with resolved params: the plain form the engine runs. Building it runs
// the spec's `actions(params)` once, so per-state work never re-creates domains or closures.
import { SpecError } from "../errors/spec-error.ts";
import { compileFairness, compileProperties } from "../liveness/compile.ts";
import type { FairnessKind } from "../liveness/fairness.ts";
import type { TemporalForm } from "../liveness/temporal.ts";
import type { Next } from "./action.ts";
import type { SymmetryDecl } from "../engine/symmetry.ts";
import type { Spec, Stuttering } from "./define-spec.ts";
import { resolveParams, type ParamDecls, type ParamValue } from "./params.ts";

export interface ModelAction<S> {
  readonly name: string;
  /** Fixed domain values, a function of the state, or null for an action without a domain. */
  readonly domain: readonly unknown[] | ((state: S) => Iterable<unknown>) | null;
  readonly step: (state: S, x: unknown) => Next<S>;
  /** Formats a domain element for the step label, or null for the default formatting. */
  readonly label: ((x: unknown) => string) | null;
}

export interface NamedStatePredicate<S> {
  readonly name: string;
  readonly test: (state: S) => boolean;
}

export interface NamedStepPredicate<S> {
  readonly name: string;
  readonly test: (before: S, after: S) => boolean;
}

/** A temporal property other than `always` (which is checked as an invariant). */
export interface ModelProperty<S> {
  readonly name: string;
  readonly form: Exclude<TemporalForm, "always">;
  readonly p: (state: S) => boolean;
  /** `q` of `leadsTo(p, q)`, else null. A predicate shared by properties is one function. */
  readonly q: ((state: S) => boolean) | null;
  /** The names of the spec's predicate functions ("" for anonymous ones), for reports. */
  readonly pName?: string;
  readonly qName?: string;
}

/** A fairness assumption on the action at `action` (an index into `Model.actions`). */
export interface ModelFairness {
  readonly kind: FairnessKind;
  readonly action: number;
  /** One assumption per instance (domain element) of the action. */
  readonly each: boolean;
}

/** Where a spec came from, so a trace or a worker can load it again. */
export interface SpecSource {
  readonly path: string;
  readonly exportName: string;
}

export interface Model<S> {
  readonly name: string;
  readonly source: SpecSource | null;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly actions: readonly ModelAction<S>[];
  readonly invariants: readonly NamedStatePredicate<S>[];
  readonly stepProperties: readonly NamedStepPredicate<S>[];
  readonly constraint: ((state: S) => boolean) | null;
  readonly view: ((state: S) => unknown) | null;
  readonly terminal: ((state: S) => boolean) | null;
  /** The spec's symmetry declaration, applied only when a check asks for it. */
  readonly symmetry: SymmetryDecl<S, Readonly<Record<string, ParamValue>>> | null;
  /** Temporal properties checked on the state graph (absent: none). */
  readonly properties?: readonly ModelProperty<S>[];
  readonly fairness?: readonly ModelFairness[];
  /** Where a behaviour may stutter forever (absent: "terminal"). */
  readonly stuttering?: Stuttering;
  /** Runs the spec's init. */
  init(): Next<S>;
}

/**
 * The model without its temporal properties (and the fairness they are judged under): its
 * invariants, step properties and deadlock are checked, by a search that can then run on
 * workers, save checkpoints and reduce by symmetry.
 */
export function withoutTemporalProperties<S>(model: Model<S>): Model<S> {
  return { ...model, properties: [], fairness: [] };
}

function isIterable(v: unknown): v is Iterable<unknown> {
  return typeof v === "object" && v !== null && Symbol.iterator in v;
}

function compileAction<S>(name: string, def: unknown): ModelAction<S> {
  if (typeof def === "function") {
    const fn = def as (s: S) => Next<S>;
    return { name, domain: null, step: (s) => fn(s), label: null };
  }
  if (typeof def === "object" && def !== null && "step" in def && "over" in def) {
    const { over, step } = def;
    const label: unknown = (def as { label?: unknown }).label;
    if (label !== undefined && typeof label !== "function")
      throw new SpecError("PMC006", `action ${name}: label must be a function of the element`);
    const labelFn = (label as ((x: unknown) => string) | undefined) ?? null;
    if (typeof step !== "function")
      throw new SpecError("PMC006", `action ${name}: step must be a function`);
    if (typeof over === "function") {
      return {
        name,
        domain: over as (s: S) => Iterable<unknown>,
        step: step as ModelAction<S>["step"],
        label: labelFn,
      };
    }
    if (isIterable(over)) {
      // Materialised once: an immutable Set or a generator is iterated per state otherwise.
      return {
        name,
        domain: Array.from(over),
        step: step as ModelAction<S>["step"],
        label: labelFn,
      };
    }
    throw new SpecError(
      "PMC006",
      `action ${name}: over must be iterable or a function of the state`,
    );
  }
  throw new SpecError(
    "PMC006",
    `action ${name} must be a function of the state or forEach(domain, step)`,
  );
}

function bind1<S>(
  params: Readonly<Record<string, ParamValue>>,
  fn: ((s: S, p: never) => unknown) | undefined,
): ((s: S) => never) | null {
  if (fn === undefined) return null;
  const f = fn as (s: S, p: unknown) => never;
  return (s) => f(s, params);
}

/**
 * Instantiates a spec with the given params (unknown names and bad values are rejected with
 * a ParamError listing the valid ones).
 */
export function buildModel<S>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- params are checked at run time
  spec: Spec<S, any>,
  givenParams: Readonly<Record<string, ParamValue>> = {},
  source: SpecSource | null = null,
  name?: string,
): Model<S> {
  const def = spec.definition;
  const decls: ParamDecls = (def.params as ParamDecls | undefined) ?? {};
  const params = Object.freeze(resolveParams(decls, givenParams));
  const table: unknown =
    typeof def.actions === "function"
      ? (def.actions as (p: unknown) => unknown)(params)
      : def.actions;
  if (typeof table !== "object" || table === null)
    throw new SpecError("PMC006", "actions must be an object of named actions");
  const actions = Object.entries(table).map(([n, d]) => compileAction<S>(n, d));
  if (actions.length > 0xffff)
    throw new SpecError("PMC006", "a spec may have at most 65535 actions");
  const invariants = Object.entries(def.invariants ?? {}).map(([n, f]) => ({
    name: n,
    test: (s: S) => (f as (s: S, p: unknown) => boolean)(s, params),
  }));
  const stepProperties = Object.entries(def.stepProperties ?? {}).map(([n, f]) => ({
    name: n,
    test: (a: S, b: S) => (f as (a: S, b: S, p: unknown) => boolean)(a, b, params),
  }));
  // `always(p)` is an invariant: it is checked during the search, with a shortest trace.
  const temporal = compileProperties<S>(def.properties, params);
  invariants.push(...temporal.invariants);
  const fairness = compileFairness(def.fairness, actions);
  if (
    def.stuttering !== undefined &&
    def.stuttering !== "terminal" &&
    def.stuttering !== "anywhere"
  )
    throw new SpecError("PMC006", `stuttering must be "terminal" or "anywhere"`);
  const init = def.init as (p: unknown) => Next<S>;
  return {
    name: def.name ?? name ?? source?.exportName ?? "spec",
    source,
    params,
    actions,
    invariants,
    stepProperties,
    constraint: bind1<S>(params, def.constraint),
    view: bind1<S>(params, def.view),
    terminal: bind1<S>(params, def.terminal),
    symmetry: (def.symmetry as Model<S>["symmetry"] | undefined) ?? null,
    properties: temporal.properties,
    fairness,
    stuttering: def.stuttering ?? "anywhere",
    init: () => init(params),
  };
}
