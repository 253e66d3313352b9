/** The metrics log's text (metrics.jsonl): one JSON object per epoch per line. No file system here, so stores and browsers use it too. */
import { parseEpochLogs, type EpochLogs } from "./metrics.js";

/** The text of a metrics log: one JSON line per epoch (NaN and infinities as null), each ending in a newline. */
export function formatMetricsLog(metrics: readonly EpochLogs[]): string {
  return metrics.map((m) => `${JSON.stringify(m, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v))}\n`).join("");
}

/** Parses the text of a metrics log; errors name `where` and the line. */
export function parseMetricsLog(text: string, where: string): EpochLogs[] {
  const out: EpochLogs[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`readMetricsLog: ${where} line ${i + 1} is not valid JSON`);
    }
    out.push(parseEpochLogs(value, `readMetricsLog: ${where} line ${i + 1}`));
  });
  return out;
}

