// Fairness assumptions (TLA+'s WF_vars / SF_vars) on a spec's actions, by name. An action
// instance is "taken" by a step of it that changes the state, and "enabled" in a state where
// it has such a step (TLA+'s ENABLED <<A>>_vars): a step that returns the same state is a
// stutter and counts for neither.

export type FairnessKind = "weak" | "strong";

export interface FairnessOptions {
  /**
   * One assumption per instance of the action (one per element of its domain, told apart by
   * fingerprint): `\A x : WF_vars(A(x))`. Without it the action is fair as a whole,
   * `WF_vars(\E x : A(x))`, which only promises that some instance is taken.
   */
  readonly each?: boolean;
}

/** A fairness assumption on the action named `A` (the spec's action names are checked). */
export interface Fairness<A extends string = string> {
  readonly __protomcFairness: FairnessKind;
  readonly kind: FairnessKind;
  readonly action: A;
  readonly each: boolean;
}

/**
 * Weak fairness: an action (instance) that stays enabled forever is eventually taken.
 * `weak("Deliver", { each: true })` makes every instance (every message) weakly fair.
 */
export function weak<const A extends string>(
  action: A,
  options: FairnessOptions = {},
): Fairness<A> {
  return { __protomcFairness: "weak", kind: "weak", action, each: options.each === true };
}

/** Strong fairness: an action (instance) enabled infinitely often is eventually taken. */
export function strong<const A extends string>(
  action: A,
  options: FairnessOptions = {},
): Fairness<A> {
  return { __protomcFairness: "strong", kind: "strong", action, each: options.each === true };
}

/** `WF(A)` / `SF(A(each))` for reports. */
export function formatFairness(f: {
  readonly kind: FairnessKind;
  readonly action: string;
  readonly each: boolean;
}): string {
  const k = f.kind === "weak" ? "WF" : "SF";
  return f.each ? `${k}(${f.action}(x)) for each x` : `${k}(${f.action})`;
}
