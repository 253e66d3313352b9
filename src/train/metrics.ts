/**
 * The rows of a training history: one per epoch, the epoch number and named values
 * (`loss`, each metric, `val_`-prefixed validation values, `seconds`, throughput, `gradNorm`).
 * Which names appear is up to the metrics and options of the run, not to this module.
 */

/** One epoch of a run's history; one line of metrics.jsonl. */
export type EpochLogs = { epoch: number } & Record<string, number>;

/** Seconds since `start`, a `performance.now()` reading. */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}

/**
 * Checks a parsed row: an object whose `epoch` is a positive integer and whose other values are
 * numbers (NaN and infinities are written to JSON as null and read back as NaN).
 */
export function parseEpochLogs(value: unknown, where: string): EpochLogs {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${where}: expected an object of epoch metrics, got ${value === null ? "null" : typeof value}`);
  }
  const out: Record<string, number> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === null) out[key] = NaN;
    else if (typeof v === "number") out[key] = v;
    else throw new Error(`${where}: ${key} must be a number, got ${JSON.stringify(v) ?? "undefined"}`);
  }
  const epoch = out["epoch"];
  if (epoch === undefined || !Number.isInteger(epoch) || epoch < 1) throw new Error(`${where}: epoch must be a positive integer, got ${epoch ?? "nothing"}`);
  return { ...out, epoch };
}
