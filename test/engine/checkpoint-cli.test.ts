// The CLI: Ctrl-C saves the search (exit 4), --resume finishes it with the uninterrupted
// figures, and a checkpoint of another search is a usage error.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, runCli } from "../fixtures/run-cli.ts";

const BIN = fileURLToPath(new URL("../../bin/protomc.js", import.meta.url));
const root = mkdtempSync(join(tmpdir(), "checkpoint-cli-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the CLI and sends it SIGINT once the search has run for `afterMs`. */
function interrupted(args: readonly string[], afterMs: number) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1" },
    });
    let stdout = "";
    let stderr = "";
    let sent = false;
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      // The "Checking" line is printed once Ctrl-C is handled by the search.
      if (!sent && stderr.includes("Checking")) {
        sent = true;
        setTimeout(() => child.kill("SIGINT"), afterMs);
      }
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("check --checkpoint / --resume", () => {
  it("saves the search on Ctrl-C and resumes it to the uninterrupted figures", async () => {
    const dir = join(root, "sigint");
    const spec = ["check", "specs/two-phase-commit.ts", "--param", "rms=6"];
    const first = await interrupted([...spec, "--checkpoint", dir, "--workers", "1"], 150);
    expect(first.code).toBe(4);
    expect(first.stdout).toMatch(/Incomplete \(interrupted\)/);
    expect(first.stderr).toMatch(/Checkpoint saved to .*sigint: depth \d+/);
    expect(existsSync(join(dir, "checkpoint.bin"))).toBe(true);

    const resumed = await runCli([...spec, "--resume", dir, "--json", "--workers", "1"]);
    expect(resumed.code).toBe(0);
    const json = JSON.parse(resumed.stdout) as { stats: Record<string, number> };
    // As an uninterrupted run reports them (test/specs/two-phase-commit.test.ts).
    expect(json.stats).toMatchObject({ distinct: 50_816, generated: 402_306, depth: 20 });
  }, 60_000);

  it("refuses to resume another spec, other params or other options", async () => {
    const dir = join(root, "other");
    const saved = await runCli([
      "check",
      "specs/two-phase-commit.ts",
      "--param",
      "rms=3",
      "--max-states",
      "100",
      "--checkpoint",
      dir,
      "--quiet",
      "--workers",
      "1",
    ]);
    expect(saved.code).toBe(4);
    const cases: [string[], RegExp][] = [
      [
        ["specs/two-phase-commit.ts", "--param", "rms=4"],
        /saved with params \{rms=3\}, not \{rms=4\}/,
      ],
      [
        ["specs/two-phase-commit.ts#commitEarly", "--param", "rms=3"],
        /not of specs\/two-phase-commit.ts#commitEarly/,
      ],
      [
        ["specs/two-phase-commit.ts", "--param", "rms=3", "--symmetry"],
        /saved with symmetry off, not on/,
      ],
      [["specs/two-phase-commit.ts", "--param", "rms=3", "--dfs"], /drop --dfs/],
    ];
    const runs = await Promise.all(
      cases.map(([args]) => runCli(["check", ...args, "--resume", dir])),
    );
    runs.forEach((r, i) => {
      const [args, message] = cases[i]!;
      expect(r.code, args.join(" ")).toBe(3);
      expect(r.stderr).toMatch(message);
    });
    // Saved on one thread, resumed on two worker threads.
    const resumed = await runCli([
      "check",
      "specs/two-phase-commit.ts",
      "--param",
      "rms=3",
      "--resume",
      dir,
      "--workers",
      "2",
      "--json",
    ]);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ stats: { distinct: 288, depth: 11 } });
    const missing = await runCli([
      "check",
      "specs/two-phase-commit.ts",
      "--resume",
      join(root, "none"),
    ]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/cannot resume from .*none: no checkpoint in/);
  }, 60_000);

  it("spills with workers past --memory, and says how many states went to disk", async () => {
    const args = ["check", "specs/two-phase-commit.ts", "--param", "rms=6", "--memory", "1"];
    const json = await runCli([...args, "--workers", "2", "--json"]);
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout) as { stats: { distinct: number; spilledStates: number } };
    expect(out.stats.distinct).toBe(50_816);
    expect(out.stats.spilledStates).toBeGreaterThan(0);
    const text = await runCli([...args, "--workers", "1"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/states written to disk past the memory budget: [\d,]+\n/);
  }, 60_000);

  it("ends incomplete (memory) when the budget is too small for the seen-set", async () => {
    const r = await runCli([
      "check",
      "specs/two-phase-commit.ts",
      "--param",
      "rms=7",
      "--memory",
      "2m",
      "--json",
    ]);
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout)).toMatchObject({ result: "incomplete", reason: "memory" });
    expect(r.stderr).toMatch(
      /Stopped: the fingerprint table would outgrow the memory budget \(2\.0 MiB\)/,
    );
    const bad = await runCli(["check", "specs/two-phase-commit.ts", "--memory", "lots"]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/--memory needs a size such as 8g/);
  }, 60_000);
});
