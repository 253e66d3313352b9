/**
 * What a training run prints while it works, in one of four modes:
 *
 * - "bar": a terminal. One live line per epoch (a bar over the epoch's batches, the running
 *   value of the bar's metric, the throughput and the time left), redrawn in place, plus a
 *   lasting summary line every `logEvery` epochs.
 * - "lines": not a terminal (a pipe, a CI log). One plain line per epoch, nothing redrawn.
 * - "json": for scripts. One JSON object per line and nothing else: `{"event":"epoch",...}`.
 * - "quiet": nothing per epoch; only what the caller prints itself.
 */
import type { EpochLogs } from "./metrics.js";

/** One value of an epoch line: `<label> <value with digits decimals>`. */
export interface ProgressColumn {
  /** Key in the epoch logs. */
  key: string;
  /** Printed before the value. */
  label: string;
  /** Decimals. */
  digits: number;
}

export type ProgressMode = "bar" | "lines" | "json" | "quiet";

/** Where progress goes: anything with a `write(text)`, e.g. process.stdout. */
export interface TextSink {
  write(text: string): unknown;
}

export interface ProgressOptions {
  /** How to print; see the module comment. Default "lines". */
  mode?: ProgressMode;
  /** Destination of every line. Required. */
  out: TextSink;
  /** Bar mode: print a lasting line every this many epochs (and for the last). Default: about 20 lines per run. */
  logEvery?: number;
  /** Bar mode: width of the bar in characters. Default 24. */
  barWidth?: number;
  /** Clock in milliseconds, for tests. Default performance.now. */
  now?: () => number;
  /** Values of each epoch line, in order; the first is also the running value on the bar (after the loss, when there is another). Default: the loss. */
  columns?: readonly ProgressColumn[];
  /** Unit of the throughput column: logs key `<unit>PerSecond`, printed `<label>/s`. Default { unit: "samples", label: "samples" }. */
  rate?: { unit: string; label: string };
}

/** Picks the mode from the usual command-line switches: --json wins, then --quiet, then the terminal test. */
export function progressMode(opts: { json?: boolean; quiet?: boolean; isTTY?: boolean }): ProgressMode {
  if (opts.json === true) return "json";
  if (opts.quiet === true) return "quiet";
  return opts.isTTY === true ? "bar" : "lines";
}

/** "1,234,567" */
export function formatCount(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : String(n);
}

/** "45 s", "3 m 12 s", "1 h 04 m". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} m ${String(Math.round(seconds - m * 60)).padStart(2, "0")} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${String(m - h * 60).padStart(2, "0")} m`;
}

/** JSON.stringify with NaN and infinities written as null (JSON has no such numbers). */
export function jsonLine(value: Record<string, unknown>): string {
  return `${JSON.stringify(value, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v))}\n`;
}

const CLEAR_LINE = "\r\x1b[2K";
const REDRAW_MS = 100;

export class Progress {
  readonly mode: ProgressMode;
  private readonly out: TextSink;
  private readonly logEvery: number | undefined;
  private readonly barWidth: number;
  private readonly now: () => number;
  private epochs = 0;
  private startEpoch = 0;
  private epoch = 0;
  private numBatches = 0;
  private lastDraw = -Infinity;
  private liveLine = false;
  private epochStartMs = 0;
  private secondsSoFar = 0;
  private epochsTimed = 0;
  private readonly columns: readonly ProgressColumn[];
  private readonly rate: { unit: string; label: string };

  constructor(opts: ProgressOptions) {
    this.columns = opts.columns ?? [{ key: "loss", label: "loss", digits: 4 }];
    this.rate = opts.rate ?? { unit: "samples", label: "samples" };
    this.mode = opts.mode ?? "lines";
    if (!["bar", "lines", "json", "quiet"].includes(this.mode)) {
      throw new Error(`Progress: mode must be "bar", "lines", "json" or "quiet", got ${JSON.stringify(this.mode)}`);
    }
    this.out = opts.out;
    if (opts.logEvery !== undefined && !(Number.isInteger(opts.logEvery) && opts.logEvery > 0)) {
      throw new Error(`Progress: logEvery must be a positive integer, got ${opts.logEvery}`);
    }
    this.logEvery = opts.logEvery;
    this.barWidth = opts.barWidth ?? 24;
    this.now = opts.now ?? (() => performance.now());
  }

  /** Announces the run: epochs `startEpoch + 1 ..= epochs` are about to be trained. */
  begin(epochs: number, startEpoch = 0): void {
    this.epochs = epochs;
    this.startEpoch = startEpoch;
  }

