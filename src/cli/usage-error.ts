/** A mistake on the command line (exit code 3). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
