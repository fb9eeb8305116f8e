// Typed spec parameters (TLA+ CONSTANTS): declared with defaults, given on the command line as
// `--param name=value`, and kept as plain data so a worker thread can rebuild the same model.

export type ParamValue = number | boolean | string;

interface ParamBase<T extends ParamValue> {
  readonly default: T;
  readonly description?: string;
}

export interface IntParam extends ParamBase<number> {
  readonly type: "int";
  readonly min?: number;
  readonly max?: number;
}
export interface BoolParam extends ParamBase<boolean> {
  readonly type: "bool";
}
export interface EnumParam<T extends string = string> extends ParamBase<T> {
  readonly type: "enum";
  readonly values: readonly T[];
}

export type ParamDecl = IntParam | BoolParam | EnumParam;
export type ParamDecls = Readonly<Record<string, ParamDecl>>;

/** The resolved parameter values of a spec, typed from its declarations. */
export type ParamValues<P extends ParamDecls> = {
  readonly [K in keyof P]: P[K]["default"];
};

/** Builders for parameter declarations. */
export const param = {
  int(opts: { default: number; min?: number; max?: number; description?: string }): IntParam {
    return { type: "int", ...opts };
  },
  bool(opts: { default: boolean; description?: string }): BoolParam {
    return { type: "bool", ...opts };
  },
  oneOf<const T extends string>(
    values: readonly T[],
    opts: { default: NoInfer<T>; description?: string },
  ): EnumParam<T> {
    return { type: "enum", values, ...opts };
  },
};

/** What can be wrong with a `--param`; the CLI turns it into a usage error. */
export class ParamError extends Error {
  override readonly name = "ParamError";
}

export function describeParam(name: string, d: ParamDecl): string {
  let kind: string;
  if (d.type === "int") {
    const range =
      d.min !== undefined || d.max !== undefined ? ` in ${d.min ?? "-∞"}..${d.max ?? "∞"}` : "";
    kind = `integer${range}`;
  } else if (d.type === "bool") kind = "true|false";
  else kind = d.values.join("|");
  const doc = d.description !== undefined ? ` — ${d.description}` : "";
  return `${name}=<${kind}> (default ${String(d.default)})${doc}`;
}

function checkValue(name: string, d: ParamDecl, v: ParamValue): ParamValue {
  if (d.type === "int") {
    if (typeof v !== "number" || !Number.isInteger(v))
      throw new ParamError(`param ${name} must be an integer, got ${JSON.stringify(v)}`);
    if ((d.min !== undefined && v < d.min) || (d.max !== undefined && v > d.max))
      throw new ParamError(`param ${name}=${v} is out of range: ${describeParam(name, d)}`);
  } else if (d.type === "bool") {
    if (typeof v !== "boolean")
      throw new ParamError(`param ${name} must be true or false, got ${JSON.stringify(v)}`);
  } else if (typeof v !== "string" || !d.values.includes(v)) {
    throw new ParamError(
      `param ${name} must be one of ${d.values.join(", ")}, got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

/** Parses the text of `--param name=value` for a declared parameter. */
export function parseParamText(name: string, d: ParamDecl, text: string): ParamValue {
  if (d.type === "int") {
    if (!/^-?\d+$/.test(text.trim()))
      throw new ParamError(`param ${name} must be an integer, got "${text}"`);
    return checkValue(name, d, Number(text));
  }
  if (d.type === "bool") {
    if (text !== "true" && text !== "false")
      throw new ParamError(`param ${name} must be true or false, got "${text}"`);
    return text === "true";
  }
  return checkValue(name, d, text);
}

/**
 * Resolves given parameter values (already typed, e.g. from a trace file or a worker message)
 * against the declarations: unknown names are rejected with the list of valid ones.
 */
export function resolveParams(
  decls: ParamDecls,
  given: Readonly<Record<string, ParamValue>>,
): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(decls, name)) {
      const valid = Object.entries(decls).map(([n, d]) => "  " + describeParam(n, d));
      throw new ParamError(
        `unknown param "${name}"; ` +
          (valid.length === 0 ? "this spec has no params" : `valid params:\n${valid.join("\n")}`),
      );
    }
  }
  for (const [name, d] of Object.entries(decls)) {
    const v = given[name];
    out[name] = v === undefined ? d.default : checkValue(name, d, v);
  }
  return out;
}
