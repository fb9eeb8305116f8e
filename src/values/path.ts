// Paths inside a state, printed the way an author would write the access in TypeScript.

export type PathSegment = string | number | { readonly key: unknown };

export function formatPath(root: string, path: readonly PathSegment[]): string {
  let out = root;
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (typeof seg === "string")
      out += /^[A-Za-z_$][\w$]*$/.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`;
    else out += `.get(${describeKey(seg.key)})`;
  }
  return out;
}

function describeKey(k: unknown): string {
  if (typeof k === "string") return JSON.stringify(k);
  if (typeof k === "bigint") return `${k}n`;
  if (typeof k === "object" && k !== null) return "{…}";
  return String(k);
}
