/** Where a command writes: process.stdout/stderr in the binary, buffers in tests. */
import type { TextSink } from "../train/progress.js";

export interface CliIO {
  /** Results and progress. `isTTY` selects the live progress bar. */
  stdout: TextSink & { isTTY?: boolean };
  /** Warnings, notes and errors. */
  stderr: TextSink;
  /**
   * Called when a long task (training) starts; the signal it returns asks that task to stop at
   * its next batch, leaving its run resumable. Default: the task cannot be interrupted gently.
   */
  interruptible?: () => AbortSignal;
}

/**
 * The process's own streams. Once training has started, the first Ctrl-C (SIGINT) asks it to
 * stop at the next batch boundary, so the run folder keeps its last checkpoint; a second one
 * ends the process at once. Other commands keep Ctrl-C's usual meaning.
 */
export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    interruptible: () => {
      const controller = new AbortController();
      process.once("SIGINT", () => {
        controller.abort();
        process.once("SIGINT", () => process.exit(130));
      });
      return controller.signal;
    },
  };
}

/**
 * Whether the live progress bar may be drawn: stdout is a terminal that understands cursor
 * control (TERM=dumb does not) and the user has not asked for plain output with NO_COLOR.
 */
export function interactive(io: CliIO, env: Record<string, string | undefined> = process.env): boolean {
  if (io.stdout.isTTY !== true) return false;
  if (env["TERM"] === "dumb") return false;
  return env["NO_COLOR"] === undefined || env["NO_COLOR"] === "";
}
