import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { List, Set as ISet } from "immutable";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeChunk } from "../../src/engine/frontier-chunk.ts";
import { MemoryGovernor, parseSize } from "../../src/engine/memory.ts";
import { SpillStore } from "../../src/engine/spill-store.ts";

let base: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), "frontier-test-"));
});
afterEach(() => {
  rmSync(base, { recursive: true, force: true });
});

/** A store whose governor spills when `spill()` says so. */
function storeWith(chunkStates: number, spill: () => boolean): SpillStore {
  const governor = new MemoryGovernor({ memoryBytes: 2 ** 40 });
  governor.check = () => {
    governor.spilling = spill();
  };
  return new SpillStore(governor, { dir: base, chunkStates });
}

const stateOf = (i: number): unknown => ({
  i,
  tag: `s${i % 7}`,
  set: ISet([i % 3, i % 5]),
  l: List([i]),
});

describe("frontier", () => {
  it("gives back what was pushed, in order, whatever was spilled and when", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 400 }),
        (chunkStates, spills, n) => {
          let k = 0;
          const store = storeWith(chunkStates, () => spills[k++ % spills.length]!);
          const f = store.newFrontier<unknown>();
          for (let i = 0; i < n; i++) f.push(stateOf(i), 1000 + i, i, ~i >>> 0);
          expect(f.length).toBe(n);
          for (let i = 0; i < n; i++) {
            if (i % 50 === 25) f.spillAll();
            f.take();
            expect(f.state).toEqual(stateOf(i));
            expect([f.id, f.hi, f.lo]).toEqual([1000 + i, i, ~i >>> 0]);
            expect(f.remaining).toBe(n - i - 1);
          }
          store.close();
        },
      ),
      { numRuns: 60 },
    );
  });

  it("writes what is left to read as chunks, spilled ones copied as they are", () => {
    const store = storeWith(8, () => true);
    const f = store.newFrontier<unknown>();
    for (let i = 0; i < 50; i++) f.push(stateOf(i), i, i, i);
    expect(f.spilled).toBeGreaterThan(0);
    for (let i = 0; i < 13; i++) f.take();
    const chunks: Buffer[] = [];
    expect(f.writeRest((b) => chunks.push(Buffer.from(b)))).toBe(chunks.length);
    const ids = chunks.flatMap((c) => [...decodeChunk(c).ids]);
    expect(ids).toEqual(Array.from({ length: 37 }, (_, i) => 13 + i));
    expect(decodeChunk(chunks[0]!).states[0]).toEqual(stateOf(13));
    store.close();
  });

  it("keeps its spill files in one directory, removed at the end", () => {
    const store = storeWith(4, () => true);
    const a = store.newFrontier<unknown>();
    const b = store.newFrontier<unknown>();
    for (let i = 0; i < 20; i++) {
      a.push(i, i, 1, 1);
      b.push(i, i, 1, 1);
    }
    const dirs = readdirSync(base);
    expect(dirs).toHaveLength(1);
    expect(dirs[0]).toMatch(/^protomc-/);
    expect(readdirSync(join(base, dirs[0]!))).toHaveLength(2);
    a.close();
    expect(readdirSync(join(base, dirs[0]!))).toHaveLength(1);
    store.close();
    expect(existsSync(join(base, dirs[0]!))).toBe(false);
  });
});

describe("memory sizes", () => {
  it("reads sizes as --memory takes them", () => {
    expect(parseSize("8g")).toBe(8 * 2 ** 30);
    expect(parseSize("512m")).toBe(512 * 2 ** 20);
    expect(parseSize("1.5G")).toBe(1.5 * 2 ** 30);
    expect(parseSize("64MiB")).toBe(64 * 2 ** 20);
    expect(parseSize("100k")).toBe(102_400);
    expect(parseSize("1000000")).toBe(1_000_000);
    for (const bad of ["", "g", "8x", "-1g", "0", "1.2.3m"]) expect(parseSize(bad)).toBeNull();
  });
});
