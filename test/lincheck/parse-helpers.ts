import { HistoryParseError } from "../../src/lincheck/index.ts";

/** Runs `f`, which must throw a HistoryParseError, and returns it. */
export function parseError(f: () => unknown): HistoryParseError {
  try {
    f();
  } catch (e) {
    if (e instanceof HistoryParseError) return e;
    throw e;
  }
  throw new Error("expected a HistoryParseError");
}
