// A reader for the subset of EDN that Jepsen histories use: nil, booleans, numbers, strings,
// keywords, vectors, lists and maps. Sets, tagged literals and symbols other than nil/true/
// false are rejected, since no history value needs them and guessing their meaning would
// silently change a verdict.

export class Keyword {
  constructor(readonly name: string) {}
}

export class EdnMap {
  constructor(readonly entries: readonly (readonly [Edn, Edn])[]) {}

  /** The value under keyword `:name`, if any. */
  get(name: string): Edn | undefined {
    for (const [k, v] of this.entries) if (k instanceof Keyword && k.name === name) return v;
    return undefined;
  }
}

export type Edn = null | boolean | number | string | Keyword | EdnMap | readonly Edn[];

/** `offset` is where in the text the reader gave up. */
export class EdnSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const DELIMITERS = new Set([" ", "\t", "\n", "\r", ",", "[", "]", "(", ")", "{", "}", '"', ";"]);
const CLOSERS: Record<string, string> = { "[": "]", "(": ")", "{": "}" };
const ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  n: "\n",
  t: "\t",
  r: "\r",
  b: "\b",
  f: "\f",
};

/** Reads exactly one value spanning the whole text (surrounding whitespace allowed). */
export function readEdn(text: string): Edn {
  const r = new Reader(text);
  const v = r.value();
  r.skip();
  if (r.pos < text.length) throw new EdnSyntaxError("expected end of input after the value", r.pos);
  return v;
}

class Reader {
  pos = 0;
  constructor(private readonly s: string) {}

  skip(): void {
    while (this.pos < this.s.length) {
      const c = this.s[this.pos]!;
      if (c === ";") {
        while (this.pos < this.s.length && this.s[this.pos] !== "\n") this.pos++;
      } else if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === ",") this.pos++;
      else return;
    }
  }

  value(): Edn {
    this.skip();
    const c = this.s[this.pos];
    if (c === undefined) throw new EdnSyntaxError("expected a value, found end of input", this.pos);
    if (c === '"') return this.string();
    if (Object.hasOwn(CLOSERS, c)) return this.collection(c);
    if (c === "]" || c === ")" || c === "}")
      throw new EdnSyntaxError(`unexpected '${c}'`, this.pos);
    if (c === "#") throw new EdnSyntaxError("sets and tagged literals are not supported", this.pos);
    return this.atom();
  }

  private collection(open: string): Edn {
    const start = this.pos++;
    const close = CLOSERS[open]!;
    const items: Edn[] = [];
    for (;;) {
      this.skip();
      if (this.pos >= this.s.length)
        throw new EdnSyntaxError(`expected '${close}' to close '${open}'`, start);
      if (this.s[this.pos] === close) break;
      items.push(this.value());
    }
    this.pos++;
    if (open !== "{") return items;
    if (items.length % 2 !== 0)
      throw new EdnSyntaxError("a map needs an even number of forms", start);
    const entries: (readonly [Edn, Edn])[] = [];
    for (let i = 0; i < items.length; i += 2) entries.push([items[i]!, items[i + 1]!]);
    return new EdnMap(entries);
  }

  private string(): string {
    const start = this.pos++;
    let out = "";
    for (;;) {
      const c = this.s[this.pos++];
      if (c === undefined) throw new EdnSyntaxError("unterminated string", start);
      if (c === '"') return out;
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = this.s[this.pos++];
      if (e === "u" && /^[0-9a-fA-F]{4}$/.test(this.s.slice(this.pos, this.pos + 4))) {
        out += String.fromCharCode(parseInt(this.s.slice(this.pos, this.pos + 4), 16));
        this.pos += 4;
      } else if (e !== undefined && Object.hasOwn(ESCAPES, e)) out += ESCAPES[e];
      else throw new EdnSyntaxError(`bad escape '\\${e ?? ""}' in string`, this.pos - 2);
    }
  }

  private atom(): Edn {
    const start = this.pos;
    while (this.pos < this.s.length && !DELIMITERS.has(this.s[this.pos]!)) this.pos++;
    const tok = this.s.slice(start, this.pos);
    if (tok === "nil") return null;
    if (tok === "true") return true;
    if (tok === "false") return false;
    if (tok.length > 1 && tok.startsWith(":")) return new Keyword(tok.slice(1));
    if (/^[+-]?\d+N?$/.test(tok)) {
      const n = Number(tok.replace(/N$/, ""));
      if (!Number.isSafeInteger(n)) throw new EdnSyntaxError(`integer ${tok} is too large`, start);
      return n;
    }
    if (/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?M?$/.test(tok)) return Number(tok.replace(/M$/, ""));
    throw new EdnSyntaxError(`unexpected ${JSON.stringify(tok)}`, start);
  }
}
