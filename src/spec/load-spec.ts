// Loads a spec from `path.ts` or `path.ts#exportName`: the default export is the spec, every
// other named export a variant. Specs are modules and params plain data, so a worker thread or
// a replay can load exactly the same model again from this reference.
import { existsSync } from "node:fs";
import { resolve, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { SpecError } from "../errors/spec-error.ts";
import { isSpec, type AnySpec } from "./define-spec.ts";
import type { SpecSource } from "./model.ts";

export interface SpecRef {
  readonly path: string;
  readonly exportName: string;
}

/** Splits `path.ts#export` (the export defaults to "default"). */
export function parseSpecRef(ref: string): SpecRef {
  const hash = ref.lastIndexOf("#");
  if (hash === -1) return { path: ref, exportName: "default" };
  const exportName = ref.slice(hash + 1);
  return { path: ref.slice(0, hash), exportName: exportName === "" ? "default" : exportName };
}

export function formatSpecRef(ref: SpecRef): string {
  return ref.exportName === "default" ? ref.path : `${ref.path}#${ref.exportName}`;
}

export interface LoadedSpec {
  readonly spec: AnySpec;
  readonly source: SpecSource;
  /** Every spec exported by the module: "default" first, then the variants by name. */
  readonly exports: readonly string[];
}

/** The spec exports of a module namespace: "default" first, then the variants by name. */
export function specExports(mod: Record<string, unknown>): string[] {
  const names = Object.keys(mod).filter((k) => isSpec(mod[k]));
  return names.sort((a, b) => (a === "default" ? -1 : b === "default" ? 1 : 0));
}

export async function loadSpec(ref: SpecRef, cwd = process.cwd()): Promise<LoadedSpec> {
  const abs = resolve(cwd, ref.path);
  if (!existsSync(abs)) {
    throw new SpecError("PMC005", `spec file not found: ${ref.path}`, `Looked for ${abs}.`);
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new SpecError("PMC005", `cannot load ${ref.path}: ${msg}`, undefined, { cause: e });
  }
  const exports = specExports(mod);
  const value = mod[ref.exportName];
  if (!isSpec(value)) {
    const what = value === undefined ? "has no export" : "exports something that is not a spec as";
    const list = exports.length === 0 ? "none" : exports.join(", ");
    throw new SpecError(
      "PMC005",
      `${ref.path} ${what} "${ref.exportName}" (spec exports: ${list})`,
      ref.exportName === "default"
        ? "A spec file's default export is its spec: export default defineSpec<State>()({...})."
        : `Select a variant as ${ref.path}#<export>.`,
    );
  }
  const path = relative(cwd, abs) || ref.path;
  return { spec: value, source: { path, exportName: ref.exportName }, exports };
}
