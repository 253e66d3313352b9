/**
 * The command line, as a function: `runCli(argv, io)` dispatches to a command and returns the
 * exit code. Every error becomes one line on stderr, `recurrent <command>: <message>`, with no
 * stack trace (set RECURRENT_DEBUG=1 to see one).
 */
import { errorLine, exitCodeOf, UsageError } from "./errors.js";
import { runGenerate } from "./generate-command.js";
import { MAIN_HELP } from "./help.js";
import type { CliIO } from "./io.js";
import { runStart } from "./start-command.js";
import { runTrain } from "./train-command.js";

const COMMANDS: Record<string, (args: string[], io: CliIO) => number | Promise<number>> = {
  train: runTrain,
  generate: runGenerate,
  start: runStart,
  // The name `npm start` used first; kept so that script keeps working.
  demo: runStart,
};

/** Runs one command; resolves to its exit code (it never rejects: errors become the one line on stderr). */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    io.stdout.write(MAIN_HELP);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  const name = run === undefined ? "recurrent" : `recurrent ${command}`;
  try {
    if (run === undefined) {
      throw new UsageError(
        command.startsWith("-")
          ? `unknown option ${command} (see recurrent --help)`
          : `unknown command ${JSON.stringify(command)}; the commands are train, generate and start (see recurrent --help)`,
      );
    }
    return await run(rest, io);
  } catch (err) {
    if (process.env["RECURRENT_DEBUG"] === "1" && err instanceof Error && err.stack !== undefined) io.stderr.write(`${err.stack}\n`);
    io.stderr.write(`${name}: ${errorLine(err)}\n`);
    return exitCodeOf(err);
  }
}
