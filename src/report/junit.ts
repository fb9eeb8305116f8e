// JUnit XML for CI systems: one test suite per spec, one test case per property (every
// invariant, step property and temporal property, and deadlock freedom when it is checked).
import type { CheckRun } from "../cli/check-run.ts";
import { formatSpecRef } from "../spec/load-spec.ts";
import type { Model } from "../spec/model.ts";
import { printTrace } from "./print-trace.ts";
import { plainStyle } from "./style.ts";

interface Case {
  readonly name: string;
  readonly outcome:
    | { readonly kind: "pass" }
    | { readonly kind: "failure" | "error"; readonly message: string; readonly body: string }
    | { readonly kind: "skipped"; readonly message: string };
}

function xml(s: string): string {
  return (
    s
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      // XML 1.0 cannot hold most control characters, even escaped.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "")
  );
}

function cdata(s: string): string {
  return `<![CDATA[${s.replace(/]]>/g, "]]]]><![CDATA[>")}]]>`;
}

function properties(model: Model<unknown>, deadlock: boolean): string[] {
  return [
    ...model.invariants.map((i) => i.name),
    ...model.stepProperties.map((p) => p.name),
    ...(model.properties ?? []).map((p) => p.name),
    ...(deadlock ? ["deadlock"] : []),
  ];
}

function cases(run: CheckRun, deadlock: boolean): Case[] {
  if ("loadError" in run) {
    return [
      {
        name: "load",
        outcome: { kind: "error", message: run.loadError.message, body: run.loadError.message },
      },
    ];
  }
  const { model, result } = run.outcome;
  const names = properties(model, deadlock);
  switch (result.kind) {
    case "ok":
      return names.map((name) => ({ name, outcome: { kind: "pass" } }));
    case "incomplete":
      return names.map((name) => ({
        name,
        outcome: { kind: "skipped", message: `incomplete: ${result.reason}` },
      }));
    case "specError":
      return [
        {
          name: "spec",
          outcome: { kind: "error", message: result.error.message, body: result.error.message },
        },
        ...names.map((name) => ({
          name,
          outcome: { kind: "skipped" as const, message: "not checked: spec error" },
        })),
      ];
    case "violation": {
      const v = result.violation;
      const trace = printTrace(v.trace, { style: plainStyle, loopIndex: v.loopIndex });
      const file = run.outcome.traceFile === null ? "" : `\n\nTrace file: ${run.outcome.traceFile}`;
      return names.map((name) =>
        name === v.property
          ? {
              name,
              outcome: {
                kind: "failure",
                message: `${name} is violated after ${v.trace.length - 1} steps`,
                body: trace + file,
              },
            }
          : {
              name,
              outcome: { kind: "skipped", message: "search stopped at the first violation" },
            },
      );
    }
  }
}

export function junitReport(runs: readonly CheckRun[], deadlock: boolean): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const suites = runs.map((run) => {
    const name = formatSpecRef(run.ref);
    const cs = cases(run, deadlock);
    const seconds = "outcome" in run ? run.outcome.result.stats.elapsedMs / 1000 : 0;
    const count = (k: string): number => cs.filter((c) => c.outcome.kind === k).length;
    const body = cs.map((c) => {
      const open = `    <testcase classname="${xml(name)}" name="${xml(c.name)}"`;
      const o = c.outcome;
      if (o.kind === "pass") return `${open}/>`;
      if (o.kind === "skipped")
        return `${open}>\n      <skipped message="${xml(o.message)}"/>\n    </testcase>`;
      return `${open}>\n      <${o.kind} message="${xml(o.message)}">${cdata(o.body)}</${o.kind}>\n    </testcase>`;
    });
    return {
      tests: cs.length,
      failures: count("failure"),
      errors: count("error"),
      skipped: count("skipped"),
      seconds,
      text:
        `  <testsuite name="${xml(name)}" tests="${cs.length}" failures="${count("failure")}" ` +
        `errors="${count("error")}" skipped="${count("skipped")}" time="${seconds.toFixed(3)}">\n` +
        body.join("\n") +
        "\n  </testsuite>",
    };
  });
  const sum = (k: "tests" | "failures" | "errors" | "skipped"): number =>
    suites.reduce((n, s) => n + s[k], 0);
  const time = suites.reduce((n, s) => n + s.seconds, 0);
  lines.push(
    `<testsuites name="protomc" tests="${sum("tests")}" failures="${sum("failures")}" ` +
      `errors="${sum("errors")}" skipped="${sum("skipped")}" time="${time.toFixed(3)}">`,
  );
  lines.push(...suites.map((s) => s.text), "</testsuites>");
  return lines.join("\n");
}
