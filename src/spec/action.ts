// What an action returns, and the helpers that give actions a parameter domain
// (TLA+'s `\E x \in S : A(x)`) or several successors.

/** Several successor states from one action instance. */
export class Choice<S> {
  // A brand rather than instanceof: a spec may load its own copy of this module.
  readonly __protomcChoice = true;
  constructor(readonly states: readonly S[]) {}
}

export function isChoice<S>(r: unknown): r is Choice<S> {
  return (r as { __protomcChoice?: unknown }).__protomcChoice === true;
}

/** An action's result: a successor, several (`oneOf`), or none (null, undefined or false). */
export type Next<S> = S | Choice<S> | null | undefined | false;

/** Returns several successor states from one action instance (a nondeterministic choice). */
export function oneOf<S>(...states: readonly S[]): Choice<S> {
  return new Choice(states);
}

/** A domain: fixed values, or values computed from the current state. */
export type Domain<S, X> = Iterable<X> | ((state: S) => Iterable<X>);

export interface DomainAction<S, X> {
  readonly over: Domain<S, X>;
  readonly step: (state: S, x: X) => Next<S>;
  /** How an instance's argument reads in a step label (default: the formatted value). */
  readonly label?: (x: X) => string;
}

/** An action: a function of the state, or one instance per element of a domain. */
export type ActionDef<S> =
  | ((state: S) => Next<S>)
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each action has its own element type
  | DomainAction<S, any>;

/**
 * An action with one instance per element of `over`; its step label is `Name(x)`, or
 * `Name(label(x))` with a `label` option. `over` is a list of values, or a function of the
 * state (for example the messages in flight).
 */
export function forEach<S, X>(
  over: Domain<S, X>,
  step: (state: S, x: X) => Next<S>,
  options: { readonly label?: (x: X) => string } = {},
): DomainAction<S, X> {
  return options.label === undefined ? { over, step } : { over, step, label: options.label };
}

/** The integers 0..n-1, a common domain for process ids. */
export function range(n: number): readonly number[] {
  return Array.from({ length: n }, (_, i) => i);
}
