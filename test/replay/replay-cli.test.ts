// `protomc replay` as a user runs it: exit codes, stdout and stderr of the real CLI.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COUNTER, traceOf } from "../fixtures/traces.ts";
import { runCli } from "../fixtures/run-cli.ts";

let dir = "";
let tight = "";
let commitEarly = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "protomc-replay-cli-"));
  tight = await traceOf(`${COUNTER}#tight`, dir);
  commitEarly = await traceOf("specs/two-phase-commit.ts#commitEarly", dir);
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

  it("exits 4 for a lasso whose liveness property cannot be re-checked", async () => {
    const file = JSON.parse(readFileSync(tight, "utf8")) as {
      "#meta": Record<string, unknown>;
      loop?: number;
    };
    // On noReset, the trace's last state (x = 5) has no successor: a lasso that stutters there.
    file["#meta"] = { ...file["#meta"], kind: "liveness", property: "Progress", loopIndex: 3 };
    file["#meta"].spec = { path: COUNTER, export: "noReset" };
    file.loop = 3;
    const lasso = join(dir, "lasso.itf.json");
    writeFileSync(lasso, JSON.stringify(file));
    const r = await runCli(["replay", lasso]);
    expect(r.code).toBe(4);
    expect(r.stdout).toContain("Not re-checked");
    expect(r.stdout).toContain("needs protomc's liveness checker");
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
