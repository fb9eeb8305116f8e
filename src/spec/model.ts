// A spec instantiated with resolved params: the plain form the engine runs. Building it runs
// the spec's `actions(params)` once, so per-state work never re-creates domains or closures.
import { SpecError } from "../errors/spec-error.ts";
import type { Next } from "./action.ts";
import type { AnySpec } from "./define-spec.ts";
import { resolveParams, type ParamValue } from "./params.ts";

export interface ModelAction<S> {
  readonly name: string;
  /** Fixed domain values, a function of the state, or null for an action without a domain. */
  readonly domain: readonly unknown[] | ((state: S) => Iterable<unknown>) | null;
  readonly step: (state: S, x: unknown) => Next<S>;
}

export interface NamedStatePredicate<S> {
  readonly name: string;
  readonly test: (state: S) => boolean;
}

export interface NamedStepPredicate<S> {
  readonly name: string;
  readonly test: (before: S, after: S) => boolean;
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
  /** Runs the spec's init. */
  init(): Next<S>;
}

function isIterable(v: unknown): v is Iterable<unknown> {
  return typeof v === "object" && v !== null && Symbol.iterator in v;
}

function compileAction<S>(name: string, def: unknown): ModelAction<S> {
  if (typeof def === "function") {
    const fn = def as (s: S) => Next<S>;
    return { name, domain: null, step: (s) => fn(s) };
  }
  if (typeof def === "object" && def !== null && "step" in def && "over" in def) {
    const { over, step } = def;
    if (typeof step !== "function")
      throw new SpecError("PMC006", `action ${name}: step must be a function`);
    if (typeof over === "function") {
      return {
        name,
        domain: over as (s: S) => Iterable<unknown>,
        step: step as ModelAction<S>["step"],
      };
    }
    if (isIterable(over)) {
      // Materialised once: an immutable Set or a generator is iterated per state otherwise.
      return { name, domain: Array.from(over), step: step as ModelAction<S>["step"] };
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
  spec: AnySpec,
  givenParams: Readonly<Record<string, ParamValue>> = {},
  source: SpecSource | null = null,
  name?: string,
): Model<S> {
  const def = spec.definition;
  const params = Object.freeze(resolveParams(def.params ?? {}, givenParams));
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
    init: () => init(params),
  };
}
