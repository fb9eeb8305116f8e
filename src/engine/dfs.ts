// Depth-first search with an optional depth bound. A bounded search that skipped every state
// it had seen would miss states first met at the bound and later reachable by a shorter path,
// so a state's depth is kept and a state reached again by a shorter path is explored again.
import type { CheckResult, IncompleteReason, ViolationKind } from "./result.ts";
import type { SearchContext } from "./search-context.ts";
import { NO_PARENT } from "./state-records.ts";
import { MemoryExhausted } from "./memory.ts";
import { Pacer } from "./pacer.ts";
import { mutationError } from "./mutation-check.ts";

interface Frame<S> {
  readonly state: S;
  readonly id: number;
  readonly depth: number;
  readonly successors: S[];
  next: number;
}

interface Found {
  readonly property: string;
  readonly kind: ViolationKind;
  readonly id: number;
  readonly step: { readonly label: string; readonly state: unknown } | null;
}

export async function dfs<S>(ctx: SearchContext<S>): Promise<CheckResult<S>> {
  const { seen, records } = ctx;
  const fp = ctx.fp;
  const pacer = new Pacer(ctx);
  let depths = new Uint32Array(1 << 16);
  const stack: Frame<S>[] = [];
  let found: Found | null = null;
  let incomplete: IncompleteReason | null = null;
  // How many states are at the bound by their shortest known path: a state first met at the
  // bound and later reached by a shorter path does not make the search incomplete.
  let atBound = 0;
  let current = -1;
  let ticks = 0;

  // Visits `state` at `depth` via (parent, ordinal): returns a frame to push, or null.
  const visit = (state: S, depth: number, parent: number, ordinal: number): Frame<S> | null => {
    ctx.fingerprint(state);
    const hi = fp[0]!;
    const lo = fp[1]!;
    const known = seen.getOrAdd(hi, lo, records.size);
    let id: number;
    if (known === -1) {
      id = records.push(parent, ordinal);
      if (id >= depths.length) {
        const d = new Uint32Array(depths.length * 2);
        d.set(depths);
        depths = d;
      }
      depths[id] = depth;
      const inv = ctx.violatedInvariant(state);
      if (inv !== null) {
        found = { property: inv, kind: "invariant", id, step: null };
        return null;
      }
    } else {
      if (depths[known]! <= depth) return null;
      if (depths[known]! >= ctx.maxDepth) atBound--;
      id = known;
      records.set(id, parent, ordinal);
      depths[id] = depth;
    }
    if (depth > ctx.depth) ctx.depth = depth;
    if (depth >= ctx.maxDepth) {
      atBound++;
      return null;
    }
    if (!ctx.inConstraint(state)) return null;
    current = id;
    const successors: S[] = [];
    const n = ctx.expander.expand(state, (s) => {
      ctx.generated++;
      successors.push(s);
    });
    // An action that mutated the state it was given changed its fingerprint.
    ctx.fingerprint(state);
    if (fp[0] !== hi || fp[1] !== lo) throw mutationError(ctx, id);
    if (n === 0 && ctx.checkDeadlock && !ctx.isTerminal(state)) {
      found = { property: "deadlock", kind: "deadlock", id, step: null };
      return null;
    }
    return { state, id, depth, successors, next: 0 };
  };

  try {
    const inits = ctx.initialStates();
    for (let i = 0; i < inits.length && found === null && incomplete === null; i++) {
      ctx.generated++;
      current = -1;
      const root = visit(inits[i]!, 1, NO_PARENT, i);
      if (root !== null) stack.push(root);
      while (stack.length > 0 && found === null) {
        const top = stack[stack.length - 1]!;
        if (top.next === top.successors.length) {
          stack.pop();
          continue;
        }
        const ordinal = top.next++;
        const succ = top.successors[ordinal]!;
        // A spec error from here on (in a step property, or in the successor's value or
        // invariants) is reported with the trace to the state being expanded.
        current = top.id;
        if (ctx.model.stepProperties.length > 0) {
          const bad = ctx.violatedStepProperty(top.state, succ);
          if (bad !== null) {
            found = {
              property: bad,
              kind: "step",
              id: top.id,
              step: stepOf(ctx, top.state, ordinal),
            };
            break;
          }
        }
        const frame = visit(succ, top.depth + 1, top.id, ordinal);
        if (frame !== null) stack.push(frame);
        if (seen.size >= ctx.maxStates) {
          incomplete = "max-states";
          break;
        }
        if ((++ticks & 255) === 0) {
          incomplete = await pacer.tick();
          if (incomplete !== null) break;
        }
      }
    }
  } catch (e) {
    if (e instanceof MemoryExhausted) {
      // The seen-set or the records could not grow: the figures so far, not a crash.
      ctx.queue = stack.length;
      pacer.finish();
      return { kind: "incomplete", stats: ctx.stats(), reason: "memory", detail: e.message };
    }
    return ctx.specErrorResult(ctx.expansionError(e), current < 0 ? null : current);
  }
  ctx.queue = stack.length;
  pacer.finish();
  if (found !== null) return ctx.violationResult(found);
  if (incomplete === null && atBound > 0) incomplete = "max-depth";
  if (incomplete !== null) return { kind: "incomplete", stats: ctx.stats(), reason: incomplete };
  return { kind: "ok", stats: ctx.stats() };
}

/** The label and state of the `ordinal`-th successor of `state` (re-expanded for its label). */
function stepOf<S>(ctx: SearchContext<S>, state: S, ordinal: number): { label: string; state: S } {
  let i = 0;
  let out: { label: string; state: S } | null = null;
  ctx.expander.expand(state, (s) => {
    if (i++ === ordinal) out = { label: ctx.currentLabel(), state: s };
  });
  if (out === null) throw new Error("successor vanished on re-expansion");
  return out;
}
