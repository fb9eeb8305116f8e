/** A failed protomc check inside a test; its message is the printed report. */
export class ProtomcAssertionError extends Error {
  override readonly name = "AssertionError";
}
