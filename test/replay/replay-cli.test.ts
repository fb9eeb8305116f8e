// `protomc replay` as a user runs it: exit codes, stdout and stderr of the real CLI.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TraceFile } from "../../src/itf/trace-file.ts";
import { COUNTER, traceOf } from "../fixtures/traces.ts";
import { runCli } from "../fixtures/run-cli.ts";

let dir = "";
let tight = "";
let commitEarly = "";
let lasso = "";
const SMALL = "test/liveness/fixtures/small-specs.ts";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "protomc-replay-cli-"));
  tight = await traceOf(`${COUNTER}#tight`, dir);
  commitEarly = await traceOf("specs/two-phase-commit.ts#commitEarly", dir);
  lasso = await traceOf(`${SMALL}#server`, dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.concurrent("protomc replay", () => {
  it("exits 1 and prints the trace when the violation reproduces", async () => {
    const r = await runCli(["replay", tight]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "✗ Reproduced: invariant Bounded is violated after 3 steps, as recorded, " +
        "on test/fixtures/counter.ts#tight with max=4.",
    );
    expect(r.stdout).toContain("  3. Inc\n     last[0]: 1 → 2\n     x: 3 → 5");
    expect(r.stderr).toBe("");
  });

  it("exits 0 when the trace replays but the property holds", async () => {
    const r = await runCli(["replay", tight, "--spec", COUNTER]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      "✓ Fixed: the trace (3 steps) still replays on test/fixtures/counter.ts with max=4, " +
        "but invariant Bounded holds in every state of the trace.\n",
    );
  });

  it("exits 5 and shows the difference when the trace diverges", async () => {
    const r = await runCli(["replay", tight, "--spec", `${COUNTER}#incByThree`]);
    expect(r.code).toBe(5);
    expect(r.stdout).toContain(
      "≠ Diverged at step 2: Inc yields a different state than recorded on " +
        "test/fixtures/counter.ts#incByThree with max=4.\n" +
        "  Enabled after step 1: Inc\n" +
        "  Recorded state 2 → what Inc yields now:\n" +
        "     last[1]: 2 → 1\n" +
        "     x: 3 → 2\n",
    );
    expect(r.stdout).toContain("The trace replays up to step 1:");
  });

  it("reports a divergence as JSON", async () => {
    const r = await runCli([
      "replay",
      commitEarly,
      "--spec",
      "specs/two-phase-commit.ts",
      "--json",
    ]);
    expect(r.code).toBe(5);
    const json = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({
      result: "diverged",
      spec: "specs/two-phase-commit.ts",
      params: { rms: 3 },
      property: "Consistent",
      kind: "invariant",
      recordedSteps: 5,
      replayedSteps: 2,
      at: 3,
      label: "TMCommit",
      reason: "not-enabled",
    });
  });

  it("prints one step at a time with --step", async () => {
    const r = await runCli(["replay", tight, "--step"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("  0. Init  ✓\n     x = 0\n     last = List[]\n");
    expect(r.stdout).toContain("  2. Inc  ✓\n     last[1]: + 2\n     x: 1 → 3\n");
    expect(r.stdout).toContain("  3. Inc  ✗ Bounded\n");
    expect(r.stdout).toMatch(/\n✗ Reproduced: invariant Bounded is violated after 3 steps/);
  });

  it("writes a vitest regression test with --emit-test", async () => {
    const testFile = join(dir, "regressions", "tight.test.ts");
    const r = await runCli(["replay", tight, "--emit-test", testFile]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`Regression test written to ${testFile}`);
    const source = readFileSync(testFile, "utf8");
    expect(source).toContain(
      'import { expectTraceDoesNotReproduce, expectTraceReproduces } from "protomc/vitest";',
    );
    expect(source).toContain(`new URL("../${relative(dir, tight)}", import.meta.url)`);
    expect(source).toContain(
      'await expectTraceDoesNotReproduce(trace, { exportName: "default" });',
    );
    // It refuses to overwrite a test.
    const again = await runCli(["replay", tight, "--emit-test", testFile]);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain("exists; name another file");
  });

  it("re-checks a liveness lasso: reproduced 1, fixed 0, diverged 5", async () => {
    const reproduced = await runCli(["replay", lasso]);
    expect(reproduced.code).toBe(1);
    expect(reproduced.stdout).toContain(
      "✗ Reproduced: liveness property RequestGranted is violated by a fair lasso of 2 steps " +
        "(cycle back to step 1), as recorded, on test/liveness/fixtures/small-specs.ts#server.\n",
    );
    expect(reproduced.stdout).toContain(
      "  1. Request  ⟲ cycle starts here\n" +
        "     requested: false → true\n" +
        "  2. Tick\n" +
        "     tick: false → true\n" +
        "  ⟲ back to step 1\n" +
        "  The cycle closes with Tick back to step 1.\n",
    );
    const fixed = await runCli(["replay", lasso, "--spec", `${SMALL}#serverFair`]);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toBe(
      "✓ Fixed: the lasso (2 steps, cycle back to step 1) still replays on " +
        "test/liveness/fixtures/small-specs.ts#serverFair, but the lasso is no longer a fair " +
        "behaviour: its cycle breaks WF(Grant), so it no longer violates liveness property " +
        "RequestGranted.\n",
    );
    // A spec without the recorded property: the trace does not fit it (malformed input).
    const other = await runCli(["replay", lasso, "--spec", `${SMALL}#light`]);
    expect(other.code).toBe(2);
    const file = JSON.parse(readFileSync(lasso, "utf8")) as TraceFile;
    file["#meta"].loopAction = "Request";
    const tampered = join(dir, "tampered-lasso.itf.json");
    writeFileSync(tampered, JSON.stringify(file));
    const tamperedRun = await runCli(["replay", tampered]);
    expect(tamperedRun.code).toBe(5);
    expect(tamperedRun.stdout).toContain(
      "≠ Diverged at step 3: Request does not lead from the last state back to step 1",
    );
  });

  it("reports a lasso as JSON, and marks its cycle with --step", async () => {
    const json = await runCli(["replay", lasso, "--spec", `${SMALL}#serverFair`, "--json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      result: "fixed",
      kind: "liveness",
      property: "RequestGranted",
      loopIndex: 1,
      loopLabel: "Tick",
      unfair: ["WF(Grant)"],
    });
    const step = await runCli(["replay", lasso, "--step"]);
    expect(step.code).toBe(1);
    expect(step.stdout).toContain(
      "  1. Request  ⟲ cycle starts here  ✓\n" +
        "     requested: false → true\n" +
        "  2. Tick  ✗ RequestGranted\n" +
        "     tick: false → true\n" +
        "  ⟲ back to step 1\n" +
        "  The cycle closes with Tick back to step 1.\n",
    );
  });

  it("exits 2 with the JSON path of a malformed trace", async () => {
    const bad = join(dir, "bad.itf.json");
    writeFileSync(bad, JSON.stringify({ "#meta": { format: "ITF" }, vars: [], states: [{}] }));
    const r = await runCli(["replay", bad]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("[PMC007]");
    expect(r.stderr).toContain('["#meta"]["format-description"] must be a string, got nothing');
  });

  it("exits 3 on usage errors", async () => {
    const none = await runCli(["replay"]);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain("replay needs a trace file");
    const flag = await runCli(["replay", tight, "--jsno"]);
    expect(flag.code).toBe(3);
    expect(flag.stderr).toContain("unknown flag --jsno (did you mean --json?)");
  });
});
