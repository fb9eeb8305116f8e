// The streams a command writes to, injectable so tests can run commands in process.

export interface Io {
  readonly cwd: string;
  readonly stdout: { isTTY?: boolean };
  readonly stderr: { isTTY?: boolean };
  out(text: string): void;
  err(text: string): void;
}

export function processIo(): Io {
  return {
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    out: (t) => void process.stdout.write(t + "\n"),
    err: (t) => void process.stderr.write(t + "\n"),
  };
}
