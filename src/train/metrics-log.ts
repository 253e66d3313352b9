/**
 * The metrics log of a run: one JSON object per epoch, one per line (metrics.jsonl).
 *
 * The whole file is rewritten atomically after every epoch rather than appended to: it stays
 * small (one short line per epoch), a crash never leaves half a line, and a resumed run simply
 * rewrites it from the metrics stored in its checkpoint, dropping epochs that were lost.
 */
import { readFileSync } from "node:fs";
import { writeFileAtomicSync } from "../io/atomic.js";
import { parseEpochMetrics, type EpochMetrics } from "./metrics.js";

/** The text of a metrics log: one JSON line per epoch, each ending in a newline. */
export function formatMetricsLog(metrics: readonly EpochMetrics[]): string {
  return metrics.map((m) => `${JSON.stringify(m)}\n`).join("");
}

/** Replaces the log at `path` with `metrics`, atomically. */
export function writeMetricsLog(path: string, metrics: readonly EpochMetrics[]): void {
  writeFileAtomicSync(path, formatMetricsLog(metrics));
}

/** Reads a log written by `writeMetricsLog`; errors name the file and the line. */
export function readMetricsLog(path: string): EpochMetrics[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(`readMetricsLog: cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const out: EpochMetrics[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`readMetricsLog: ${path} line ${i + 1} is not valid JSON`);
    }
    out.push(parseEpochMetrics(value, `readMetricsLog: ${path} line ${i + 1}`));
  });
  return out;
}
