// Runs a search on a model and returns its result; the one entry point for every front end
// (CLI, vitest helpers, tests).
import type { Model } from "../spec/model.ts";
import { bfs } from "./bfs.ts";
import { dfs } from "./dfs.ts";
import type { CheckOptions } from "./options.ts";
import type { CheckResult } from "./result.ts";
import { SearchContext } from "./search-context.ts";

export async function checkModel<S>(
  model: Model<S>,
  options: CheckOptions = {},
): Promise<CheckResult<S>> {
  const ctx = new SearchContext(model, options);
  return options.strategy === "dfs" ? dfs(ctx) : bfs(ctx);
}
