import { expect, it } from "vitest";
import { estimateTotal } from "../../src/engine/search-context.ts";
import { progressLine } from "../../src/report/progress.ts";

it("gives no estimate while BFS levels still grow", () => {
  expect(estimateTotal([1, 4, 16], 21)).toBeNull();
  expect(estimateTotal([1, 4], 5)).toBeNull();
});

it("adds a geometric tail once levels shrink", () => {
  // Levels 1, 8, 20, 10: the next ones are assumed to halve: 5 + 2.5 + ... = 10 more.
  expect(estimateTotal([1, 8, 20, 10], 39)).toBe(49);
});

it("shows the estimate and the time left in the progress line", () => {
  const line = progressLine({
    generated: 100,
    distinct: 39,
    queue: 10,
    depth: 4,
    elapsedMs: 39_000,
    fingerprintBytes: 0,
    collisionProbability: 0,
    estimate: 49,
  });
  expect(line).toBe(
    "00:39  depth 4  distinct 39  generated 100  queue 10  1 distinct/s  ~49 total, ~00:10 left",
  );
});
