// A small typed flag parser: commands declare their flags as objects, and get back values
// typed from those declarations. Mistakes are usage errors that say what is valid.
import { UsageError } from "./usage-error.ts";

export interface FlagSpec {
  readonly type: "boolean" | "string" | "int" | "number" | "list";
  readonly description: string;
  /** The placeholder shown in help, e.g. "N" or "DIR". */
  readonly value?: string;
}

export type FlagTable = Readonly<Record<string, FlagSpec>>;

type FlagValue<F extends FlagSpec> = F["type"] extends "boolean"
  ? boolean
  : F["type"] extends "list"
    ? string[]
    : F["type"] extends "int" | "number"
      ? number | undefined
      : string | undefined;

export type FlagValues<T extends FlagTable> = { -readonly [K in keyof T]: FlagValue<T[K]> };

export interface ParsedArgs<T extends FlagTable> {
  readonly flags: FlagValues<T>;
  readonly positionals: string[];
}

function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestScore) {
      bestScore = d;
      best = c;
    }
  }
  return bestScore <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

function parseNumber(flag: string, spec: FlagSpec, text: string): number {
  const n = Number(text);
  const ok = spec.type === "int" ? /^\d+$/.test(text) : text.trim() !== "" && Number.isFinite(n);
  if (!ok || n < 0) {
    throw new UsageError(
      `--${flag} needs a ${spec.type === "int" ? "non-negative integer" : "non-negative number"}, got "${text}"`,
    );
  }
  return n;
}

export function parseArgs<T extends FlagTable>(argv: readonly string[], table: T): ParsedArgs<T> {
  const flags: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(table)) {
    flags[name] = spec.type === "boolean" ? false : spec.type === "list" ? [] : undefined;
  }
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("--") || arg === "--") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const spec = table[name];
    if (spec === undefined) {
      const guess = closest(name, Object.keys(table));
      throw new UsageError(
        `unknown flag --${name}` + (guess !== undefined ? ` (did you mean --${guess}?)` : ""),
      );
    }
    if (spec.type === "boolean") {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    let text: string;
    if (eq !== -1) text = arg.slice(eq + 1);
    else {
      const nextArg = argv[++i];
      if (nextArg === undefined)
        throw new UsageError(`--${name} needs a value (${spec.value ?? "VALUE"})`);
      text = nextArg;
    }
    if (spec.type === "list") (flags[name] as string[]).push(text);
    else if (spec.type === "int" || spec.type === "number")
      flags[name] = parseNumber(name, spec, text);
    else flags[name] = text;
  }
  return { flags: flags as FlagValues<T>, positionals };
}

/** The flags section of a command's help. */
export function formatFlags(table: FlagTable): string {
  const rows = Object.entries(table).map(([name, spec]) => {
    const left = `--${name}` + (spec.type === "boolean" ? "" : ` ${spec.value ?? "VALUE"}`);
    return [left, spec.description] as const;
  });
  const width = Math.max(...rows.map(([l]) => l.length));
  return rows.map(([l, d]) => `  ${l.padEnd(width)}  ${d}`).join("\n");
}
