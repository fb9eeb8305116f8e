// `protomc simulate` as a user runs it: the reproduce command it prints, the trace it writes
// (which `protomc replay` reproduces), JSON output and exit codes.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../fixtures/run-cli.ts";

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "protomc-simulate-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("protomc simulate", () => {
  it("exits 1 on a violation, prints how to reproduce it, and writes a replayable trace", async () => {
    const out = join(dir, "human");
    const ref = "specs/two-phase-commit.ts#commitEarly";
    const r = await runCli(["simulate", ref, "--seed", "1", "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^✗ Invariant Consistent is violated after 5 steps \(run \d+, \w+; shrunk from \d+ steps/,
    );
    expect(r.stdout).toMatch(/\n {2}5\. RMRcvCommitMsg\(\d\)\n/);
    expect(r.stdout).toContain(
      `  Reproduce: protomc simulate ${ref} --seed 1 --runs 1000 --depth 100\n`,
    );
    expect(r.stderr).toContain(
      `Simulating ${ref} (two-phase-commit): 1,000 runs of up to 100 steps, seed 1`,
    );
    const [file] = readdirSync(out);
    expect(file).toMatch(/^two-phase-commit\.commitEarly--Consistent--.*\.itf\.json$/);
    expect(r.stdout).toContain(`  Replay:    protomc replay ${join(out, file!)}`);
    const replay = await runCli(["replay", join(out, file!)]);
    expect(replay.code).toBe(1);
    expect(replay.stdout).toContain(
      "✗ Reproduced: invariant Consistent is violated after 5 steps, as recorded",
    );
  });

  it("gives the same result for the same seed, as JSON", async () => {
    const args = [
      "simulate",
      "specs/two-phase-commit.ts#abortAfterPrepare",
      "--seed",
      "5",
      "--json",
    ];
    const [a, b] = await Promise.all([
      runCli([...args, "--out", join(dir, "a")]),
      runCli([...args, "--out", join(dir, "b")]),
    ]);
    expect(a.code).toBe(1);
    expect(b.code).toBe(1);
    const ja = JSON.parse(a.stdout) as {
      violation: { actions: string[] };
      path: string;
      seed: number;
    };
    const jb = JSON.parse(b.stdout) as typeof ja;
    expect(ja).toMatchObject({ result: "violation", seed: 5, runs: 1000, depth: 100 });
    expect(ja.violation).toMatchObject({ property: "Consistent", kind: "invariant", length: 10 });
    expect(jb.violation.actions).toEqual(ja.violation.actions);
    expect(jb.path).toBe(ja.path);
  });

  it("exits 0 when no violation is found, and 3 on a bad flag value", async () => {
    const [ok, bad] = await Promise.all([
      runCli(["simulate", "specs/two-phase-commit.ts", "--seed", "2", "--runs", "100", "--quiet"]),
      runCli(["simulate", "specs/two-phase-commit.ts", "--depth", "0"]),
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(
      /^✓ two-phase-commit: no violation in 100 random behaviours of up to 100 steps \(seed 2\)/,
    );
    expect(ok.stderr).toBe("");
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain("--depth must be at least 1");
  });

  it("reports a liveness lasso with its cycle, and writes it so that replay reproduces it", async () => {
    const out = join(dir, "lasso");
    const ref = "specs/two-phase-commit-processes.ts#coordinatorCrash";
    const r = await runCli(["simulate", ref, "--seed", "1", "--out", out, "--quiet"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^✗ Liveness property EveryParticipantDecides is violated after 4 steps \(run \d+/,
    );
    expect(r.stdout).toContain("⟲ cycle starts here");
    expect(r.stdout).toContain("The last state stutters forever");
    const [file] = readdirSync(out);
    const replay = await runCli(["replay", join(out, file!)]);
    expect(replay.code).toBe(1);
    expect(replay.stdout).toContain("✗ Reproduced: liveness property EveryParticipantDecides");
  });

  it("takes the strategies and liveness off as flags, and says so in the reproduce command", async () => {
    const ref = "specs/leader-election-ring.ts#noFairness";
    const [off, one, bad] = await Promise.all([
      runCli(["simulate", ref, "--seed", "1", "--runs", "20", "--no-liveness", "--json"]),
      runCli(["simulate", ref, "--seed", "1", "--strategy", "quiet", "--json", "--out", dir]),
      runCli(["simulate", ref, "--strategy", "fastest"]),
    ]);
    expect(off.code).toBe(0);
    expect(JSON.parse(off.stdout)).toMatchObject({
      result: "ok",
      reproduce: `protomc simulate ${ref} --no-liveness --seed 1 --runs 20 --depth 100`,
    });
    expect(one.code).toBe(1);
    expect(JSON.parse(one.stdout)).toMatchObject({
      reproduce: `protomc simulate ${ref} --strategy quiet --seed 1 --runs 1000 --depth 100`,
      violation: {
        property: "EventuallyLeader",
        kind: "liveness",
        loopIndex: 0,
        strategy: "quiet",
      },
    });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain("--strategy must be one of uniform, delays, quiet");
  });
});
