// Turns an exception thrown by spec code into a located spec error.
import { SpecError } from "../errors/spec-error.ts";

// V8's messages for writes to frozen objects and arrays.
const FROZEN_WRITE = /read[- ]only|not extensible|Cannot (assign|add property|delete)|frozen/i;

export function specCallError(where: string, e: unknown): SpecError {
  if (e instanceof SpecError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  if (e instanceof TypeError && FROZEN_WRITE.test(msg)) {
    return new SpecError(
      "PMC004",
      `${where} mutated a state that was already explored: ${msg}`,
      "States are immutable values: build the next state with spread syntax or immutable.js " +
        "updates instead of assigning into the one you were given.",
      { cause: e },
    );
  }
  return new SpecError("PMC002", `${where} threw: ${msg}`, undefined, { cause: e });
}
