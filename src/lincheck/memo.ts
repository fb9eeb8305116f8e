// The memo table of the search: which (set of linearized ops, model state) pairs were already
// explored. Reaching a pair again cannot lead anywhere new, because what may happen next
// depends only on which ops are done and on the object's state, not on their order. This
// cache is what makes Lowe's variant of Wing & Gong practical.
//
// The op set is a bitset with an incrementally maintained Zobrist hash (XOR of one random
// word per member), so adding or removing an op is O(1) and hashing a configuration costs no
// pass over the bitset. Hash collisions are resolved by comparing the full bitset and the
// states with the model's `equal`, so a collision can cost time but never a wrong verdict.
import type { Model } from "./models.ts";
import { mix32 } from "./values.ts";

export class OpSet {
  readonly words: Uint32Array;
  hash = 0;
  private readonly keys: Int32Array;

  constructor(size: number) {
    this.words = new Uint32Array(Math.max(1, Math.ceil(size / 32)));
    this.keys = zobristKeys(size);
  }

  add(i: number): void {
    this.words[i >>> 5]! |= 1 << (i & 31);
    this.hash ^= this.keys[i]!;
  }

  remove(i: number): void {
    this.words[i >>> 5]! &= ~(1 << (i & 31));
    this.hash ^= this.keys[i]!;
  }

  has(i: number): boolean {
    return (this.words[i >>> 5]! & (1 << (i & 31))) !== 0;
  }
}

// Entries live in flat arrays rather than one object plus one Uint32Array each: typed-array
// allocation and GC pressure dominated the search before. Entry k's bitset is the slice
// [k * width, (k + 1) * width) of `bits`; `chain[k]` links entries whose hashes are equal.
export class Memo<St> {
  private readonly heads = new Map<number, number>();
  private readonly states: St[] = [];
  private chain = new Int32Array(1024);
  private bits: Uint32Array;
  private readonly width: number;
  size = 0;

  constructor(
    private readonly model: Model<St>,
    opCount: number,
  ) {
    this.width = Math.max(1, Math.ceil(opCount / 32));
    this.bits = new Uint32Array(1024 * this.width);
  }

  /** Records the configuration; returns false if it was already recorded. */
  add(set: OpSet, state: St): boolean {
    const h = (set.hash ^ mix32(this.model.hash(state) ^ 0x27d4eb2f)) | 0;
    const head = this.heads.get(h);
    const { width, bits } = this;
    const words = set.words;
    for (let k = head ?? -1; k !== -1; k = this.chain[k]!) {
      let same = true;
      for (let i = 0, base = k * width; i < width; i++) {
        if (bits[base + i] !== words[i]) {
          same = false;
          break;
        }
      }
      if (same && this.model.equal(this.states[k]!, state)) return false;
    }
    const k = this.size++;
    if (k === this.chain.length) this.grow();
    this.bits.set(words, k * width);
    this.chain[k] = head ?? -1;
    this.states.push(state);
    this.heads.set(h, k);
    return true;
  }

  private grow(): void {
    const chain = new Int32Array(this.chain.length * 2);
    chain.set(this.chain);
    this.chain = chain;
    const bits = new Uint32Array(this.bits.length * 2);
    bits.set(this.bits);
    this.bits = bits;
  }
}

// splitmix32 from a fixed seed: the keys only need to look random, and a fixed seed keeps
// runs reproducible (the same search order and step counts every time).
function zobristKeys(n: number): Int32Array {
  const keys = new Int32Array(n);
  let s = 0x1234567;
  for (let i = 0; i < n; i++) {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    keys[i] = z ^ (z >>> 16);
  }
  return keys;
}
