/**
 * The JSON-lines protocol between bench/run.ts and its runners (ours, TF.js, PyTorch).
 * A runner prints one object per line on stdout; anything else on stdout is ignored, so a
 * library's own console chatter cannot corrupt the results.
 *
 *   {"peer":"torch-1t","workload":"W1","metric":"tokens/s","value":12345.6,"higherIsBetter":true,
 *    "steps":41,"medianMs":90.7,"peakRssMiB":312.5,"cpuShare":0.99}
 *   {"peer":"torch-1t","meta":{"torch":"1.13.0","threads":"1"}}
 */

/** One measured cell. */
export interface BenchResult {
  peer: string;
  workload: string;
  metric: string;
  value: number;
  higherIsBetter: boolean;
  /** Timed steps behind the median. */
  steps?: number;
  /** Median milliseconds per step. */
  medianMs?: number;
  /** Peak RSS of the runner process while this workload ran, MiB. */
  peakRssMiB?: number;
  /** Process CPU time / wall time while timed (see Measurement.cpuShare). */
  cpuShare?: number;
}

/** Facts about a runner (library version, backend variant, threads), shown under the table. */
export interface BenchMeta {
  peer: string;
  meta: Record<string, string>;
}

/** A workload a runner could not run, with the reason. */
export interface BenchSkip {
  peer: string;
  workload: string;
  error: string;
}

export type BenchLine = { kind: "result"; result: BenchResult } | { kind: "meta"; meta: BenchMeta } | { kind: "skip"; skip: BenchSkip };

/** Writes one line of the protocol to stdout. */
export function emit(line: BenchResult | BenchMeta | BenchSkip): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** Parses one stdout line of a runner; null for anything that is not a protocol line. */
export function parseLine(line: string): BenchLine | null {
  const text = line.trim();
  if (!text.startsWith("{")) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(value) || typeof value.peer !== "string") return null;
  const peer = value.peer;
  if (isRecord(value.meta)) {
    const meta: Record<string, string> = {};
    for (const [k, v] of Object.entries(value.meta)) meta[k] = String(v);
    return { kind: "meta", meta: { peer, meta } };
  }
  if (typeof value.workload !== "string") return null;
  if (typeof value.error === "string") return { kind: "skip", skip: { peer, workload: value.workload, error: value.error } };
  if (typeof value.metric !== "string" || typeof value.value !== "number" || typeof value.higherIsBetter !== "boolean") return null;
  const result: BenchResult = { peer, workload: value.workload, metric: value.metric, value: value.value, higherIsBetter: value.higherIsBetter };
  if (typeof value.steps === "number") result.steps = value.steps;
  if (typeof value.medianMs === "number") result.medianMs = value.medianMs;
  if (typeof value.peakRssMiB === "number") result.peakRssMiB = value.peakRssMiB;
  if (typeof value.cpuShare === "number") result.cpuShare = value.cpuShare;
  return { kind: "result", result };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
