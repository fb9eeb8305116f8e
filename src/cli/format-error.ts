import type { SpecError } from "../errors/spec-error.ts";
import type { Style } from "../report/style.ts";

/** A spec error as a person reads it: code, cause, and the fix when there is one. */
export function formatSpecError(e: SpecError, st: Style): string {
  const lines = [`${st.red("error")} ${st.dim(`[${e.code}]`)} ${e.message}`];
  if (e.fix !== undefined) lines.push(`  ${st.cyan("fix:")} ${e.fix}`);
  return lines.join("\n");
}
