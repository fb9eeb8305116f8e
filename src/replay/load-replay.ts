// Reads a trace file and loads the spec it names (or another one), instantiated with the params
// the trace was recorded with: everything `replayTrace` needs.
import { existsSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { SpecError } from "../errors/spec-error.ts";
import { readTraceFile, type TraceFile } from "../itf/trace-file.ts";
import { loadSpec, parseSpecRef, type SpecRef } from "../spec/load-spec.ts";
import { buildModel, type Model } from "../spec/model.ts";
import { ParamError } from "../spec/params.ts";

export interface ReplayTarget {
  readonly tracePath: string;
  readonly file: TraceFile;
  readonly model: Model<unknown>;
  /** The spec replayed against, as `path.ts` or `path.ts#export`, relative to the cwd. */
  readonly specRef: string;
}

export interface ReplayTargetOptions {
  /** Replay against this spec (`path.ts#export`, relative to `cwd`) instead of the recorded one. */
  readonly spec?: string;
  /** Replay against this export of the recorded file (e.g. "default" for a variant's trace). */
  readonly exportName?: string;
  readonly cwd?: string;
}

// A recorded spec path is relative to the directory `check` ran in. That is usually the cwd;
// failing that, the nearest ancestor of the trace file that has the spec (a trace kept in
// <project>/counterexamples/ replays from anywhere).
function specBase(specPath: string, tracePath: string, cwd: string): string {
  if (isAbsolute(specPath) || existsSync(resolve(cwd, specPath))) return cwd;
  for (let dir = dirname(tracePath); ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, specPath))) return dir;
    if (dirname(dir) === dir) return cwd;
  }
}

/**
 * @throws SpecError PMC007 for a malformed trace or params that do not fit the spec, PMC005 for
 * a spec that cannot be loaded.
 */
export async function loadReplayTarget(
  tracePath: string,
  options: ReplayTargetOptions = {},
): Promise<ReplayTarget> {
  const cwd = options.cwd ?? process.cwd();
  const absTrace = resolve(cwd, tracePath);
  const file = readTraceFile(absTrace);
  const meta = file["#meta"];
  let ref: SpecRef;
  let base = cwd;
  if (options.spec !== undefined) ref = parseSpecRef(options.spec);
  else {
    ref = { path: meta.spec.path, exportName: options.exportName ?? meta.spec.export };
    base = specBase(ref.path, absTrace, cwd);
  }
  const loaded = await loadSpec(ref, base);
  let model: Model<unknown>;
  try {
    model = buildModel<unknown>(loaded.spec, meta.params, loaded.source);
  } catch (e) {
    if (!(e instanceof ParamError)) throw e;
    throw new SpecError(
      "PMC007",
      `${tracePath}: the trace's params do not fit ${loaded.source.path}: ${e.message}`,
      "Replay the trace against the spec it was written for (--spec path.ts#export).",
    );
  }
  const path = base === cwd ? loaded.source.path : relative(cwd, resolve(base, loaded.source.path));
  const specRef = ref.exportName === "default" ? path : `${path}#${ref.exportName}`;
  return { tracePath, file, model, specRef };
}
