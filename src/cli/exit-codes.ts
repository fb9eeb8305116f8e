// The exit codes, the same for every command (documented in the README). This is the one
// place that maps a result to a code.

export const EXIT = {
  /** Every property holds (lincheck: linearizable; replay: fixed). */
  ok: 0,
  /** A property is violated (lincheck: not linearizable; replay: reproduced). */
  violation: 1,
  /** Spec error or malformed input. */
  specError: 2,
  /** Usage error: unknown command, flag or param, or a bad value. */
  usage: 3,
  /** Incomplete: a limit was reached or the run was interrupted. */
  incomplete: 4,
  /** Replay diverged: the trace is no longer a behaviour of the spec. */
  diverged: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export function exitCodeFor(kind: "ok" | "violation" | "specError" | "incomplete"): ExitCode {
  return EXIT[kind];
}
