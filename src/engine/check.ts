// Runs a search on a model and returns its result; the one entry point for every front end
// (CLI, vitest helpers, tests).
import type { Model } from "../spec/model.ts";
import { bfs } from "./bfs.ts";
import { dfs } from "./dfs.ts";
import type { CheckOptions } from "./options.ts";
import type { CheckResult } from "./result.ts";
import { SearchContext } from "./search-context.ts";
import { checkLiveness, createStateGraph } from "../liveness/check-liveness.ts";

export async function checkModel<S>(
  model: Model<S>,
  options: CheckOptions = {},
): Promise<CheckResult<S>> {
  const ctx = new SearchContext(model, options);
  // Temporal properties need the state graph, which only breadth-first search records.
  const graph = createStateGraph(ctx);
  if (graph !== null && options.strategy === "dfs") {
    throw new RangeError(
      'temporal properties are checked with breadth-first search: drop strategy "dfs"',
    );
  }
  if (options.strategy === "dfs") return dfs(ctx);
  const result = await bfs(ctx, graph);
  if (graph === null || result.kind !== "ok") return result;
  return checkLiveness(ctx, graph, result.stats);
}
