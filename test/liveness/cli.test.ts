// The liveness parts of `protomc check`, through the real CLI.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../fixtures/run-cli.ts";

// Trace directories of the runs below, removed at the end.
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

const SPEC = "test/liveness/fixtures/two-phase-liveness.ts";

describe("protomc check with temporal properties", () => {
  it("reports the graph figures apart from the safety ones", async () => {
    const r = await runCli(["check", SPEC, "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { stats: Record<string, unknown> };
    expect(out.stats).toMatchObject({
      distinct: 288,
      liveness: { properties: 2, states: 288, edges: 761 },
    });
    const human = await runCli(["check", SPEC, "--quiet"]);
    expect(human.stdout).toContain("PreparedLeadsToDecided (somePrepared ~> allDecided)");
    expect(human.stdout).toMatch(/liveness: 2 properties on a graph of 288 states and 761 edges/);
  });

  it("prints a lasso with its cycle marked, and writes it with its loop index", async () => {
    const dir = mkdtempSync(join(tmpdir(), "protomc-liveness-"));
    made.push(dir);
    const json = await runCli(["check", `${SPEC}#noFairAbort`, "--json", "--out", dir]);
    expect(json.code).toBe(1);
    const out = JSON.parse(json.stdout) as {
      violation: { kind: string; loopIndex: number; length: number; file: string };
    };
    expect(out.violation).toMatchObject({ kind: "liveness", loopIndex: 4, length: 5 });
    const file = JSON.parse(readFileSync(out.violation.file, "utf8")) as {
      "#meta": { loopIndex: number; kind: string };
      loop: number;
    };
    expect(file["#meta"]).toMatchObject({ kind: "liveness", loopIndex: 4 });
    expect(file.loop).toBe(4);

    const human = await runCli(["check", `${SPEC}#noFairAbort`, "--out", dir]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain("Liveness property PreparedLeadsToDecided is violated");
    expect(human.stdout).toContain("⟲ back to step 4");
    expect(human.stdout).toContain("The last state stutters forever");
    expect(human.stdout).toContain("Enabled throughout the cycle, never taken: TMAbort");
    expect(human.stdout).toContain("Hint: This behaviour starves an action");
  });

  it("rejects --dfs for temporal properties as a usage error", async () => {
    const r = await runCli(["check", SPEC, "--dfs"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("drop --dfs");
  });
});
