// Symmetry reduction: states that differ only by a renaming of interchangeable ids (processes
// of one role) are one state. The engine fingerprints a canonical representative of each
// state's orbit, while the frontier keeps the concrete state it first met, so counterexamples
// stay concrete, replayable behaviours.
//
// With a `signature` (everything about one id, not mentioning ids), the canonical form is found
// by sorting the ids by signature: O(n log n), no permutation enumerated. Without one, every
// permutation is tried and the one with the smallest fingerprint wins (TLC's method, n!).
import { SpecError } from "../errors/spec-error.ts";
import { fingerprintInto } from "../values/fingerprint.ts";

/** How a spec declares its symmetry (the `symmetry` field of a spec definition). */
export interface SymmetryDecl<S, PV, Id = number> {
  /** The interchangeable ids, e.g. the resource managers `range(rms)`. */
  readonly ids: (params: PV) => readonly Id[];
  /** The state with every id `i` renamed to `rename(i)`. */
  readonly permute: (state: S, rename: (id: Id) => Id, params: PV) => S;
  /**
   * Optional: what the state says about one id, written without mentioning ids (so renaming
   * ids does not change it). Two ids with equal signatures must be interchangeable: swapping
   * them leaves the state unchanged. When given, no permutation is enumerated.
   */
  readonly signature?: (state: S, id: Id, params: PV) => unknown;
}

const MAX_ENUMERATED_IDS = 9;

/** Returns a function from a state to the canonical representative of its orbit. */
export function canonicalizer<S, PV, Id>(
  decl: SymmetryDecl<S, PV, Id>,
  params: PV,
): (state: S) => S {
  const ids = decl.ids(params);
  const n = ids.length;
  if (n <= 1) return (s) => s;
  const index = new Map<Id, number>(ids.map((id, i) => [id, i]));
  const fp = new Uint32Array(2);
  const sigHi = new Uint32Array(n);
  const sigLo = new Uint32Array(n);
  const order = Array.from({ length: n }, (_, i) => i);
  const signature = decl.signature;

  // rename[i] = the id that ids[i] becomes.
  const renameBy = (target: readonly number[]): ((id: Id) => Id) => {
    return (id) => {
      const i = index.get(id);
      return i === undefined ? id : ids[target[i]!]!;
    };
  };

  if (signature !== undefined) {
    const target = new Array<number>(n);
    return (state) => {
      for (let i = 0; i < n; i++) {
        fingerprintInto(signature(state, ids[i]!, params), fp, 0);
        sigHi[i] = fp[0]!;
        sigLo[i] = fp[1]!;
        order[i] = i;
      }
      order.sort((a, b) => sigHi[a]! - sigHi[b]! || sigLo[a]! - sigLo[b]! || a - b);
      // The id at sorted position k is renamed to the k-th id.
      for (let k = 0; k < n; k++) target[order[k]!] = k;
      return decl.permute(state, renameBy(target), params);
    };
  }

  if (n > MAX_ENUMERATED_IDS) {
    throw new SpecError(
      "PMC006",
      `symmetry over ${n} ids without a signature would try ${n}! permutations per state`,
      "Give the symmetry a signature(state, id) so that protomc can sort ids instead.",
    );
  }
  const perms = permutations(n);
  return (state) => {
    let best = state;
    let bestHi = Infinity;
    let bestLo = Infinity;
    for (const p of perms) {
      const candidate = decl.permute(state, renameBy(p), params);
      fingerprintInto(candidate, fp, 0);
      const hi = fp[0]!;
      const lo = fp[1]!;
      if (hi < bestHi || (hi === bestHi && lo < bestLo)) {
        best = candidate;
        bestHi = hi;
        bestLo = lo;
      }
    }
    return best;
  };
}

/** Every permutation of 0..n-1 (Heap's algorithm, iterative). */
export function permutations(n: number): number[][] {
  const a = Array.from({ length: n }, (_, i) => i);
  const out: number[][] = [a.slice()];
  const c = new Array<number>(n).fill(0);
  let i = 0;
  while (i < n) {
    if (c[i]! < i) {
      const j = i % 2 === 0 ? 0 : c[i]!;
      [a[j], a[i]] = [a[i]!, a[j]!];
      out.push(a.slice());
      c[i]!++;
      i = 0;
    } else {
      c[i] = 0;
      i++;
    }
  }
  return out;
}
