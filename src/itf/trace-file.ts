// Counterexample trace files: ITF JSON whose "#meta" also holds what `protomc replay` needs.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, extname, join } from "node:path";
import type { Violation } from "../engine/result.ts";
import { SpecError } from "../errors/spec-error.ts";
import type { Model } from "../spec/model.ts";
import { fingerprintHex } from "../values/fingerprint.ts";
import { formatPath, type PathSegment } from "../values/path.ts";
import { decodeState } from "./decode.ts";
import { encodeState, type ItfState, type StateShape } from "./encode.ts";

export type TraceKind = "invariant" | "step" | "deadlock" | "liveness";
export type ParamValues = Record<string, number | boolean | string>;

export interface TraceMeta {
  format: "ITF";
  "format-description": string;
  /** The spec file's path, as given to protomc (ITF's own field). */
  source: string;
  spec: { path: string; export: string };
  params: ParamValues;
  /** The violated property's name. */
  property: string;
  kind: TraceKind;
  /** The action label of every state; "Init" for the first. */
  actions: string[];
  /** For a liveness lasso: the index of the state the last state steps back to. */
  loopIndex: number | null;
  /**
   * For a liveness lasso: the label of the step from the last state back to the state at
   * `loopIndex`, or null when the last state stutters forever. Absent in traces written before
   * protomc recorded it; replay then tries every step that closes the cycle.
   */
  loopAction?: string | null;
  /** How each state maps onto `vars` (see encodeState). */
  stateShape: StateShape;
  description: string;
  /** Milliseconds since the epoch, as Quint writes it. */
  timestamp: number;
  /** The protomc version that wrote the file. */
  protomc: string;
  /** The fingerprint of every state (16 hex digits), as the checker computed it. */
  fingerprints: string[];
}

export interface TraceFile {
  "#meta": TraceMeta;
  vars: string[];
  states: ItfState[];
  /** ITF's own lasso marker; equal to `#meta.loopIndex` when that is not null. */
  loop?: number;
}

export interface TraceInput {
  spec: { path: string; export: string };
  params: ParamValues;
  property: string;
  kind: TraceKind;
  states: readonly unknown[];
  actions: readonly string[];
  loopIndex?: number | null;
  /** The label of the step that closes a lasso's cycle (null: stuttering); see TraceMeta. */
  loopAction?: string | null;
  /** Defaults to the fingerprint of each state; pass the engine's when it fingerprints a view. */
  fingerprints?: readonly string[];
  description?: string;
  /** Defaults to now. */
  timestamp?: number;
  version?: string;
}

const FORMAT_DESCRIPTION = "https://apalache-mc.org/docs/adr/015adr-trace.html";

let cachedVersion: string | undefined;
function protomcVersion(): string {
  if (cachedVersion === undefined) {
    try {
      const pkg = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
      const version = (JSON.parse(pkg) as { version?: unknown }).version;
      cachedVersion = typeof version === "string" ? version : "unknown";
    } catch {
      cachedVersion = "unknown";
    }
  }
  return cachedVersion;
}

const KIND_WORDS: Record<TraceKind, string> = {
  invariant: "invariant",
  step: "step property",
  deadlock: "deadlock check",
  liveness: "liveness property",
};

export function buildTraceFile(input: TraceInput): TraceFile {
  const n = input.states.length;
  if (n === 0) throw new Error("a trace needs at least one state");
  if (input.actions.length !== n)
    throw new Error(`${n} states but ${input.actions.length} actions`);
  const loopIndex = input.loopIndex ?? null;
  const encoded = input.states.map((s) => encodeState(s));
  const shape = encoded[0]?.shape ?? "object";
  // States may leave optional keys out, so the variables are the union over all states.
  const vars = [...new Set(encoded.flatMap((e) => e.vars))].sort();
  const file: TraceFile = {
    "#meta": {
      format: "ITF",
      "format-description": FORMAT_DESCRIPTION,
      source: input.spec.path,
      spec: { path: input.spec.path, export: input.spec.export },
      params: { ...input.params },
      property: input.property,
      kind: input.kind,
      actions: [...input.actions],
      loopIndex,
      ...(input.loopAction !== undefined && loopIndex !== null
        ? { loopAction: input.loopAction }
        : {}),
      stateShape: shape,
      description:
        input.description ??
        `${KIND_WORDS[input.kind]} ${input.property} violated by ${input.spec.path}#${input.spec.export} in ${n - 1} steps`,
      timestamp: input.timestamp ?? Date.now(),
      protomc: input.version ?? protomcVersion(),
      fingerprints: input.fingerprints ? [...input.fingerprints] : input.states.map(fingerprintHex),
    },
    vars,
    states: encoded.map((e, index) => ({ "#meta": { index }, ...e.fields })),
  };
  if (loopIndex !== null) file.loop = loopIndex;
  return file;
}

