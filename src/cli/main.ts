// The command-line front end: it only wires commands. Every result maps to an exit code in
// exit-codes.ts; usage mistakes exit 3 with a message, never a stack trace.
import { SpecError } from "../errors/spec-error.ts";
import { styleFor } from "../report/style.ts";
import { runCheck } from "./commands/check.ts";
import { runLincheck } from "./commands/lincheck.ts";
import { runReplay } from "./commands/replay.ts";
import { runSimulate } from "./commands/simulate.ts";
import { EXIT } from "./exit-codes.ts";
import { formatSpecError } from "./format-error.ts";
import { processIo, type Io } from "./io.ts";
import { UsageError } from "./usage-error.ts";

interface Command {
  readonly summary: string;
  readonly run: (argv: readonly string[], io: Io) => Promise<number>;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  check: { summary: "explore every reachable state and check the properties", run: runCheck },
  simulate: { summary: "random walks with shrinking, reproducible from a seed", run: runSimulate },
  replay: { summary: "re-execute a trace: reproduced, fixed or diverged", run: runReplay },
  lincheck: {
    summary: "check a recorded history for linearizability or sequential consistency",
    run: runLincheck,
  },
};

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const rows = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`);
  return `protomc — a model checker for distributed protocols written in TypeScript

Usage: protomc <command> [args] [flags]

Commands:
${rows.join("\n")}

Run protomc <command> --help for a command's flags.
Exit codes: 0 ok, 1 violation, 2 spec error, 3 usage error, 4 incomplete, 5 replay diverged.`;
}

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.out(mainHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === "--version") {
    io.out("protomc 0.1.0");
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  try {
    if (command === undefined) {
      throw new UsageError(
        `unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(", ")}`,
      );
    }
    return await command.run(rest, io);
  } catch (e) {
    const st = styleFor(io.stderr);
    if (e instanceof UsageError) {
      io.err(`${st.red("usage error:")} ${e.message}`);
      if (command !== undefined) io.err(`Run protomc ${name} --help for usage.`);
      return EXIT.usage;
    }
    if (e instanceof SpecError) {
      io.err(formatSpecError(e, st));
      return EXIT.specError;
    }
    throw e;
  }
}
