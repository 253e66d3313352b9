/**
 * The metrics log of a run: one JSON object per epoch, one per line (metrics.jsonl).
 *
 * The whole file is rewritten atomically after every epoch rather than appended to: it stays
 * small (one short line per epoch), a crash never leaves half a line, and a resumed run simply
 * rewrites it from the history stored in its checkpoint, dropping epochs that were lost.
 */
import { readFileChecked } from "../io/atomic.js";
import { writeFileAtomicSync } from "../io/atomic.js";
import type { EpochLogs } from "./metrics.js";
import { formatMetricsLog, parseMetricsLog } from "./metrics-text.js";

export { formatMetricsLog, parseMetricsLog };

/** Replaces the log at `path` with `metrics`, atomically. */
export function writeMetricsLog(path: string, metrics: readonly EpochLogs[]): void {
  writeFileAtomicSync(path, formatMetricsLog(metrics));
}

/** Reads a log written by `writeMetricsLog`; errors name the file and the line. */
export function readMetricsLog(path: string): EpochLogs[] {
  let text: string;
  try {
    text = new TextDecoder().decode(readFileChecked(path, "metrics log"));
  } catch (err) {
    throw new Error(`readMetricsLog: cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return parseMetricsLog(text, path);
}
