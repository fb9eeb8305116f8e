// Determinism across worker counts on every spec in specs/: two workers (with the frontier
// split from the second level on, and states moved between them at every imbalance) give
// exactly the sequential result — counts, depth and counterexample — for every default export
// and variant.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkModel } from "../../src/engine/check.ts";
import { checkParallel } from "../../src/engine/parallel/check-parallel.ts";
import { WorkerPool } from "../../src/engine/parallel/pool.ts";
import type { CheckResult } from "../../src/engine/result.ts";
import { loadSpec } from "../../src/spec/load-spec.ts";
import { buildModel } from "../../src/spec/model.ts";
import { ROOT } from "../fixtures/run-cli.ts";

// Variants whose search takes more than a few seconds are left to their own spec tests.
const SLOW = new Set(["specs/abd.ts#noWriteBack"]);

const refs: { path: string; exportName: string }[] = [];
for (const file of readdirSync(join(ROOT, "specs"))
  .filter((f) => f.endsWith(".ts"))
  .sort()) {
  const path = `specs/${file}`;
  const { exports } = await loadSpec({ path, exportName: "default" }, ROOT);
  for (const exportName of exports) {
    if (!SLOW.has(`${path}#${exportName}`)) refs.push({ path, exportName });
  }
}

function summary(r: CheckResult<unknown>) {
  return {
    kind: r.kind,
    distinct: r.stats.distinct,
    generated: r.stats.generated,
    depth: r.stats.depth,
    property: r.kind === "violation" ? r.violation.property : null,
    labels: r.kind === "violation" ? r.violation.trace.map((s) => s.label) : null,
  };
}

const pool = new WorkerPool(2);
afterAll(() => pool.close());

describe.each(refs)("$path#$exportName", (ref) => {
  it("gives the same result with 2 workers as on one thread", async () => {
    const { spec, source } = await loadSpec(ref, ROOT);
    const sequential = await checkModel(buildModel(spec, {}, source));
    const parallel = await checkParallel(
      source,
      {},
      {
        workers: 2,
        pool,
        cwd: ROOT,
        replicateBelow: 1,
        headStartMs: 0,
        // Every imbalance moves states between the workers: the moved copies (encoded and
        // decoded) must expand exactly like the originals.
        balanceMinSurplus: 1,
      },
    );
    expect(summary(parallel)).toEqual(summary(sequential));
  });
});
