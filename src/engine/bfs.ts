// Breadth-first search, level by level, so the first violation found has a shortest trace.
// Full states live only in the current and next level (frontiers that spill to disk past the
// memory budget); everything older is a fingerprint in the seen-set plus a (parent, ordinal)
// record. The search can be saved at a point where no state is half expanded, and resumed.
import type { CheckResult, IncompleteReason, ViolationKind } from "./result.ts";
import type { SearchContext } from "./search-context.ts";
import { NO_PARENT } from "./state-records.ts";
import { Pacer } from "./pacer.ts";
import { DeterminismSampler } from "./determinism.ts";
import { mutationError } from "./mutation-check.ts";
import { MemoryExhausted, MemoryGovernor } from "./memory.ts";
import { SpillStore } from "./spill-store.ts";
import { Checkpointer, resumeSearch } from "./checkpointer.ts";
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
  const options = ctx.options;
  if (graph !== null && (options.checkpoint !== undefined || options.resume !== undefined)) {
    throw new RangeError(
      "checkpoints do not hold the state graph that temporal properties are checked on",
    );
  }
  const governor = new MemoryGovernor(options);
  const store = new SpillStore(governor, {
    dir: options.spillDir,
    chunkStates: options.spillChunkStates,
  });
  try {
    const result = await search(ctx, graph, governor, store);
    if (store.spilledStates === 0) return result;
    return { ...result, stats: { ...result.stats, spilledStates: store.spilledStates } };
  } finally {
    store.close();
    governor.close();
  }
}

async function search<S>(
  ctx: SearchContext<S>,
  graph: StateGraph<S> | null,
  governor: MemoryGovernor,
  store: SpillStore,
): Promise<CheckResult<S>> {
  const { seen, records } = ctx;
  const fp = ctx.fp;
  const pacer = new Pacer(ctx);
  const sampler = new DeterminismSampler(ctx);
  governor.countOffHeap(() => seen.bytes + records.bytes);
  seen.onGrow = (bytes) => governor.reserve(bytes, "fingerprint table");
  records.onGrow = (bytes) => governor.reserve(bytes, "state records");
  let pending: Pending | null = null;
  let level = store.newFrontier<S>();
  let next = store.newFrontier<S>();
  if (ctx.options.resume !== undefined) {
    resumeSearch(ctx, ctx.options.resume, level, next);
    if (level.remaining === 0 && next.length > 0) {
      // Saved after the last state of a level: start the next one, as the search would have.
      ctx.levelSizes.push(next.length);
      level.close();
      level = next;
      next = store.newFrontier<S>();
      ctx.depth++;
    }
  } else {
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
        level.push(s, id, fp[0]!, fp[1]!);
      }
    } catch (e) {
      if (e instanceof MemoryExhausted) return memoryResult(ctx, e.message);
      return ctx.specErrorResult(e, null);
    }
    ctx.depth = level.length > 0 ? 1 : 0;
    ctx.levelSizes.push(level.length);
  }
  const checkpoints =
    ctx.options.checkpoint === undefined ? null : new Checkpointer(ctx, ctx.options.checkpoint);

  let parentId = 0;
  let parent: S = undefined as S;
  let parentHi = 0;
  let parentLo = 0;
  let ordinal = 0;
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
    ctx.fingerprintSuccessor(succ);
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
    next.push(succ, id, fp[0]!, fp[1]!);
  };

  let incomplete: IncompleteReason | null = null;
  let detail: string | null = null;
  // A memory failure in the middle of an expansion leaves no point to save the search at.
  let halfExpanded = false;
  let visited = 0;
  // Room reserved in the seen-set and records before each expansion, so that they grow (or
  // fail to) between expansions: the most new states one expansion has produced so far.
  let headroom = 64;
  try {
    while (level.remaining > 0 && pending === null) {
      if (ctx.depth >= ctx.maxDepth) {
        incomplete = "max-depth";
        break;
      }
      while (level.remaining > 0) {
        ctx.queue = level.remaining + next.length;
        // Limits and interruption are looked at every 256 states, expanded or not.
        if ((++visited & 255) === 0) {
          incomplete = await pacer.tick();
          if (incomplete !== null) break;
        }
        if (governor.exhausted !== null) {
          incomplete = "memory";
          detail = governor.exhausted;
          break;
        }
        try {
          seen.ensureRoom(headroom);
          records.ensureRoom(headroom);
        } catch (e) {
          if (!(e instanceof MemoryExhausted)) throw e;
          incomplete = "memory";
          detail = e.message;
          break;
        }
        level.take();
        const s = level.state;
        if (!ctx.inConstraint(s)) continue;
        parent = s;
        parentId = level.id;
        parentHi = level.hi;
        parentLo = level.lo;
        ordinal = 0;
        const before = records.size;
        sampler.begin();
        let n: number;
        try {
          ctx.beginExpansion(s);
          n = ctx.expander.expand(s, emit);
        } catch (e) {
          if (e === STOP) break;
          if (e instanceof MemoryExhausted) {
            incomplete = "memory";
            detail = e.message;
            halfExpanded = true;
            break;
          }
          throw ctx.expansionError(e);
        }
        if (records.size - before > headroom) headroom = records.size - before;
        if (!ctx.unchanged(s, parentHi, parentLo)) throw mutationError(ctx, parentId);
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
      level.close();
      level = next;
      next = store.newFrontier<S>();
      if (level.length > 0) ctx.depth++;
      if (checkpoints !== null && level.remaining > 0 && checkpoints.due()) {
        checkpoints.save(level, next);
      }
    }
  } catch (e) {
    return ctx.specErrorResult(e, parentId);
  }
  ctx.queue = level.length + next.length;
  pacer.finish();
  if (pending !== null) return ctx.violationResult(pending);
  if (incomplete !== null) {
    if (checkpoints !== null && !halfExpanded) checkpoints.save(level, next);
    return incomplete === "memory" && detail !== null
      ? memoryResult(ctx, detail)
      : { kind: "incomplete", stats: ctx.stats(), reason: incomplete };
  }
  return { kind: "ok", stats: ctx.stats() };
}

function memoryResult<S>(ctx: SearchContext<S>, detail: string): CheckResult<S> {
  return { kind: "incomplete", stats: ctx.stats(), reason: "memory", detail };
}
