// A problem in a spec or its input, as opposed to a property violation or a bug in protomc.
// Every such error carries a stable code (documented in docs/errors.md) and, where it helps,
// the fix.

export type SpecErrorCode =
  | "PMC001" // a value that cannot be part of a state
  | "PMC002" // an action, predicate or init threw
  | "PMC003" // an action is not deterministic
  | "PMC004" // a state was mutated after it was produced
  | "PMC005" // the spec module or export cannot be loaded or is not a spec
  | "PMC006" // a malformed spec definition
  | "PMC007" // a malformed trace or input file
  | "PMC008"; // a predicate returned a non-boolean

export class SpecError extends Error {
  override readonly name = "SpecError";
  constructor(
    readonly code: SpecErrorCode,
    message: string,
    readonly fix?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