  /** An epoch of `numBatches` batches starts (the count may be one too high; the bar copes). */
  epochStart(epoch: number, numBatches: number): void {
    this.epoch = epoch;
    this.numBatches = numBatches;
    this.epochStartMs = this.now();
    this.lastDraw = -Infinity;
    if (this.mode === "bar") this.drawBar(0, NaN, 0);
  }

  /**
   * `done` batches of the epoch are finished, `count` items seen, `running` the bar column's
   * value so far; redraws the bar at most 10 times a second.
   */
  batch(done: number, running: number, count: number): void {
    if (this.mode !== "bar") return;
    const t = this.now();
    if (t - this.lastDraw < REDRAW_MS && done < this.numBatches) return;
    this.drawBar(done, running, count);
  }

  /** The column shown on the bar: the first after the loss, else the loss. */
  barColumn(): ProgressColumn | undefined {
    return this.columns[1] ?? this.columns[0];
  }

  /** The epoch is over: prints its line in lines/json mode, and every `logEvery` epochs in bar mode. */
  epochEnd(m: EpochLogs): void {
    this.secondsSoFar += m["seconds"] ?? 0;
    this.epochsTimed += 1;
    switch (this.mode) {
      case "json":
        this.out.write(jsonLine({ event: "epoch", ...m, epochs: this.epochs }));
        return;
      case "lines":
        this.out.write(`${this.epochLine(m)}\n`);
        return;
      case "bar": {
        const every = this.logEvery ?? Math.max(1, Math.ceil(this.epochs / 20));
        const lasting = m.epoch % every === 0 || m.epoch === this.epochs || m.epoch === this.startEpoch + 1;
        if (lasting) {
          this.clearLive();
          this.out.write(`${this.epochLine(m)}\n`);
        }
        return;
      }
      case "quiet":
        return;
    }
  }

  /**
   * Something worth telling: `text` for people, `fields` for scripts (json mode writes
   * `{"event": name, ...fields}`). Quiet mode prints nothing.
   */
  event(name: string, fields: Record<string, unknown>, text: string): void {
    if (this.mode === "quiet") return;
    if (this.mode === "json") {
      this.out.write(jsonLine({ event: name, ...fields }));
      return;
    }
    this.clearLive();
    this.out.write(`${text}\n`);
  }

  /** Removes the live bar, if any, so that the terminal is left clean. */
  end(): void {
    this.clearLive();
  }

  private epochLine(m: EpochLogs): string {
    const w = String(this.epochs).length;
    const parts = [`epoch ${String(m.epoch).padStart(w)}/${this.epochs}`];
    for (const c of this.columns) {
      const v = m[c.key];
      if (v !== undefined) parts.push(`${c.label} ${v.toFixed(c.digits)}`);
    }
    const rate = m[`${this.rate.unit}PerSecond`];
    if (rate !== undefined) parts.push(`${formatCount(rate)} ${this.rate.label}/s`);
    const seconds = m["seconds"];
    if (seconds !== undefined) parts.push(`${seconds.toFixed(2)} s`);
    return parts.join("  ");
  }

  private drawBar(done: number, running: number, count: number): void {
    // Data that does not know its length gets an empty bar and a bare count.
    const known = this.numBatches > 0;
    const total = Math.max(1, this.numBatches);
    const filled = known ? Math.min(this.barWidth, Math.round((done / total) * this.barWidth)) : 0;
    const bar = "#".repeat(filled) + "-".repeat(this.barWidth - filled);
    const elapsed = (this.now() - this.epochStartMs) / 1000;
    const rate = elapsed > 0 && count > 0 ? `  ${formatCount(count / elapsed)} ${this.rate.label}/s` : "";
    const column = this.barColumn();
    const ppl = column !== undefined && Number.isFinite(running) ? `  ${column.label} ${running.toFixed(column.digits)}` : "";
    const remaining = this.epochs - this.epoch;
    const perEpoch = this.epochsTimed > 0 ? this.secondsSoFar / this.epochsTimed : NaN;
    const eta = Number.isFinite(perEpoch) ? `  left ${formatDuration(perEpoch * (remaining + 1) - elapsed)}` : "";
    const w = String(this.epochs).length;
    this.out.write(`${CLEAR_LINE}epoch ${String(this.epoch).padStart(w)}/${this.epochs} [${bar}] ${known ? `${done}/${total}` : done}${ppl}${rate}${eta}`);
    this.liveLine = true;
    this.lastDraw = this.now();
  }

  private clearLive(): void {
    if (!this.liveLine) return;
    this.out.write(CLEAR_LINE);
    this.liveLine = false;
  }
}
