// Interned records over a pair of strings (a timer of a process, a crash notice): few distinct
// values, looked up on every step that touches them.
import type { RecordOf } from "immutable";
import { valueRecord } from "../values/value-record.ts";

export function internedPairRecord<A extends string, B extends string>(
  name: string,
  first: A,
  second: B,
): (a: string, b: string) => RecordOf<{ readonly [K in A | B]: string }> {
  type Fields = { readonly [K in A | B]: string };
  const make = valueRecord<Fields>({ [first]: "", [second]: "" } as Fields, name);
  const cache = new Map<string, Map<string, RecordOf<Fields>>>();
  return (a, b) => {
    let byB = cache.get(a);
    if (byB === undefined) {
      byB = new Map();
      cache.set(a, byB);
    }
    let r = byB.get(b);
    if (r === undefined) {
      r = make({ [first]: a, [second]: b } as Partial<Fields>);
      byB.set(b, r);
    }
    return r;
  };
}
