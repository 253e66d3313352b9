/**
 * The timing protocol every Node runner shares (peers/torch_bench.py implements the same one):
 * warm up, then time single steps until the window is spent, and report the median step.
 * The median, not the mean, so that one garbage-collection pause does not move the number.
 */

export interface MeasureOptions {
  /** Seconds of timed steps to aim for once warm. Default 5. */
  windowS: number;
  /** Untimed steps first (JIT, buffer allocation, wasm compile). Default 2. */
  warmup: number;
  /** Timed steps even when the window is already spent. Default 3. */
  minSteps: number;
  /** Stop after this many timed steps even inside the window; Infinity for no cap. Default Infinity. */
  maxSteps: number;
}

export const DEFAULT_MEASURE: MeasureOptions = { windowS: 5, warmup: 2, minSteps: 3, maxSteps: Infinity };

export interface Measurement {
  /** Median wall-clock milliseconds of one timed step. */
  medianMs: number;
  /** Timed steps (warm-up excluded). */
  steps: number;
  /** Largest resident set size seen after any step, warm-up included, in MiB (whole process); absent where the probe has none (a browser page). */
  peakRssMiB?: number;
  /**
   * Process CPU time over wall time during the timed steps. About 1 for a single-threaded
   * runner on an idle machine; clearly below 1 means other processes took the core and the
   * number is pessimistic. Absent where the probe cannot read CPU time (a browser page).
   */
  cpuShare?: number;
}

/** Where measure() reads memory and CPU time; null where the platform does not tell. */
export interface MeasureProbe {
  /** Resident set size in bytes. */
  rssBytes(): number | null;
  /** CPU time of the whole process so far, in milliseconds. */
  cpuMs(): number | null;
}

/** The Node process: process.memoryUsage() and process.cpuUsage(). */
export const NODE_PROBE: MeasureProbe = {
  rssBytes: () => process.memoryUsage().rss,
  cpuMs: () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000;
  },
};

/** A browser page or worker: no process memory or CPU time to read. */
export const NO_PROBE: MeasureProbe = { rssBytes: () => null, cpuMs: () => null };

/** Runs `step` under the protocol above. `step` may be synchronous or return a promise. */
export async function measure(step: () => unknown, options: MeasureOptions, probe: MeasureProbe = NODE_PROBE): Promise<Measurement> {
  let peakRss = probe.rssBytes();
  const sampleRss = (): void => {
    const rss = probe.rssBytes();
    if (rss !== null) peakRss = Math.max(peakRss ?? 0, rss);
  };
  for (let i = 0; i < options.warmup; i++) {
    await step();
    sampleRss();
  }
  const times: number[] = [];
  const windowMs = options.windowS * 1000;
  const start = performance.now();
  const cpuStart = probe.cpuMs();
  while (times.length < options.maxSteps && (times.length < options.minSteps || performance.now() - start < windowMs)) {
    const t0 = performance.now();
    await step();
    times.push(performance.now() - t0);
    sampleRss();
  }
  const cpuEnd = probe.cpuMs();
  const wallMs = performance.now() - start;
  const m: Measurement = { medianMs: median(times), steps: times.length };
  if (peakRss !== null) m.peakRssMiB = peakRss / 2 ** 20;
  if (cpuStart !== null && cpuEnd !== null) m.cpuShare = (cpuEnd - cpuStart) / wallMs;
  return m;
}

/** Median of a non-empty list; the mean of the two middle values for an even count. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median: needs at least one value, got an empty list");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
