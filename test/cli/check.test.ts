import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../fixtures/run-cli.ts";

// Trace directories of the runs below, removed at the end.
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "protomc-cli-"));
  made.push(dir);
  return dir;
}

const SPEC = "specs/two-phase-commit.ts";

describe("protomc check (real CLI)", () => {
  it("exits 0 and prints the figures when every property holds", async () => {
    const r = await runCli(["check", SPEC, "--quiet"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("two-phase-commit: no violation. 288 distinct states");
    expect(r.stdout).toContain("depth 11");
    expect(r.stdout).toContain("checked: TypeOK, Consistent");
    expect(r.stdout).toMatch(/fingerprint collision probability: \d/);
    expect(r.stderr).toBe("");
  });

  it("--json prints one object with the result and figures", async () => {
    const r = await runCli(["check", SPEC, "--param", "rms=5", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      result: "ok",
      params: { rms: 5 },
      stats: { distinct: 8832, generated: 58146, depth: 17, queue: 0 },
    });
  });

  it("exits 1 on a violation, prints the trace and writes it as ITF", async () => {
    const dir = tempDir();
    const r = await runCli(["check", `${SPEC}#commitEarly`, "--out", dir, "--json"]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as {
      result: string;
      violation: { property: string; kind: string; length: number; file: string };
    };
    expect(out.result).toBe("violation");
    expect(out.violation).toMatchObject({ property: "Consistent", kind: "invariant", length: 6 });
    expect(out.violation.file.startsWith(dir)).toBe(true);
    const itf = JSON.parse(readFileSync(out.violation.file, "utf8")) as {
      "#meta": { spec: unknown; params: unknown; actions: string[] };
      vars: string[];
      states: unknown[];
    };
    expect(itf["#meta"].spec).toEqual({ path: SPEC, export: "commitEarly" });
    expect(itf["#meta"].params).toEqual({ rms: 3 });
    expect(itf["#meta"].actions).toEqual([
      "Init",
      "RMPrepare(0)",
      "TMRcvPrepared(0)",
      "TMCommit",
      "RMChooseToAbort(1)",
      "RMRcvCommitMsg(0)",
    ]);
    expect(itf.vars).toEqual(["msgs", "rmState", "tmPrepared", "tmState"]);
    expect(itf.states).toHaveLength(6);

    const human = await runCli(["check", `${SPEC}#commitEarly`, "--out", dir, "--quiet"]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain("✗ Invariant Consistent is violated after 5 steps:");
    expect(human.stdout).toContain("3. TMCommit");
    expect(human.stdout).toContain('tmState: "init" → "committed"');
    expect(human.stdout).toContain(`Trace written to ${dir}`);
  });

  it("exits 2 with the action and the trace when the spec throws", async () => {
    const r = await runCli(["check", "test/cli/fixtures/broken.ts", "--quiet"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("[PMC002] action Step threw: boom at two");
    expect(r.stdout).toContain("2. Step");
  });

  it("exits 2 naming the spec exports when the export is missing or not a spec", async () => {
    const missing = await runCli(["check", `${SPEC}#nope`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      `${SPEC} has no export "nope" (spec exports: default, abortAfterPrepare, commitEarly)`,
    );
    const notSpec = await runCli(["check", "test/cli/fixtures/broken.ts#notASpec"]);
    expect(notSpec.code).toBe(2);
    expect(notSpec.stderr).toContain('exports something that is not a spec as "notASpec"');
    const noFile = await runCli(["check", "specs/nope.ts"]);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain("spec file not found: specs/nope.ts");
  });

  it("exits 3 on usage errors, listing what is valid", async () => {
    const param = await runCli(["check", SPEC, "--param", "rm=3"]);
    expect(param.code).toBe(3);
    expect(param.stderr).toContain('unknown param "rm"; valid params:');
    expect(param.stderr).toContain("rms=<integer in 1..16> (default 3) — resource managers");
    const range = await runCli(["check", SPEC, "--param", "rms=0"]);
    expect(range.code).toBe(3);
    expect(range.stderr).toContain("param rms=0 is out of range");
    const flag = await runCli(["check", SPEC, "--max-state", "3"]);
    expect(flag.code).toBe(3);
    expect(flag.stderr).toContain("unknown flag --max-state (did you mean --max-states?)");
    const command = await runCli(["chek", SPEC]);
    expect(command.code).toBe(3);
    expect(command.stderr).toContain('unknown command "chek"');
  });

  it("--symmetry counts orbits, as TLC's SYMMETRY", async () => {
    const r = await runCli(["check", SPEC, "--param", "rms=5", "--symmetry", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      result: "ok",
      symmetry: true,
      stats: { distinct: 314 },
    });
  });

  it("--no-liveness leaves the temporal properties out, says so, and lets workers search", async () => {
    const ring = "specs/leader-election-ring.ts#noFairness";
    const live = await runCli(["check", ring, "--json", "--quiet", "--out", tempDir()]);
    expect(live.code).toBe(1);
    expect(JSON.parse(live.stdout)).toMatchObject({ violation: { kind: "liveness" } });
    const safety = await runCli(["check", ring, "--no-liveness", "--workers", "2", "--json"]);
    expect(safety.code).toBe(0);
    expect(JSON.parse(safety.stdout)).toMatchObject({
      result: "ok",
      notChecked: ["EventuallyLeader", "EventuallyAllKnow"],
      stats: { distinct: 2452, depth: 37 },
    });
    const human = await runCli(["check", ring, "--no-liveness", "--quiet"]);
    expect(human.stdout).toContain(
      "not checked (--no-liveness): EventuallyLeader, EventuallyAllKnow",
    );
  });

  it("exits 4 when a limit ends the search", async () => {
    const r = await runCli(["check", SPEC, "--max-states", "50", "--json"]);
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout)).toMatchObject({ result: "incomplete", reason: "max-states" });
  });

  it("checks several specs (a quoted glob too) and exits with the worst result", async () => {
    const dir = tempDir();
    const r = await runCli([
      "check",
      "specs/two-phase-comm?t.ts",
      `${SPEC}#commitEarly`,
      "test/cli/fixtures/broken.ts",
      "--out",
      dir,
      "--quiet",
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/specs\/two-phase-commit\.ts +✓ ok +288 +11/);
    expect(r.stdout).toMatch(/specs\/two-phase-commit\.ts#commitEarly +✗ Consistent +\d+ +5/);
    expect(r.stdout).toMatch(/test\/cli\/fixtures\/broken\.ts +✗ spec error PMC002/);
    expect(r.stdout).toContain("3 specs checked, 2 did not pass");
    const noMatch = await runCli(["check", "specs/nothing-*.ts"]);
    expect(noMatch.code).toBe(3);
    expect(noMatch.stderr).toContain("no spec files match specs/nothing-*.ts");
  });

  it("--reporter junit makes each property a test case", async () => {
    const dir = tempDir();
    const r = await runCli([
      "check",
      SPEC,
      `${SPEC}#commitEarly`,
      "--out",
      dir,
      "--reporter",
      "junit",
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '<testsuites name="protomc" tests="6" failures="1" errors="0" skipped="2"',
    );
    expect(r.stdout).toContain(`<testcase classname="${SPEC}" name="Consistent"/>`);
    expect(r.stdout).toContain(
      '<failure message="Consistent is violated after 5 steps"><![CDATA[  0. Init',
    );
    expect(r.stdout).toContain('<skipped message="search stopped at the first violation"/>');
  });

  it("--reporter github adds annotations on the spec file", async () => {
    const dir = tempDir();
    const r = await runCli([
      "check",
      `${SPEC}#commitEarly`,
      "--out",
      dir,
      "--reporter",
      "github",
      "--quiet",
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^::error file=specs\/two-phase-commit\.ts,title=protomc: Consistent violated::Consistent \(invariant\) is violated after 5 steps \(trace: /m,
    );
  });

  it("--help documents the flags and exit codes", async () => {
    const r = await runCli(["check", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: protomc check <spec.ts[#export]> ... [flags]");
    expect(r.stdout).toContain("--no-deadlock");
    expect(r.stdout).toContain(
      "Exit codes: 0 ok, 1 violation, 2 spec error, 3 usage error, 4 incomplete.",
    );
  });
});
