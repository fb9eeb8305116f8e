import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { captureIo } from "./capture-io.ts";
import { runCli } from "../fixtures/run-cli.ts";

const LIN_DATA = fileURLToPath(new URL("../../../shared/lin-data/", import.meta.url));

const rows = readFileSync(join(LIN_DATA, "verdicts.tsv"), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => line.split("\t") as [string, string, string]);

describe("protomc lincheck on the recorded histories", () => {
  it("has all 108 histories", () => {
    expect(rows).toHaveLength(108);
  });

  it.each(rows)("%s as %s: %s", async (file, model, expected) => {
    const io = captureIo();
    const code = await main(["lincheck", join(LIN_DATA, file), "--model", model, "--json"], io);
    const out = JSON.parse(io.stdoutText()) as { result: string; elapsedMs: number };
    expect(out.result).toBe(expected === "linearizable" ? "ok" : "violation");
    expect(code).toBe(expected === "linearizable" ? 0 : 1);
  });
});

describe("protomc lincheck (real CLI)", () => {
  it("exits 1 and explains a history that is not linearizable", async () => {
    const r = await runCli(["lincheck", join(LIN_DATA, "kv/c01-bad.txt"), "--model", "kv"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("not linearizable as kv (38 operations");
    expect(r.stdout).toContain("longest valid prefix (3 ops):");
    expect(r.stdout).toContain(
      'cannot be placed next: #29 process 0: get key="7" nil -> "x 0 0 y" (events 58..59)',
    );
  });

  it("exits 0 on a linearizable history", async () => {
    const r = await runCli([
      "lincheck",
      join(LIN_DATA, "jepsen/etcd_002.log"),
      "--model",
      "cas-register",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("linearizable as cas-register");
  });

  it("exits 2 naming the malformed line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "protomc-lincheck-"));
    const file = join(dir, "bad.log");
    writeFileSync(
      file,
      "{:process 0, :type :invoke, :f :write, :value 1}\n{:process 0, :type :ok, :f :write :value\n",
    );
    const r = await runCli(["lincheck", file, "--model", "register"]);
    rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("[PMC007]");
    expect(r.stderr).toContain("line 2");
  });

  it("exits 3 without a valid --model", async () => {
    const r = await runCli(["lincheck", join(LIN_DATA, "jepsen/etcd_000.log"), "--model", "queue"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--model must be one of register, cas-register, kv, got "queue"');
  });
});
