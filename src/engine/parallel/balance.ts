// Which winners of a merge move to another worker before the next level, so that every worker
// expands about as many states. A winner stays with the worker that generated it unless that
// worker holds more than its share; moved states travel encoded (see worker.ts). Results do not
// depend on who expands what: the merge visits states in id order whoever holds them.

/** Moves are planned only when the busiest worker holds this much more than its share. */
const TOLERANCE = 0.02;

export interface BalancePlan {
  /** The worker that expands each winner (in id order), after the moves. */
  readonly owner: Uint8Array;
  /**
   * Per source worker, per destination worker: the winners (indices into the level, in
   * increasing order) that move. Empty when nothing moves.
   */
  readonly moves: readonly (readonly number[][])[];
}

/**
 * Plans the moves for winners owned as `owner` says, among `workers` workers, if the busiest
 * holds at least `minSurplus` states more than its share (moving a handful is not worth a
 * round trip).
 */
export function planBalance(owner: Uint8Array, workers: number, minSurplus = 64): BalancePlan {
  const n = owner.length;
  const loads = new Array<number>(workers).fill(0);
  for (let j = 0; j < n; j++) loads[owner[j]!]!++;
  const share = Math.ceil(n / workers);
  const busiest = Math.max(...loads);
  const moves = Array.from({ length: workers }, () =>
    Array.from({ length: workers }, (): number[] => []),
  );
  if (busiest - share < Math.max(minSurplus, share * TOLERANCE)) return { owner, moves };

  const balanced = owner.slice();
  let to = 0;
  for (let from = 0; from < workers; from++) {
    let surplus = loads[from]! - share;
    // The source's last winners move, the latest first; each destination fills up to its share.
    for (let j = n - 1; j >= 0 && surplus > 0; j--) {
      if (owner[j] !== from) continue;
      while (to < workers && loads[to]! >= share) to++;
      if (to === workers) break;
      balanced[j] = to;
      moves[from]![to]!.push(j);
      loads[to]!++;
      loads[from]!--;
      surplus--;
    }
  }
  for (const row of moves) for (const list of row) list.reverse();
  return { owner: balanced, moves };
}
