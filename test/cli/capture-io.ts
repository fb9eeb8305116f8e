// An in-process Io for running CLI commands from tests without spawning a process.
import type { Io } from "../../src/cli/io.ts";
import { ROOT } from "../fixtures/run-cli.ts";

export interface CapturedIo extends Io {
  readonly stdoutText: () => string;
  readonly stderrText: () => string;
}

export function captureIo(cwd = ROOT): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    cwd,
    stdout: { isTTY: false },
    stderr: { isTTY: false },
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    stdoutText: () => out.join("\n"),
    stderrText: () => err.join("\n"),
  };
}