// Letters, digits, "." and "_" stay; every other run becomes one "-", so "--" separates parts.
function slug(s: string, fallback: string): string {
  const out = s
    .replace(/[^A-Za-z0-9._]+/g, "-")
    .replace(/^[-.]+|-+$/g, "")
    .slice(0, 60);
  return out === "" ? fallback : out;
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return (
    `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-` +
    `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`
  );
}

/** A filesystem-safe name such as `two-phase-commit--Consistent--20261121-101500.itf.json` (UTC). */
export function traceFileName(specName: string, property: string, when = new Date()): string {
  return `${slug(specName, "spec")}--${slug(property, "property")}--${stamp(when)}.itf.json`;
}

// One line per state variable: the file stays readable and diffs well, without one line per
// set element.
function serialize(file: TraceFile): string {
  const states = file.states.map((s) => {
    const lines = Object.entries(s).map(
      ([k, v]) => `      ${JSON.stringify(k)}: ${JSON.stringify(v)}`,
    );
    return `    {\n${lines.join(",\n")}\n    }`;
  });
  const meta = JSON.stringify(file["#meta"], null, 2).replace(/\n/g, "\n  ");
  const parts = [`  "#meta": ${meta}`, `  "vars": ${JSON.stringify(file.vars)}`];
  parts.push(`  "states": [\n${states.join(",\n")}\n  ]`);
  if (file.loop !== undefined) parts.push(`  "loop": ${file.loop}`);
  return `{\n${parts.join(",\n")}\n}\n`;
}

/**
 * Writes the trace into `dir` (created if needed) under a name from traceFileName, never
 * overwriting an existing file. Returns the path written.
 */
