/** Where a command writes: process.stdout/stderr in the binary, buffers in tests. */
import type { TextSink } from "../train/progress.js";

export interface CliIO {
  /** Results and progress. `isTTY` selects the live progress bar. */
  stdout: TextSink & { isTTY?: boolean };
  /** Warnings, notes and errors. */
  stderr: TextSink;
  /** Asks a long command (training) to stop at the next batch, leaving its run resumable. Default: none. */
  signal?: AbortSignal;
}

/**
 * The process's own streams. The first Ctrl-C (SIGINT) asks training to stop at the next batch
 * boundary, so the run folder keeps its last checkpoint; a second one ends the process at once.
 */
export function processIO(): CliIO {
  const controller = new AbortController();
  process.once("SIGINT", () => {
    controller.abort();
    process.once("SIGINT", () => process.exit(130));
  });
  return { stdout: process.stdout, stderr: process.stderr, signal: controller.signal };
}
