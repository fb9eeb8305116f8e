// Rebuilding immutable Maps and Sets that behave exactly like the originals: the same
// iteration order now, and the same order after any further update.
//
// An immutable Map of up to 8 entries is an array in insertion order (a removal moves the last
// entry into the hole); past 8 it becomes a hash trie, which iterates in hash order and keeps
// keys with equal hashes in insertion order; shrinking never turns a trie back into an array.
// So a Map is described by its entries in iteration order plus whether it is a trie. An array
// map is rebuilt by inserting the entries in that order. A trie is rebuilt by first inserting
// filler keys (hashes unlike every real key's) so that it is a trie before the first real key
// goes in, then the entries in iteration order, then removing the fillers: no real key is
// ever inserted by the array-to-trie conversion, which would put it ahead of the keys whose
// hash it shares. Sets are Maps inside.
//
// The one order this cannot reproduce is that of keys immutable hashes by identity (plain
// objects and arrays in a trie), which is not stable from one run to the next either.
import { hash, Map as ImmutableMap, Set as ImmutableSet } from "immutable";

const ARRAY_MAP_MAX = 8;

interface MapInternals {
  readonly _root?: { readonly entries?: unknown; readonly keyHash?: unknown } | null;
}

/** Whether an immutable Map is a hash trie (rather than an insertion-ordered array). */
export function isTrieMap(m: ImmutableMap<unknown, unknown>): boolean {
  const root = (m as unknown as MapInternals)._root;
  if (root === undefined || root === null) return false;
  return !(Array.isArray(root.entries) && root.keyHash === undefined);
}

/** Whether an immutable Set is a hash trie. */
export function isTrieSet(s: ImmutableSet<unknown>): boolean {
  const map = (s as unknown as { readonly _map?: ImmutableMap<unknown, unknown> })._map;
  return map !== undefined && isTrieMap(map);
}

function fillers(realKeys: (i: number) => unknown, count: number): object[] {
  const taken = new globalThis.Set<number>();
  for (let i = 0; i < count; i++) taken.add(hash(realKeys(i)));
  const out: object[] = [];
  while (out.length <= ARRAY_MAP_MAX) {
    const f = {};
    const h = hash(f);
    if (taken.has(h)) continue;
    taken.add(h);
    out.push(f);
  }
  return out;
}

/** A Map of `keys[i] → values[i]` that iterates in this order (and is a trie if `trie`). */
export function rebuildMap(
  keys: readonly unknown[],
  values: readonly unknown[],
  trie: boolean,
): ImmutableMap<unknown, unknown> {
  const n = keys.length;
  if (n === 0) return ImmutableMap();
  return ImmutableMap<unknown, unknown>().withMutations((m) => {
    const extra = trie || n > ARRAY_MAP_MAX ? fillers((i) => keys[i], n) : [];
    for (const f of extra) m.set(f, null);
    for (let i = 0; i < n; i++) m.set(keys[i], values[i]);
    for (const f of extra) m.remove(f);
  });
}

/** A Set of `items` that iterates in this order (and is a trie if `trie`). */
export function rebuildSet(items: readonly unknown[], trie: boolean): ImmutableSet<unknown> {
  const n = items.length;
  if (n === 0) return ImmutableSet();
  return ImmutableSet<unknown>().withMutations((s) => {
    const extra = trie || n > ARRAY_MAP_MAX ? fillers((i) => items[i], n) : [];
    for (const f of extra) s.add(f);
    for (let i = 0; i < n; i++) s.add(items[i]);
    for (const f of extra) s.remove(f);
  });
}
