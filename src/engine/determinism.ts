// Checks on a sample of states that expanding them twice gives the same successors: a spec
// whose actions read Math.random, the clock or a mutable global would otherwise give wrong
// counts and traces that cannot be rebuilt. Sampling keeps the cost at a fraction of a percent.
import type { SearchContext } from "./search-context.ts";
import { nondeterministic } from "./search-context.ts";

const ALWAYS_FIRST = 64;

export class DeterminismSampler<S> {
  active = false;
  private expanded = 0;
  private fps: number[] = [];
  private readonly every: number;

  constructor(private readonly ctx: SearchContext<S>) {
    const rate = ctx.options.determinismSampleRate ?? 1 / 256;
    this.every = rate <= 0 ? Infinity : Math.max(1, Math.round(1 / rate));
  }

  /** Called before each expansion: decides whether this one is sampled. */
  begin(): void {
    const n = this.expanded++;
    this.active = n < ALWAYS_FIRST || n % this.every === 0;
    if (this.active) this.fps.length = 0;
  }

  record(fp: Uint32Array): void {
    this.fps.push(fp[0]!, fp[1]!);
  }

  recordPair(hi: number, lo: number): void {
    this.fps.push(hi, lo);
  }

  /** Re-expands `state` and compares; throws a spec error on any difference. */
  verify(state: S): void {
    this.active = false;
    const ctx = this.ctx;
    const saved = [ctx.fp[0]!, ctx.fp[1]!];
    let i = 0;
    const fps = this.fps;
    ctx.fingerprint(state);
    const selfHi = ctx.fp[0];
    const selfLo = ctx.fp[1];
    ctx.expander.expand(state, (succ) => {
      if (succ === state) {
        ctx.fp[0] = selfHi!;
        ctx.fp[1] = selfLo!;
      } else ctx.fingerprint(succ);
      if (fps[i] !== ctx.fp[0] || fps[i + 1] !== ctx.fp[1]) {
        throw nondeterministic(`action ${ctx.currentLabel()}`, "returned a different successor");
      }
      i += 2;
    });
    if (i !== fps.length) {
      throw nondeterministic("the spec's actions", "returned a different number of successors");
    }
    ctx.fp[0] = saved[0]!;
    ctx.fp[1] = saved[1]!;
  }
}
