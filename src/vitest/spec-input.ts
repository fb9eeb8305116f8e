// What the vitest helpers accept as a spec: a `path.ts#export` reference, loaded like the CLI
// loads it, or a spec object imported by the test.
import { resolve } from "node:path";
import type { Violation } from "../engine/result.ts";
import { writeTraceFile } from "../itf/trace-file.ts";
import { violationTraceFile } from "../simulate/trace-file.ts";
import type { AnySpec, Spec } from "../spec/define-spec.ts";
import { loadSpec, parseSpecRef } from "../spec/load-spec.ts";
import { buildModel, type Model, type SpecSource } from "../spec/model.ts";
import type { ParamValue } from "../spec/params.ts";

/**
 * `"specs/two-phase-commit.ts#commitEarly"` (relative to the cwd), or a spec object. (AnySpec
 * does not accept a spec with declared params: its `init` and actions take those params.)
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any state and params
export type SpecInput = string | Spec<any, any>;

export interface ModelOptions {
  /** Param values; the spec's defaults for the rest. */
  readonly params?: Readonly<Record<string, ParamValue>>;
  /** Where a path reference is resolved from (default: process.cwd(), vitest's root). */
  readonly cwd?: string;
  /**
   * Where a spec object's module lives, so that traces name it (a path reference knows it).
   * Without it, no trace file can be written for a spec object.
   */
  readonly source?: SpecSource;
}

export interface TraceOptions {
  /** Where a violation's trace is written (relative to `cwd`), or false for nowhere. */
  readonly traceDir?: string | false;
  readonly cwd?: string;
}

/**
 * Writes the trace of a violation found on `model` into `options.traceDir`; returns its path,
 * or null when no directory is given or the model's module is unknown (a spec object).
 */
export function writeViolation(
  model: Model<unknown>,
  violation: Violation<unknown>,
  options: TraceOptions,
): string | null {
  const dir = options.traceDir ?? false;
  if (dir === false) return null;
  const file = violationTraceFile(model, violation);
  return file === null ? null : writeTraceFile(resolve(options.cwd ?? process.cwd(), dir), file);
}

export async function modelFor(
  spec: SpecInput,
  options: ModelOptions = {},
): Promise<Model<unknown>> {
  if (typeof spec !== "string") {
    return buildModel<unknown>(spec as AnySpec, options.params ?? {}, options.source ?? null);
  }
  const loaded = await loadSpec(parseSpecRef(spec), options.cwd ?? process.cwd());
  return buildModel<unknown>(loaded.spec, options.params ?? {}, loaded.source);
}

/** How a message names the model: its name, the file it came from, and its params. */
export function describeModel(model: Model<unknown>): string {
  const src = model.source;
  const where =
    src === null
      ? ""
      : ` (${src.exportName === "default" ? src.path : `${src.path}#${src.exportName}`})`;
  const params = Object.entries(model.params).map(([k, v]) => `${k}=${String(v)}`);
  return `${model.name}${where}${params.length === 0 ? "" : ` with ${params.join(" ")}`}`;
}
