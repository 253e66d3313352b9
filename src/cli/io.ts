/** Where a command writes: process.stdout/stderr in the binary, buffers in tests. */
import type { TextSink } from "../train/progress.js";

export interface CliIO {
  /** Results and progress. `isTTY` selects the live progress bar. */
  stdout: TextSink & { isTTY?: boolean };
  /** Warnings, notes and errors. */
  stderr: TextSink;
}

/** The process's own streams. */
export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr };
}
