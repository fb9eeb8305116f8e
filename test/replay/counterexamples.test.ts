// The kept regression traces: one per buggy variant in specs/, in counterexamples/. Each must
// reproduce on its variant and not on the spec's default export (fixed, or no longer a
// behaviour). To add one:
//   node bin/protomc.js check specs/<spec>.ts#<variant>
//   mv counterexamples/<spec>.<variant>--<Property>--<time>.itf.json \
//      counterexamples/<spec>.<variant>--<Property>.itf.json
// and add its name to FIXTURES.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectTraceDoesNotReproduce, expectTraceReproduces } from "protomc/vitest";
import type { TraceFile } from "../../src/itf/trace-file.ts";
import { loadSpec } from "../../src/spec/load-spec.ts";
import { ROOT } from "../fixtures/run-cli.ts";

const FIXTURES: readonly string[] = [
  "two-phase-commit.commitEarly--Consistent.itf.json",
  "two-phase-commit.abortAfterPrepare--Consistent.itf.json",
];

const DIR = join(ROOT, "counterexamples");
const meta = (name: string): TraceFile["#meta"] =>
  (JSON.parse(readFileSync(join(DIR, name), "utf8")) as TraceFile)["#meta"];

describe.each(FIXTURES)("counterexamples/%s", (name) => {
  const file = join(DIR, name);

  it("is a trace of a variant", () => {
    expect(meta(name).spec.export).not.toBe("default");
  });

  it("reproduces on its variant", async () => {
    await expectTraceReproduces(file, { cwd: ROOT });
  });

  it("is fixed or diverged on the default export", async () => {
    await expectTraceDoesNotReproduce(file, { exportName: "default", cwd: ROOT });
  });
});

// Variants in specs/ that have no kept trace yet show up as todos (specs are being added; a
// spec that does not load is left to its own tests).
const covered = new Set(
  FIXTURES.filter((f) => existsSync(join(DIR, f))).map((f) => {
    const m = meta(f);
    return `${m.spec.path}#${m.spec.export}`;
  }),
);
const missing: string[] = [];
for (const file of readdirSync(join(ROOT, "specs"))
  .filter((f) => f.endsWith(".ts"))
  .sort()) {
  const path = `specs/${file}`;
  try {
    const { exports } = await loadSpec({ path, exportName: "default" }, ROOT);
    for (const e of exports)
      if (e !== "default" && !covered.has(`${path}#${e}`)) missing.push(`${path}#${e}`);
  } catch {
    // Reported by the spec's own tests.
  }
}
describe("every buggy variant in specs/ has a kept trace", () => {
  for (const ref of missing) it.todo(`counterexamples/ has no trace for ${ref}`);
  it("lists only traces that exist", () => {
    expect(FIXTURES.filter((f) => !existsSync(join(DIR, f)))).toEqual([]);
  });
});