export function writeTraceFile(dir: string, file: TraceFile): string {
  mkdirSync(dir, { recursive: true });
  const { path, export: exp } = file["#meta"].spec;
  const specName = basename(path, extname(path)) + (exp === "default" ? "" : `.${exp}`);
  const name = traceFileName(specName, file["#meta"].property, new Date(file["#meta"].timestamp));
  const text = serialize(file);
  for (let i = 1; ; i++) {
    const target = join(dir, i === 1 ? name : name.replace(/\.itf\.json$/, `-${i}.itf.json`));
    try {
      writeFileSync(target, text, { flag: "wx" });
      return target;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
}

/**
 * A violation found by `check` or `simulate` as a trace file of `model`: its fingerprints are
 * the checker's (of the view, when the spec has one), and a lasso records its loop index and
 * the label of the step that closes its cycle. Null when the model was not loaded from a file,
 * so that there is no spec to name in the trace.
 */
export function violationTraceFile<S>(
  model: Model<S>,
  violation: Violation<S>,
  description?: string,
): TraceFile | null {
  if (model.source === null) return null;
  const view = model.view;
  const v = violation;
  const closing = v.explanation?.closingAction;
  return buildTraceFile({
    spec: { path: model.source.path, export: model.source.exportName },
    params: { ...model.params },
    property: v.property,
    kind: v.kind,
    states: v.trace.map((s) => s.state),
    actions: v.trace.map((s) => s.label),
    loopIndex: v.loopIndex,
    ...(v.loopIndex !== null && closing !== undefined ? { loopAction: closing } : {}),
    fingerprints: v.trace.map((s) => fingerprintHex(view === null ? s.state : view(s.state))),
    ...(description !== undefined ? { description } : {}),
  });
}

/**
 * Writes a violation's trace file into `dir` (see violationTraceFile and writeTraceFile).
 * Returns the path written, or null when the model has no source file.
 */
export function writeViolationTrace<S>(
  model: Model<S>,
  violation: Violation<S>,
  dir: string,
  description?: string,
): string | null {
  const file = violationTraceFile(model, violation, description);
  return file === null ? null : writeTraceFile(dir, file);
}

/** The states of a trace as canonical state values (see decode.ts). */
export function decodeTraceStates(file: TraceFile): unknown[] {
  return file.states.map((s, i) => decodeState(s, file["#meta"].stateShape, `states[${i}]`));
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === "string";
const isStrs = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);
const isParam = (v: unknown) => ["number", "boolean", "string"].includes(typeof v);
const KINDS: readonly unknown[] = ["invariant", "step", "deadlock", "liveness"];

function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return isObj(v) ? "an object" : JSON.stringify(v);
}

/**
 * Reads and validates a trace file written by writeTraceFile, including every state value.
 * @throws SpecError PMC007 naming the file and the JSON path of the first problem.
 */
export function readTraceFile(path: string): TraceFile {
  const fail = (where: PathSegment[], problem: string): never => {
    const at = formatPath("", where).replace(/^\./, "");
    throw new SpecError(
      "PMC007",
      `${path}: ${at === "" ? "" : at + " "}${problem}`,
      "Trace files are written by `protomc check`; check it again to get a fresh one.",
    );
  };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    const why = (e as Error).message;
    return fail(
      [],
      e instanceof SyntaxError ? `is not valid JSON: ${why}` : `cannot be read: ${why}`,
    );
  }
  const need = <T>(
    o: Json,
    at: PathSegment[],
    key: string,
    ok: (v: unknown) => boolean,
    what: string,
  ) => {
    if (!ok(o[key])) fail([...at, key], `must be ${what}, got ${describe(o[key])}`);
    return o[key] as T;
  };
  if (!isObj(json)) return fail([], "must hold a JSON object");
  const meta = need<Json>(json, [], "#meta", isObj, "an object");
  const states = need<unknown[]>(
    json,
    [],
    "states",
    (v) => Array.isArray(v) && v.length > 0,
    "a non-empty array",
  );
  need(json, [], "vars", isStrs, "an array of strings");
  const n = states.length;
  const m = ["#meta"];
  need(meta, m, "format", (v) => v === "ITF", `"ITF"`);
  for (const key of ["format-description", "source", "property", "description", "protomc"])
    need(meta, m, key, isStr, "a string");
  const spec = need<Json>(meta, m, "spec", isObj, "an object");
  need(spec, [...m, "spec"], "path", isStr, "a string");
  need(spec, [...m, "spec"], "export", isStr, "a string");
  const params = need<Json>(meta, m, "params", isObj, "an object");
  for (const key of Object.keys(params))
    need(params, [...m, "params"], key, isParam, "a number, boolean or string");
  need(
    meta,
    m,
    "kind",
    (v) => KINDS.includes(v),
    `one of ${KINDS.map((k) => `"${String(k)}"`).join(", ")}`,
  );
  need(
    meta,
    m,
    "actions",
    (v) => isStrs(v) && v.length === n,
    `an array of ${n} strings (one per state)`,
  );
  const loopIndex = need<number | null>(
    meta,
    m,
    "loopIndex",
    (v) => v === null || (Number.isInteger(v) && (v as number) >= 0 && (v as number) < n),
    `null or a state index below ${n}`,
  );
  if (meta.loopAction !== undefined) {
    const last = n - 1;
    need(
      meta,
      m,
      "loopAction",
      (v) => loopIndex !== null && (loopIndex === last ? v === null : isStr(v)),
      loopIndex === null
        ? "absent (the trace has no loopIndex)"
        : loopIndex === last
          ? "null (the last state, at the loop index, stutters)"
          : "a string (the label of the step back to the loop index)",
    );
  }
  need(meta, m, "stateShape", (v) => v === "object" || v === "value", `"object" or "value"`);
  need(meta, m, "timestamp", Number.isFinite, "a number");
  const fp = (v: unknown) =>
    isStrs(v) && v.length === n && v.every((f) => /^[0-9a-f]{16}$/.test(f));
  need(meta, m, "fingerprints", fp, `an array of ${n} 16-digit hex strings`);
  if (json.loop !== undefined)
    need(json, [], "loop", (v) => v === loopIndex, `equal to ["#meta"].loopIndex (${loopIndex})`);
  states.forEach((s, i) => {
    if (!isObj(s)) return fail(["states", i], `must be an object, got ${describe(s)}`);
    const index = isObj(s["#meta"]) ? s["#meta"].index : undefined;
    if (index !== i) fail(["states", i, "#meta", "index"], `must be ${i}, got ${describe(index)}`);
  });
  const file = json as unknown as TraceFile;
  try {
    decodeTraceStates(file);
  } catch (e) {
    if (e instanceof SpecError) throw new SpecError("PMC007", `${path}: ${e.message}`, e.fix);
    throw e;
  }
  return file;
}
