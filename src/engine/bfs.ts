// Breadth-first search, level by level, so the first violation found has a shortest trace.
// Full states live only in the current and next level; everything older is a fingerprint in
// the seen-set plus a (parent, ordinal) record.
import type { CheckResult, IncompleteReason, ViolationKind } from "./result.ts";
import type { SearchContext } from "./search-context.ts";
import { NO_PARENT } from "./state-records.ts";
import { Pacer } from "./pacer.ts";
import { DeterminismSampler } from "./determinism.ts";
import { mutationError } from "./mutation-check.ts";
import type { StateGraph } from "../liveness/state-graph.ts";

interface Pending {
  readonly property: string;
  readonly kind: ViolationKind;
  /** The recorded state the trace ends at (or, for a step property, leaves from). */
  readonly id: number;
  /** For a step property: the step out of `id` that violates it. */
  readonly step: { readonly label: string; readonly state: unknown } | null;
}

/** Thrown to leave an expansion as soon as it produced a violation (never escapes bfs). */
const STOP = new Error("stop");

/** `graph`, when given, records the state graph (for temporal properties). */
export async function bfs<S>(
  ctx: SearchContext<S>,
  graph: StateGraph<S> | null = null,
): Promise<CheckResult<S>> {
  const { seen, records } = ctx;
  const fp = ctx.fp;
  const pacer = new Pacer(ctx);
  const sampler = new DeterminismSampler(ctx);
  let pending: Pending | null = null;

  let level: S[] = [];
  let levelIds: number[] = [];
  // Each level state's fingerprint, twice as long as the level (hi, lo).
  let levelFps: number[] = [];
  try {
    const inits = ctx.initialStates();
    for (let i = 0; i < inits.length && pending === null; i++) {
      const s = inits[i]!;
      ctx.generated++;
      ctx.fingerprint(s);
      if (!seen.add(fp[0]!, fp[1]!)) continue;
      const id = records.push(NO_PARENT, i);
      if (graph !== null) graph.addInit(id, s, fp[0]!, fp[1]!);
      const inv = ctx.violatedInvariant(s);
      if (inv !== null) pending = { property: inv, kind: "invariant", id, step: null };
      level.push(s);
      levelIds.push(id);
      levelFps.push(fp[0]!, fp[1]!);
    }
  } catch (e) {
    return ctx.specErrorResult(e, null);
  }
  ctx.depth = level.length > 0 ? 1 : 0;
  ctx.levelSizes.push(level.length);

  let parentId = 0;
  let parent: S = undefined as S;
  let parentHi = 0;
  let parentLo = 0;
  let ordinal = 0;
  let next: S[] = [];
  let nextIds: number[] = [];
  let nextFps: number[] = [];
  const emit = (succ: S): void => {
    ctx.generated++;
    const ord = ordinal++;
    if (ctx.model.stepProperties.length > 0) {
      const bad = ctx.violatedStepProperty(parent, succ);
      if (bad !== null) {
        pending = {
          property: bad,
          kind: "step",
          id: parentId,
          step: { label: ctx.currentLabel(), state: succ },
        };
        throw STOP;
      }
    }
    if (succ === parent) {
      // A stuttering step (the action returned the state it was given): already seen.
      if (sampler.active) sampler.recordPair(parentHi, parentLo);
      return;
    }
    ctx.fingerprint(succ);
    if (sampler.active) sampler.record(fp);
    if (!seen.add(fp[0]!, fp[1]!)) {
      if (graph !== null) graph.edgeToSeen(parentId, fp[0]!, fp[1]!);
      return;
    }
    const id = records.push(parentId, ord);
    if (graph !== null) graph.addSuccessor(parentId, id, succ, fp[0]!, fp[1]!);
    const inv = ctx.violatedInvariant(succ);
    if (inv !== null) {
      pending = { property: inv, kind: "invariant", id, step: null };
      throw STOP;
    }
    next.push(succ);
    nextIds.push(id);
    nextFps.push(fp[0]!, fp[1]!);
  };

  let incomplete: IncompleteReason | null = null;
  let visited = 0;
  try {
    while (level.length > 0 && pending === null) {
      if (ctx.depth >= ctx.maxDepth) {
        incomplete = "max-depth";
        break;
      }
      for (let i = 0; i < level.length; i++) {
        const s = level[i]!;
        ctx.queue = level.length - i + next.length;
        // Limits and interruption are looked at every 256 states, expanded or not.
        if ((++visited & 255) === 0) {
          incomplete = await pacer.tick();
          if (incomplete !== null) break;
        }
        if (!ctx.inConstraint(s)) continue;
        parent = s;
        parentId = levelIds[i]!;
        parentHi = levelFps[2 * i]!;
        parentLo = levelFps[2 * i + 1]!;
        ordinal = 0;
        sampler.begin();
        let n: number;
        try {
          n = ctx.expander.expand(s, emit);
        } catch (e) {
          if (e === STOP) break;
          throw ctx.expansionError(e);
        }
        ctx.fingerprint(s);
        if (fp[0] !== parentHi || fp[1] !== parentLo) {
          throw mutationError(ctx, parentId);
        }
        if (sampler.active) sampler.verify(s);
        if (n === 0 && ctx.checkDeadlock && !ctx.isTerminal(s)) {
          pending = { property: "deadlock", kind: "deadlock", id: parentId, step: null };
          break;
        }
        if (seen.size >= ctx.maxStates) {
          incomplete = "max-states";
          break;
        }
      }
      if (pending !== null || incomplete !== null) break;
      ctx.levelSizes.push(next.length);
      level = next;
      levelIds = nextIds;
      levelFps = nextFps;
      next = [];
      nextIds = [];
      nextFps = [];
      if (level.length > 0) ctx.depth++;
    }
  } catch (e) {
    return ctx.specErrorResult(e, parentId);
  }
  ctx.queue = level.length + next.length;
  pacer.finish();
  if (pending !== null) return ctx.violationResult(pending);
  if (incomplete !== null) return { kind: "incomplete", stats: ctx.stats(), reason: incomplete };
  return { kind: "ok", stats: ctx.stats() };
}
