// `protomc replay --emit-test`: the source of a vitest regression test for a trace file, so a
// counterexample becomes a checked-in test in one command.
import { basename, dirname, join, relative, sep } from "node:path";
import type { TraceFile } from "../itf/trace-file.ts";

/** Where the test goes when no file is named: test/regressions/<trace name>.test.ts. */
export function defaultTestPath(tracePath: string): string {
  const name = basename(tracePath).replace(/(\.itf)?\.json$/, "");
  return join("test", "regressions", `${name}.test.ts`);
}

/**
 * A vitest file that replays the trace. A variant's trace (a named export, a known bug) must
 * reproduce on the variant and not on the spec's default export; a trace of the default export
 * (a bug still to fix) must no longer reproduce, so the test fails until the bug is fixed.
 * `traceFromTest` is the trace's path relative to the test file's directory.
 */
export function regressionTestSource(
  file: TraceFile,
  traceFromTest: string,
  command: string,
): string {
  const meta = file["#meta"];
  const { path, export: exp } = meta.spec;
  const what = meta.kind === "deadlock" ? "deadlock" : `${meta.property}`;
  const steps = file.states.length - 1;
  const url = traceFromTest.split(sep).join("/");
  const spec = exp === "default" ? path : `${path}#${exp}`;
  const title = `${spec}: ${what} (${steps} step${steps === 1 ? "" : "s"})`;
  const isVariant = exp !== "default";
  const imports = isVariant
    ? "expectTraceDoesNotReproduce, expectTraceReproduces"
    : "expectTraceDoesNotReproduce";
  const body = isVariant
    ? [
        `  it("reproduces on ${exp}", async () => {`,
        `    await expectTraceReproduces(trace);`,
        `  });`,
        ``,
        `  it("is fixed or diverged on the default export", async () => {`,
        `    await expectTraceDoesNotReproduce(trace, { exportName: "default" });`,
        `  });`,
      ]
    : [
        `  // Fails while the bug is in the spec: the trace must stop reproducing once it is fixed.`,
        `  it("no longer reproduces", async () => {`,
        `    await expectTraceDoesNotReproduce(trace);`,
        `  });`,
      ];
  return [
    `// Regression test for ${meta.description}.`,
    `// Written by \`${command}\`.`,
    `import { describe, it } from "vitest";`,
    `import { ${imports} } from "protomc/vitest";`,
    ``,
    traceConst(JSON.stringify(url.startsWith(".") ? url : `./${url}`)),
    ``,
    `describe(${JSON.stringify(title)}, () => {`,
    ...body,
    `});`,
    ``,
  ].join("\n");
}

// As prettier (printWidth 100) would lay it out.
function traceConst(literal: string): string {
  const line = `const trace = new URL(${literal}, import.meta.url);`;
  return line.length <= 100
    ? line
    : `const trace = new URL(\n  ${literal},\n  import.meta.url,\n);`;
}

/** The trace's path as the test file at `testPath` refers to it. */
export function traceFromTest(testPath: string, tracePath: string): string {
  return relative(dirname(testPath), tracePath);
}
