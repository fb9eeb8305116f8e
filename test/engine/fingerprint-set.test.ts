// The seen-set against a plain JavaScript Set of "hi:lo" strings: random sequences of adds and
// lookups over a small universe of fingerprints, so that the same ones come back often, the
// table grows several times from its smallest size, and fingerprints compete for the slots of
// the recent-lookup cache (the cache is indexed by the low bits of `hi`, which the universe
// below shares between many fingerprints).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FingerprintSet } from "../../src/engine/fingerprint-set.ts";

const fingerprintArb = fc.record({
  // Few distinct low bits of hi (cache slots), many high bits and lo values.
  hi: fc
    .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 0xffff }))
    .map(([slot, high]) => ((high << 16) | slot) >>> 0),
  lo: fc.integer({ min: 1, max: 0xffffffff }),
});

const opArb = fc.record({ fp: fingerprintArb, kind: fc.constantFrom("add", "has", "getOrAdd") });

describe("FingerprintSet", () => {
  it("answers as a Set of the fingerprints added, through growths and cache conflicts", () => {
    fc.assert(
      fc.property(fc.array(fc.array(opArb, { maxLength: 400 }), { maxLength: 8 }), (rounds) => {
        const set = new FingerprintSet(1);
        const withValues = new FingerprintSet(1, true);
        const reference = new Map<string, number>();
        let next = 0;
        for (const ops of rounds) {
          // Re-adding every fingerprint of the earlier rounds finds them all again.
          for (const [key] of reference) {
            const [hi, lo] = key.split(":").map(Number) as [number, number];
            expect(set.add(hi, lo)).toBe(false);
          }
          for (const { fp, kind } of ops) {
            const key = `${fp.hi}:${fp.lo}`;
            const known = reference.get(key);
            switch (kind) {
              case "add":
                expect(set.add(fp.hi, fp.lo)).toBe(known === undefined);
                expect(withValues.getOrAdd(fp.hi, fp.lo, next)).toBe(known ?? -1);
                if (known === undefined) reference.set(key, next++);
                break;
              case "getOrAdd":
                expect(withValues.getOrAdd(fp.hi, fp.lo, next)).toBe(known ?? -1);
                expect(set.add(fp.hi, fp.lo)).toBe(known === undefined);
                if (known === undefined) reference.set(key, next++);
                break;
              case "has":
                expect(set.has(fp.hi, fp.lo)).toBe(known !== undefined);
                expect(withValues.has(fp.hi, fp.lo)).toBe(known !== undefined);
                break;
            }
          }
          expect(set.size).toBe(reference.size);
          expect(withValues.size).toBe(reference.size);
        }
        const held: string[] = [];
        set.forEachSlice(7, (pairs) => {
          for (let i = 0; i < pairs.length; i += 2) held.push(`${pairs[i]}:${pairs[i + 1]}`);
        });
        expect(held.sort()).toEqual([...reference.keys()].sort());
      }),
    );
  });

  it("keeps every fingerprint when it grows right after they were looked up", () => {
    const set = new FingerprintSet(1);
    // Each one is added, then found again through the recent-lookup cache, before the next
    // growth moves the table: all must be in the grown table.
    for (let i = 1; i <= 5_000; i++) {
      expect(set.add(i, i * 7)).toBe(true);
      expect(set.add(i, i * 7)).toBe(false);
    }
    for (let i = 1; i <= 5_000; i++) expect(set.has(i, i * 7)).toBe(true);
    expect(set.size).toBe(5_000);
  });
});
