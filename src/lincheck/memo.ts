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
import { mix32 as mix32Import } from "./values.ts";

// A local alias: hot-path calls through an import binding cost a getter call under some
// loaders (tsx, vite-node).
const mix32 = mix32Import;

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

// Everything lives in flat typed arrays rather than one object plus one Uint32Array per
// entry, and the index is an open-addressing table instead of a Map: allocation, GC and Map
// overhead dominated the search before. Entry k's bitset is the slice [k * width,
// (k + 1) * width) of `bits`; `chain[k]` links entries with the same 32-bit hash, and the
// table maps each distinct hash to the newest entry of its chain.
const INITIAL = 64;

export class Memo<St> {
  private readonly states: St[] = [];
  // Small initial capacity: the checkers also run as state invariants inside the model
  // checker, on thousands of tiny histories, where a big up-front allocation would dominate.
  private hashes = new Int32Array(INITIAL);
  private chain = new Int32Array(INITIAL);
  private bits: Uint32Array;
  private readonly width: number;
  /** Slot -> entry index + 1 (0 = empty). Power-of-two size, at most half full. */
  private slots = new Int32Array(INITIAL * 2);
  /** Occupied slots (distinct hashes). */
  private used = 0;
  size = 0;

  constructor(
    private readonly model: Model<St>,
    opCount: number,
  ) {
    this.width = Math.max(1, Math.ceil(opCount / 32));
    this.bits = new Uint32Array(INITIAL * this.width);
  }

  /** Records the configuration; returns false if it was already recorded. */
  add(set: OpSet, state: St): boolean {
    const h = (set.hash ^ mix32(this.model.hash(state) ^ 0x27d4eb2f)) | 0;
    const { width, bits, slots, hashes } = this;
    const words = set.words;
    const mask = slots.length - 1;
    let slot = h & mask;
    let head = -1;
    for (let e = slots[slot]!; e !== 0; e = slots[slot]!) {
      if (hashes[e - 1] === h) {
        head = e - 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
    for (let k = head; k !== -1; k = this.chain[k]!) {
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
    if (k === this.chain.length) this.growEntries();
    const target = this.bits;
    for (let i = 0, base = k * width; i < width; i++) target[base + i] = words[i]!;
    this.hashes[k] = h;
    this.chain[k] = head;
    this.states.push(state);
    slots[slot] = k + 1;
    if (head === -1 && ++this.used * 2 > slots.length) this.growSlots();
    return true;
  }

  private growEntries(): void {
    const grow = <A extends Int32Array | Uint32Array>(a: A, make: (n: number) => A): A => {
      const b = make(a.length * 2);
      b.set(a);
      return b;
    };
    this.hashes = grow(this.hashes, (n) => new Int32Array(n));
    this.chain = grow(this.chain, (n) => new Int32Array(n));
    this.bits = grow(this.bits, (n) => new Uint32Array(n));
  }

  // Re-inserts the newest entry of every chain; older entries stay reachable via `chain`.
  private growSlots(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (const e of this.slots) {
      if (e === 0) continue;
      let slot = this.hashes[e - 1]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = e;
    }
    this.slots = slots;
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
