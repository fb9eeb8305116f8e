// The one error every history parser throws for malformed input, so that callers (and a
// future CLI) can always point at the line.

export class HistoryParseError extends Error {
  override readonly name = "HistoryParseError";
  constructor(
    /** 1-based line number. */
    readonly line: number,
    /** The offending line, verbatim. */
    readonly lineText: string,
    /** What the parser expected there. */
    readonly expected: string,
    /** What was wrong, when that says more than "expected ..." alone. */
    readonly problem?: string,
  ) {
    super(
      `line ${line}: ${problem === undefined ? "" : `${problem}; `}expected ${expected}\n` +
        `  ${line} | ${lineText}`,
    );
  }
}

/** Line number (1-based) and text of the line holding character `offset`. */
export function lineAt(text: string, offset: number): { line: number; lineText: string } {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  let end = text.indexOf("\n", offset);
  if (end === -1) end = text.length;
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < start; i = text.indexOf("\n", i + 1)) line++;
  return { line, lineText: text.slice(start, end).replace(/\r$/, "") };
}
