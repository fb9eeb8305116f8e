// A small strict JSON reader that remembers where each element of the top-level array
// starts. JSON.parse cannot tell us that (and Node 20's messages do not always give a
// position), yet a useful error for "element 57 has no process" must name its line.
// Duplicate object keys are rejected rather than silently resolved.

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export interface Located {
  readonly value: unknown;
  readonly offset: number;
}

/** Parses a text whose top-level value must be an array; returns its located elements. */
export function readJsonArray(text: string): Located[] {
  const r = new JsonReader(text);
  r.ws();
  if (text[r.pos] !== "[")
    throw new JsonSyntaxError("expected '[' (a JSON array of events or ops)", r.pos);
  r.pos++;
  const items: Located[] = [];
  r.ws();
  if (text[r.pos] === "]") r.pos++;
  else {
    for (;;) {
      r.ws();
      const offset = r.pos;
      items.push({ value: r.value(), offset });
      r.ws();
      const c = text[r.pos++];
      if (c === "]") break;
      if (c !== ",")
        throw new JsonSyntaxError("expected ',' or ']' after an array element", r.pos - 1);
    }
  }
  r.ws();
  if (r.pos < text.length)
    throw new JsonSyntaxError("expected end of input after the array", r.pos);
  return items;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

class JsonReader {
  pos = 0;
  constructor(private readonly s: string) {}

  ws(): void {
    while (this.pos < this.s.length && " \t\n\r".includes(this.s[this.pos]!)) this.pos++;
  }

  value(): unknown {
    this.ws();
    const c = this.s[this.pos];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"') return this.string();
    for (const [word, v] of [
      ["null", null],
      ["true", true],
      ["false", false],
    ] as const) {
      if (this.s.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.s);
    if (m) {
      this.pos += m[0].length;
      return Number(m[0]);
    }
    throw new JsonSyntaxError(
      c === undefined ? "unexpected end of input" : `unexpected character '${c}'`,
      this.pos,
    );
  }

  private array(): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    this.ws();
    if (this.s[this.pos] === "]") {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.ws();
      const c = this.s[this.pos++];
      if (c === "]") return out;
      if (c !== ",") throw new JsonSyntaxError("expected ',' or ']' in an array", this.pos - 1);
    }
  }

  private object(): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    this.ws();
    if (this.s[this.pos] === "}") {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      const at = this.pos;
      if (this.s[this.pos] !== '"')
        throw new JsonSyntaxError("expected a property name in double quotes", at);
      const key = this.string();
      if (Object.hasOwn(out, key)) throw new JsonSyntaxError(`duplicate property "${key}"`, at);
      this.ws();
      if (this.s[this.pos++] !== ":")
        throw new JsonSyntaxError("expected ':' after a property name", this.pos - 1);
      // defineProperty, not assignment: a "__proto__" key must stay an ordinary property.
      Object.defineProperty(out, key, {
        value: this.value(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.ws();
      const c = this.s[this.pos++];
      if (c === "}") return out;
      if (c !== ",") throw new JsonSyntaxError("expected ',' or '}' in an object", this.pos - 1);
    }
  }

  private string(): string {
    const start = this.pos++;
    let out = "";
    for (;;) {
      const c = this.s[this.pos++];
      if (c === undefined) throw new JsonSyntaxError("unterminated string", start);
      if (c === '"') return out;
      if (c < " ") throw new JsonSyntaxError("control character in a string", this.pos - 1);
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = this.s[this.pos++];
      const hex = this.s.slice(this.pos, this.pos + 4);
      if (e === "u" && /^[0-9a-fA-F]{4}$/.test(hex)) {
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += 4;
      } else if (e !== undefined && Object.hasOwn(ESCAPES, e)) out += ESCAPES[e];
      else throw new JsonSyntaxError(`bad escape '\\${e ?? ""}' in a string`, this.pos - 2);
    }
  }
}
