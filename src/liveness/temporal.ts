// Temporal properties over state predicates (TLA+'s PROPERTY), as values a spec lists under
// `properties`. Each is read over infinite behaviours: a state without successors stutters
// forever, so `eventually(p)` fails on a run that stops before p holds.

/** A state predicate as a property sees it: the state and the spec's params. */
export type TemporalPredicate<S, PV> = (state: S, params: PV) => boolean;

export type TemporalForm =
  "always" | "eventually" | "leadsTo" | "alwaysEventually" | "eventuallyAlways";

/** A temporal property; build one with `always`, `eventually`, `leadsTo`, ... */
export interface TemporalProperty<S, PV> {
  readonly __protomcTemporal: TemporalForm;
  readonly form: TemporalForm;
  readonly p: TemporalPredicate<S, PV>;
  /** The second predicate of `leadsTo(p, q)`; null for the other forms. */
  readonly q: TemporalPredicate<S, PV> | null;
}

function make<S, PV>(
  form: TemporalForm,
  p: TemporalPredicate<S, PV>,
  q: TemporalPredicate<S, PV> | null = null,
): TemporalProperty<S, PV> {
  return { __protomcTemporal: form, form, p, q };
}

/** `[]p`: p holds in every reachable state (checked as an invariant, during the search). */
export function always<S, PV>(p: TemporalPredicate<S, PV>): TemporalProperty<S, PV> {
  return make("always", p);
}

/** `<>p`: every fair behaviour reaches a state where p holds. */
export function eventually<S, PV>(p: TemporalPredicate<S, PV>): TemporalProperty<S, PV> {
  return make("eventually", p);
}

/** `p ~> q`: whenever p holds, q holds then or later (`[](p => <>q)`). */
export function leadsTo<S, PV>(
  p: TemporalPredicate<S, PV>,
  q: TemporalPredicate<S, PV>,
): TemporalProperty<S, PV> {
  return make("leadsTo", p, q);
}

/** `[]<>p`: p holds infinitely often (a terminal state stutters, so p must hold there). */
export function alwaysEventually<S, PV>(p: TemporalPredicate<S, PV>): TemporalProperty<S, PV> {
  return make("alwaysEventually", p);
}

/** `<>[]p`: from some point on, p holds forever. */
export function eventuallyAlways<S, PV>(p: TemporalPredicate<S, PV>): TemporalProperty<S, PV> {
  return make("eventuallyAlways", p);
}

export function isTemporalProperty(v: unknown): v is TemporalProperty<unknown, unknown> {
  return (
    typeof v === "object" &&
    v !== null &&
    typeof (v as { __protomcTemporal?: unknown }).__protomcTemporal === "string" &&
    typeof (v as { p?: unknown }).p === "function"
  );
}

/** TLA+ notation of a form, for reports. */
export const FORM_TEXT: Readonly<Record<TemporalForm, string>> = {
  always: "[]p",
  eventually: "<>p",
  leadsTo: "p ~> q",
  alwaysEventually: "[]<>p",
  eventuallyAlways: "<>[]p",
};
