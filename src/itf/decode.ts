// ITF JSON values → canonical state values, the inverse of encode.ts.
//
// Decoding picks one canonical representative per ITF form, so a decoded value is a valid state
// value: JSON array and "#tup" → frozen plain array, "#set" → immutable Set, "#map" → immutable
// Map, JSON object → frozen plain object, "#bigint" → bigint, JSON number → number, null → null.
// A List, Stack or Record in the original state therefore comes back as a plain array or object;
// callers that compare with the original compare encodings (or the fingerprints stored in the
// trace), not decoded values.
//
// Malformed input is a SpecError PMC007 whose message starts with the JSON path of the offending
// part, e.g. `states[3].msgs["#set"][2]: ...`.
import { Map as ImmutableMap, Set as ImmutableSet } from "immutable";
import { SpecError } from "../errors/spec-error.ts";
import { formatPath, type PathSegment } from "../values/path.ts";
import { ITF_TAGS, STATE_VAR, type StateShape } from "./encode.ts";

const MAX_DEPTH = 2_000;

class Decoder {
  // The path of the part being decoded, kept as a stack so that the text is built only on error.
  private readonly path: PathSegment[] = [];
  constructor(private readonly root: string) {}

  fail(problem: string): never {
    throw new SpecError("PMC007", `${formatPath(this.root, this.path)}: ${problem}`);
  }

  at<T>(seg: PathSegment, fn: () => T): T {
    this.path.push(seg);
    const out = fn();
    this.path.pop();
    return out;
  }

  array(json: unknown, what: string): unknown[] {
    if (!Array.isArray(json)) this.fail(`${what} must be a JSON array, got ${describe(json)}`);
    return json as unknown[];
  }

  items(json: unknown[]): unknown[] {
    return json.map((x, i) => this.at(i, () => this.value(x)));
  }

  value(json: unknown): unknown {
    switch (typeof json) {
      case "boolean":
      case "string":
        return json;
      case "number":
        if (!Number.isFinite(json)) this.fail(`${json} is not a JSON number`);
        return json;
      case "object":
        break;
      default:
        this.fail(`${describe(json)} is not a JSON value`);
    }
    if (json === null) return null;
    if (this.path.length > MAX_DEPTH) this.fail("nested too deeply");
    if (Array.isArray(json)) return Object.freeze(this.items(json));
    const keys = Object.keys(json);
    const tag = keys.find((k) => k.startsWith("#") && !k.startsWith("##"));
    if (tag === undefined) return this.object(json as Record<string, unknown>);
    if (!ITF_TAGS.includes(tag)) this.fail(`unknown ITF form "${tag}"`);
    if (keys.length !== 1) this.fail(`"${tag}" must be the only key of its object`);
    const body = (json as Record<string, unknown>)[tag];
    return this.at(tag, () => this.tagged(tag, body));
  }

  tagged(tag: string, body: unknown): unknown {
    switch (tag) {
      case "#bigint":
        if (typeof body !== "string" || !/^-?\d+$/.test(body))
          this.fail(`expected a decimal integer string, got ${describe(body)}`);
        return BigInt(body);
      case "#number":
        if (body === "NaN") return NaN;
        if (body === "Infinity") return Infinity;
        if (body === "-Infinity") return -Infinity;
        return this.fail(`expected "NaN", "Infinity" or "-Infinity", got ${describe(body)}`);
      case "#tup":
        return Object.freeze(this.items(this.array(body, "a tuple")));
      case "#set":
        return ImmutableSet(this.items(this.array(body, "a set")));
      case "#map": {
        const pairs = this.array(body, "a map").map((pair, i) =>
          this.at(i, (): [unknown, unknown] => {
            const p = this.array(pair, "a map entry");
            if (p.length !== 2) this.fail(`a map entry must be a [key, value] pair`);
            return [this.at(0, () => this.value(p[0])), this.at(1, () => this.value(p[1]))];
          }),
        );
        return ImmutableMap(pairs);
      }
      default: // "#unserializable"
        return this.fail(`the value was not serializable when written, so it cannot be replayed`);
    }
  }

  object(json: Record<string, unknown>, skip?: string): Readonly<Record<string, unknown>> {
    const out: [string, unknown][] = [];
    for (const [k, v] of Object.entries(json)) {
      if (k === skip) continue;
      // "##x" is an escaped key "#x" (see escapeKey in encode.ts).
      const key = k.startsWith("##") ? k.slice(1) : k;
      out.push([key, this.at(k, () => this.value(v))]);
    }
    return Object.freeze(Object.fromEntries(out));
  }
}

function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (Array.isArray(v)) return "an array";
  if (v === null) return "null";
  if (typeof v === "object") return "an object";
  // Only primitives remain here; JSON.stringify gives undefined for functions and symbols.
  return `${typeof v} ${JSON.stringify(v) ?? typeof v}`;
}

/**
 * Decodes an ITF JSON value into a canonical state value.
 * @param root how error messages name the value, e.g. `states[3].msgs`.
 * @throws SpecError PMC007 naming the JSON path of a malformed part.
 */
export function decodeValue(json: unknown, root = "value"): unknown {
  return new Decoder(root).value(json);
}

/**
 * Decodes one ITF state (its variables, ignoring `#meta`) back into a state value.
 * @param shape how the state was split into variables (see encodeState).
 * @param root how error messages name the state, e.g. `states[3]`.
 */
export function decodeState(
  itfState: unknown,
  shape: StateShape = "object",
  root = "state",
): unknown {
  const d = new Decoder(root);
  if (typeof itfState !== "object" || itfState === null || Array.isArray(itfState))
    d.fail(`a state must be a JSON object, got ${describe(itfState)}`);
  const fields = itfState as Record<string, unknown>;
  if (shape === "value") {
    if (!Object.hasOwn(fields, STATE_VAR)) d.fail(`the variable "${STATE_VAR}" is missing`);
    return d.at(STATE_VAR, () => d.value(fields[STATE_VAR]));
  }
  for (const k of Object.keys(fields)) {
    if (k.startsWith("#") && !k.startsWith("##") && k !== "#meta") d.fail(`unexpected key "${k}"`);
  }
  return d.object(fields, "#meta");
}
