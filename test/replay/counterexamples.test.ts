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
  "abd.minorityQuorums--Linearizable.itf.json",
  "abd.noWriteBack--Linearizable.itf.json",
  "chain-replication.noResendOnRelink--UpdatePrefix.itf.json",
  "chain-replication.queriesAtHead--Linearizable.itf.json",
  "leader-election-bully.falseSuspicion--AtMostOneCoordinator.itf.json",
  "leader-election-ring.duplicateIds--AtMostOneLeader.itf.json",
  "leader-election-ring.noFairness--EventuallyLeader.itf.json",
  "leader-election-ring.unfairDelivery--EventuallyLeader.itf.json",
  "paxos.acceptBelowPromise--Agreement.itf.json",
  "paxos.duelingProposers--EventuallyChosen.itf.json",
  "paxos.ignorePromisedValues--Agreement.itf.json",
  "paxos.minorityQuorums--LearnersAgree.itf.json",
  "two-phase-commit-processes.abortWhilePrepared--Atomicity.itf.json",
  "two-phase-commit-processes.coordinatorCrash--EveryParticipantDecides.itf.json",
  "two-phase-commit.abortAfterPrepare--Consistent.itf.json",
  "two-phase-commit.commitEarly--Consistent.itf.json",
];

const DIR = join(ROOT, "counterexamples");
const meta = (name: string): TraceFile["#meta"] =>
  (JSON.parse(readFileSync(join(DIR, name), "utf8")) as TraceFile)["#meta"];

// A variant may take params its default export does not have (paxos' duelingProposers adds
// `window`): its trace cannot be run on the default export at all.
async function fitsDefault(name: string): Promise<boolean> {
  const m = meta(name);
  const { spec } = await loadSpec({ path: m.spec.path, exportName: "default" }, ROOT);
  const declared = Object.keys((spec.definition.params ?? {}) as object);
  return Object.keys(m.params).every((p) => declared.includes(p));
}
const FITS = new Map<string, boolean>();
for (const name of FIXTURES) FITS.set(name, await fitsDefault(name));

describe.each(FIXTURES)("counterexamples/%s", (name) => {
  const file = join(DIR, name);

  it("is a trace of a variant", () => {
    expect(meta(name).spec.export).not.toBe("default");
  });

  it("reproduces on its variant", async () => {
    await expectTraceReproduces(file, { cwd: ROOT });
  });

  it.skipIf(FITS.get(name) !== true)("is fixed or diverged on the default export", async () => {
    await expectTraceDoesNotReproduce(file, { exportName: "default", cwd: ROOT });
  });
});

// Every variant in specs/ must have a kept trace (a spec that does not load is left to its
// own tests).
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
  it("has one for each variant", () => {
    expect(missing).toEqual([]);
  });
  it("lists only traces that exist", () => {
    expect(FIXTURES.filter((f) => !existsSync(join(DIR, f)))).toEqual([]);
  });
});
