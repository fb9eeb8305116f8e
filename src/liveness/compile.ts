// Turns a spec's `properties` and `fairness` into the model's plain form: predicates bound to
// the params, action names resolved to indices, and `always(p)` split off as an invariant.
import { SpecError } from "../errors/spec-error.ts";
import type {
  ModelAction,
  ModelFairness,
  ModelProperty,
  NamedStatePredicate,
} from "../spec/model.ts";
import { isTemporalProperty, type TemporalProperty } from "./temporal.ts";

export interface CompiledProperties<S> {
  readonly properties: ModelProperty<S>[];
  readonly invariants: NamedStatePredicate<S>[];
}

export function compileProperties<S>(given: unknown, params: unknown): CompiledProperties<S> {
  const defs: unknown =
    typeof given === "function" ? (given as (p: unknown) => unknown)(params) : given;
  if (defs !== undefined && (typeof defs !== "object" || defs === null))
    throw new SpecError("PMC006", "properties must be an object of named temporal properties");
  const properties: ModelProperty<S>[] = [];
  const invariants: NamedStatePredicate<S>[] = [];
  // One bound function per spec function, so a predicate shared by properties is evaluated
  // (and stored per state) once.
  const bound = new Map<unknown, (s: S) => boolean>();
  const bind = (f: unknown): ((s: S) => boolean) => {
    let b = bound.get(f);
    if (b === undefined) {
      const g = f as (s: S, p: unknown) => boolean;
      b = (s) => g(s, params);
      bound.set(f, b);
    }
    return b;
  };
  for (const [name, def] of Object.entries(defs ?? {})) {
    if (!isTemporalProperty(def) || (def.form === "leadsTo" && typeof def.q !== "function")) {
      throw new SpecError(
        "PMC006",
        `property ${name} is not a temporal property`,
        "Build properties with always(p), eventually(p), leadsTo(p, q), alwaysEventually(p) " +
          "or eventuallyAlways(p) from protomc.",
      );
    }
    const t = def as TemporalProperty<S, unknown>;
    if (t.form === "always") {
      invariants.push({ name, test: bind(t.p) });
      continue;
    }
    properties.push({
      name,
      form: t.form,
      p: bind(t.p),
      q: t.form === "leadsTo" && t.q !== null ? bind(t.q) : null,
      pName: t.p.name,
      qName: t.q?.name ?? "",
    });
  }
  return { properties, invariants };
}

export function compileFairness<S>(
  defs: readonly unknown[] | undefined,
  actions: readonly ModelAction<S>[],
): ModelFairness[] {
  if (defs === undefined) return [];
  if (!Array.isArray(defs))
    throw new SpecError("PMC006", 'fairness must be a list: [weak("A"), strong("B")]');
  const out: ModelFairness[] = [];
  const seen = new Set<string>();
  for (const f of defs) {
    const { kind, action, each } = (f ?? {}) as {
      kind?: unknown;
      action?: unknown;
      each?: unknown;
    };
    if ((kind !== "weak" && kind !== "strong") || typeof action !== "string") {
      throw new SpecError(
        "PMC006",
        "a fairness assumption must be built with weak(name) or strong(name)",
      );
    }
    const index = actions.findIndex((a) => a.name === action);
    if (index < 0) {
      throw new SpecError(
        "PMC006",
        `fairness ${kind}("${action}") names no action of the spec`,
        `The actions are: ${actions.map((a) => a.name).join(", ")}.`,
      );
    }
    // Instances of an action without a domain are the action itself.
    const perInstance = each === true && actions[index]!.domain !== null;
    const key = `${kind}/${index}/${perInstance}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ kind, action: index, each: perInstance });
  }
  return out;
}
