// Turns `--param name=value` texts into typed param values for a spec, as usage errors that
// list the valid params when something is wrong.
import type { AnySpec } from "../spec/define-spec.ts";
import {
  describeParam,
  ParamError,
  parseParamText,
  type ParamDecls,
  type ParamValue,
} from "../spec/params.ts";
import { UsageError } from "./usage-error.ts";

export function parseParamFlags(
  spec: AnySpec,
  texts: readonly string[],
): Record<string, ParamValue> {
  const decls = (spec.definition.params ?? {}) as ParamDecls;
  const valid = (): string => {
    const rows = Object.entries(decls).map(([n, d]) => "  " + describeParam(n, d));
    return rows.length === 0 ? "this spec has no params" : `valid params:\n${rows.join("\n")}`;
  };
  const out: Record<string, ParamValue> = {};
  for (const text of texts) {
    const eq = text.indexOf("=");
    if (eq <= 0) throw new UsageError(`--param needs name=value, got "${text}"; ${valid()}`);
    const name = text.slice(0, eq);
    const decl = decls[name];
    if (decl === undefined) throw new UsageError(`unknown param "${name}"; ${valid()}`);
    try {
      out[name] = parseParamText(name, decl, text.slice(eq + 1));
    } catch (e) {
      if (e instanceof ParamError) throw new UsageError(`${e.message}; ${valid()}`);
      throw e;
    }
  }
  return out;
}
