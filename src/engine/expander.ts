// Successor generation: runs every action instance of the model on a state, in a fixed order
// (actions in declaration order, domain elements in domain order, choices in order). That order
// is what makes a successor's ordinal a stable address for trace reconstruction.
import { isChoice, type Next } from "../spec/action.ts";
import type { Model } from "../spec/model.ts";
import { specCallError } from "./spec-call-error.ts";

const NO_ARG: unique symbol = Symbol("no argument");

export class Expander<S> {
  /** The action being run (for error messages and labels). */
  actionIndex = -1;
  /** The domain element being run, or NO_ARG. */
  arg: unknown = NO_ARG;

  constructor(private readonly model: Model<S>) {}

  /**
   * Calls `emit` for every successor of `state`; returns how many there were. User code may
   * throw: `actionIndex`/`arg` then say which action instance did. `after`, if given, is called
   * after each action instance has run (with `actionIndex`/`arg` still naming it).
   */
  expand(state: S, emit: (next: S) => void, after?: () => void): number {
    let n = 0;
    const actions = this.model.actions;
    for (let a = 0; a < actions.length; a++) {
      const action = actions[a]!;
      this.actionIndex = a;
      const domain = action.domain;
      if (domain === null) {
        this.arg = NO_ARG;
        n += emitAll(action.step(state, undefined), emit);
        if (after !== undefined) after();
      } else if (typeof domain === "function") {
        for (const x of domain(state)) {
          this.arg = x;
          n += emitAll(action.step(state, x), emit);
          if (after !== undefined) after();
        }
      } else {
        for (let i = 0; i < domain.length; i++) {
          const x = domain[i];
          this.arg = x;
          n += emitAll(action.step(state, x), emit);
          if (after !== undefined) after();
        }
      }
    }
    this.actionIndex = -1;
    this.arg = NO_ARG;
    return n;
  }

  /** The label of the action instance being run: `Name` or `Name(arg)`. */
  label(format: (v: unknown) => string): string {
    const action = this.model.actions[this.actionIndex];
    if (action === undefined) return "Init";
    if (this.arg === NO_ARG) return action.name;
    if (action.label === null) return `${action.name}(${format(this.arg)})`;
    let text: string;
    try {
      text = action.label(this.arg);
    } catch (e) {
      throw specCallError(`the label of action ${action.name}(${format(this.arg)})`, e);
    }
    return `${action.name}(${text})`;
  }
}

function emitAll<S>(r: Next<S>, emit: (next: S) => void): number {
  if (r === null || r === undefined || r === false) return 0;
  if (isChoice<S>(r)) {
    const states = r.states;
    for (let i = 0; i < states.length; i++) emit(states[i]!);
    return states.length;
  }
  emit(r);
  return 1;
}

/** The initial states of a model, in order. */
export function initialStates<S>(model: Model<S>): S[] {
  const r = model.init();
  if (r === null || r === undefined || r === false) return [];
  if (isChoice<S>(r)) return [...r.states];
  return [r];
}
