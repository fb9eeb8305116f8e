// A full disk under the spill directory ends the search incomplete ("memory"), not in a crash.
import type * as Fs from "node:fs";
import { describe, expect, it, vi } from "vitest";
import twoPhaseCommit from "../../specs/two-phase-commit.ts";
import { buildModel, checkModel } from "../../src/index.ts";
import { expectMemoryStop } from "../fixtures/memory-stop.ts";

const disk = vi.hoisted(() => ({ full: false }));

vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof Fs>();
  return {
    ...fs,
    writeSync: (...args: Parameters<typeof fs.writeSync>) => {
      if (disk.full)
        throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
      return fs.writeSync(...args);
    },
  };
});

describe("a full disk", () => {
  it("stops a spilling search with reason memory and the figures so far", async () => {
    disk.full = true;
    try {
      const r = await checkModel(buildModel(twoPhaseCommit, { rms: 5 }), {
        memoryBytes: 1,
        spillChunkStates: 16,
      });
      expectMemoryStop(r, /the disk holding .*protomc-.* is full/);
      expect(r.stats.distinct).toBeGreaterThan(0);
      expect(r.stats.distinct).toBeLessThan(8_832);
    } finally {
      disk.full = false;
    }
  });
});
