/**
 * The command line, as a function: `runCli(argv, io)` dispatches to a command and returns the
 * exit code. Every error becomes one line on stderr, `recurrent <command>: <message>`, with no
 * stack trace (set RECURRENT_DEBUG=1 to see one).
 */
import { didYouMean } from "../nn/options.js";
import { jsonLine } from "../train/progress.js";
import { errorLine, exitCodeOf, UsageError } from "./errors.js";
import { runGenerate } from "./generate-command.js";
import { runInspect } from "./inspect-command.js";
import { MAIN_HELP } from "./help.js";
import type { CliIO } from "./io.js";
import { runStart } from "./start-command.js";
import { runExport } from "./export-command.js";
import { runImport } from "./import-command.js";
import { runEvaluate, runPredict } from "./task-commands.js";
import { runTrain } from "./train-command.js";

const COMMANDS: Record<string, (args: string[], io: CliIO) => number | Promise<number>> = {
  train: runTrain,
  evaluate: runEvaluate,
  predict: runPredict,
  generate: runGenerate,
  start: runStart,
  inspect: runInspect,
  // The name `npm start` used first; kept so that script keeps working.
  demo: runStart,
  export: runExport,
  import: runImport,
};

/** Runs one command; resolves to its exit code (it never rejects: errors become the one line on stderr). */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [first, ...more] = argv;
  // `recurrent help train forecast` is `recurrent train forecast --help`.
  const asHelp = first === "help" && more[0] !== undefined;
  const command = asHelp ? more[0] : first;
  const rest = asHelp ? [...more.slice(1), "--help"] : more;
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
          : `unknown command ${JSON.stringify(command)}${suggestion(command)}; the commands are ${COMMAND_LIST} (see recurrent --help)`,
      );
    }
    return await run(rest, io);
  } catch (err) {
    if (process.env["RECURRENT_DEBUG"] === "1" && err instanceof Error && err.stack !== undefined) io.stderr.write(`${err.stack}\n`);
    const code = exitCodeOf(err);
    if (argv.includes("--json")) io.stderr.write(jsonLine({ error: { command: name, message: errorLine(err), exitCode: code } }));
    else io.stderr.write(`${name}: ${errorLine(err)}\n`);
    return code;
  }
}

const COMMAND_LIST = "train, evaluate, predict, generate, start, inspect, export and import";

/** " (did you mean train?)" for a near miss, else "". */
function suggestion(command: string): string {
  const near = didYouMean(command, [...Object.keys(COMMANDS), "help"]);
  return near === null ? "" : ` (did you mean ${near}?)`;
}
