// Turns the spec arguments of `check` into spec references, expanding globs (`specs/*.ts`,
// `specs/**/*.ts`) ourselves so that a quoted glob works the same in every shell and on CI.
import { readdirSync, type Dirent } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseSpecRef, type SpecRef } from "../spec/load-spec.ts";
import { UsageError } from "./usage-error.ts";

const GLOB = /[*?[]/;

function segmentRegex(segment: string): RegExp {
  let re = "";
  for (const ch of segment) {
    if (ch === "*") re += "[^/]*";
    else if (ch === "?") re += "[^/]";
    else re += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

function walk(dir: string, segments: readonly string[], out: string[]): void {
  const [head, ...rest] = segments;
  if (head === undefined) {
    out.push(dir);
    return;
  }
  if (head === "**") {
    walk(dir, rest, out);
    for (const e of safeList(dir))
      if (e.isDirectory() && !skip(e.name)) walk(join(dir, e.name), segments, out);
    return;
  }
  if (!GLOB.test(head)) {
    walk(join(dir, head), rest, out);
    return;
  }
  const re = segmentRegex(head);
  for (const e of safeList(dir)) {
    if (!re.test(e.name) || skip(e.name)) continue;
    if (rest.length === 0 ? e.isFile() : e.isDirectory()) walk(join(dir, e.name), rest, out);
  }
}

function skip(name: string): boolean {
  return name === "node_modules" || name.startsWith(".");
}

function safeList(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

export function expandSpecArgs(args: readonly string[], cwd: string): SpecRef[] {
  const refs: SpecRef[] = [];
  for (const arg of args) {
    const ref = parseSpecRef(arg);
    if (!GLOB.test(ref.path)) {
      refs.push(ref);
      continue;
    }
    const matches: string[] = [];
    const absolute = ref.path.startsWith("/");
    walk(
      absolute ? "/" : cwd,
      ref.path.split("/").filter((s) => s !== ""),
      matches,
    );
    if (matches.length === 0) throw new UsageError(`no spec files match ${ref.path}`);
    for (const m of matches.sort()) {
      const path = absolute ? resolve(m) : relative(cwd, m);
      refs.push({ path, exportName: ref.exportName });
    }
  }
  return refs;
}
