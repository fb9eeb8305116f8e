import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Map, Set } from "immutable";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SpecError } from "../../src/errors/spec-error.ts";
import {
  buildTraceFile,
  decodeTraceStates,
  readTraceFile,
  traceFileName,
  writeTraceFile,
  type TraceFile,
  type TraceInput,
} from "../../src/itf/trace-file.ts";
import { fingerprint, fingerprintHex } from "../../src/values/fingerprint.ts";

const states = [
  { rm: Map([["r1", "working"]]), msgs: Set<unknown>() },
  { rm: Map([["r1", "prepared"]]), msgs: Set([{ type: "Prepared", rm: "r1" }]) },
  { rm: Map([["r1", "committed"]]), msgs: Set([{ type: "Prepared", rm: "r1" }]), big: 10n },
];

const input: TraceInput = {
  spec: { path: "specs/two-phase-commit.ts", export: "default" },
  params: { rms: 1, lossy: false },
  property: "Consistent",
  kind: "invariant",
  states,
  actions: ["Init", "Prepare(r1)", "Commit(r1)"],
  timestamp: Date.UTC(2026, 10, 21, 10, 15, 0),
  version: "0.1.0",
};

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "protomc-itf-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("buildTraceFile", () => {
  it("builds ITF with protomc's metadata", () => {
    const file = buildTraceFile(input);
    expect(file["#meta"]).toEqual({
      format: "ITF",
      "format-description": "https://apalache-mc.org/docs/adr/015adr-trace.html",
      source: "specs/two-phase-commit.ts",
      spec: { path: "specs/two-phase-commit.ts", export: "default" },
      params: { rms: 1, lossy: false },
      property: "Consistent",
      kind: "invariant",
      actions: ["Init", "Prepare(r1)", "Commit(r1)"],
      loopIndex: null,
      stateShape: "object",
      description: "invariant Consistent violated by specs/two-phase-commit.ts#default in 2 steps",
      timestamp: Date.UTC(2026, 10, 21, 10, 15, 0),
      protomc: "0.1.0",
      fingerprints: states.map(fingerprintHex),
    });
    expect(file.vars).toEqual(["big", "msgs", "rm"]);
    expect(file.states[1]).toEqual({
      "#meta": { index: 1 },
      msgs: { "#set": [{ rm: "r1", type: "Prepared" }] },
      rm: { "#map": [["r1", "prepared"]] },
    });
    expect(file.loop).toBeUndefined();
  });

  it("marks a liveness lasso in both ITF's loop and #meta.loopIndex", () => {
    const file = buildTraceFile({ ...input, kind: "liveness", loopIndex: 1 });
    expect(file.loop).toBe(1);
    expect(file["#meta"].loopIndex).toBe(1);
  });

  it("rejects a mismatch between states and actions", () => {
    expect(() => buildTraceFile({ ...input, actions: ["Init"] })).toThrow(/3 states but 1/);
  });

  it("defaults the version to protomc's own", () => {
    const { version: _omit, ...rest } = input;
    expect(buildTraceFile(rest)["#meta"].protomc).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe("traceFileName", () => {
  it("is readable and filesystem-safe", () => {
    const when = new Date(Date.UTC(2026, 10, 21, 10, 15, 0));
    expect(traceFileName("two-phase-commit", "Consistent", when)).toBe(
      "two-phase-commit--Consistent--20261121-101500.itf.json",
    );
    expect(traceFileName("paxos.ts#no quorum/check", "A: b?", when)).toBe(
      "paxos.ts-no-quorum-check--A-b--20261121-101500.itf.json",
    );
    expect(traceFileName("", "../..", when)).toBe("spec--property--20261121-101500.itf.json");
  });
});

describe("writeTraceFile / readTraceFile", () => {
  it("round-trips, creating the directory and never overwriting", () => {
    const file = buildTraceFile({ ...input, kind: "liveness", loopIndex: 0 });
    const target = join(dir, "nested", "counterexamples");
    const p1 = writeTraceFile(target, file);
    const p2 = writeTraceFile(target, file);
    expect(p1).toBe(join(target, "two-phase-commit--Consistent--20261121-101500.itf.json"));
    expect(p2).toBe(join(target, "two-phase-commit--Consistent--20261121-101500-2.itf.json"));
    const read = readTraceFile(p1);
    expect(read).toEqual(file);
    const decoded = decodeTraceStates(read);
    decoded.forEach((s, i) => expect(fingerprint(s)).toEqual(fingerprint(states[i])));
  });

  it("names a variant export in the file name", () => {
    const file = buildTraceFile({ ...input, spec: { ...input.spec, export: "noVote" } });
    expect(writeTraceFile(dir, file)).toMatch(/two-phase-commit\.noVote--Consistent--/);
  });

  it("writes one line per state variable", () => {
    const text = readFileSync(writeTraceFile(dir, buildTraceFile(input)), "utf8");
    expect(text).toContain('\n      "msgs": {"#set":[{"rm":"r1","type":"Prepared"}]},\n');
    expect(JSON.parse(text)).toEqual(buildTraceFile(input));
  });
});

describe("readTraceFile errors", () => {
  const write = (json: unknown) => {
    const p = join(dir, "t.itf.json");
    writeFileSync(p, typeof json === "string" ? json : JSON.stringify(json));
    return p;
  };
  const errorOf = (p: string): SpecError => {
    try {
      readTraceFile(p);
    } catch (e) {
      expect(e).toBeInstanceOf(SpecError);
      expect((e as SpecError).code).toBe("PMC007");
      return e as SpecError;
    }
    throw new Error("expected readTraceFile to throw");
  };
  const good = () => JSON.parse(JSON.stringify(buildTraceFile(input))) as TraceFile;

  it("names the file and the field", () => {
    const p = write("{ not json");
    expect(errorOf(p).message).toMatch(new RegExp(`^${p}: is not valid JSON: `));
    expect(errorOf(join(dir, "missing.json")).message).toMatch(/missing\.json: cannot be read/);

    const f1 = good();
    f1["#meta"].actions.pop();
    expect(errorOf(write(f1)).message).toBe(
      `${p}: ["#meta"].actions must be an array of 3 strings (one per state), got an array of 2`,
    );
    const f2 = good();
    f2["#meta"].kind = "safety" as TraceFile["#meta"]["kind"];
    expect(errorOf(write(f2)).message).toBe(
      `${p}: ["#meta"].kind must be one of "invariant", "step", "deadlock", "liveness", got "safety"`,
    );
    const f3 = good();
    f3["#meta"].spec.export = 3 as unknown as string;
    expect(errorOf(write(f3)).message).toBe(`${p}: ["#meta"].spec.export must be a string, got 3`);
    const f4 = good();
    f4.states[2]!["#meta"].index = 7;
    expect(errorOf(write(f4)).message).toBe(`${p}: states[2]["#meta"].index must be 2, got 7`);
    const f5 = good();
    f5.loop = 1;
    expect(errorOf(write(f5)).message).toMatch(
      /: loop must be equal to \["#meta"\].loopIndex \(null\)/,
    );
    const f6 = good();
    delete (f6 as Partial<TraceFile>)["#meta"];
    expect(errorOf(write(f6)).message).toBe(`${p}: ["#meta"] must be an object, got nothing`);
  });

  it("names the path of a malformed state value", () => {
    const f = good();
    (f.states[1]!.msgs as { "#set": unknown[] })["#set"].push({ "#bigint": "x" });
    const p = write(f);
    expect(errorOf(p).message).toBe(
      `${p}: states[1].msgs["#set"][1]["#bigint"]: expected a decimal integer string, got string "x"`,
    );
  });
});
