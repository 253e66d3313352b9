/**
 * Progress output as a callback: a bar on a terminal, one line per epoch otherwise, JSON lines
 * for scripts, or nothing (see ../progress.ts for the modes). The columns come from the loop's
 * metrics (their labels and decimals) unless the Progress was built with its own.
 */
import type { EpochLogs } from "../metrics.js";
import type { Metric } from "../metric.js";
import { Progress, type ProgressColumn, type ProgressOptions } from "../progress.js";
import type { BatchLogs, Callback, TrainLoop } from "./callback.js";

/** A column per metric: its name, label and decimals (4 when it gives none). */
export function progressColumns(metrics: readonly Metric[]): ProgressColumn[] {
  return metrics.map((m) => ({ key: m.name, label: m.label ?? m.name, digits: m.digits ?? 4 }));
}

export class ProgressCallback implements Callback {
  private current: Progress | undefined;

  /** @param progress a Progress to drive, or options for one whose columns follow the loop's metrics. */
  constructor(private readonly progress: Progress | ProgressOptions) {
    if (progress instanceof Progress) this.current = progress;
  }

  /** The Progress being driven (after onTrainBegin when built from options). */
  get printer(): Progress {
    if (this.current === undefined) throw new Error("ProgressCallback.printer: not started yet; it exists from onTrainBegin on");
    return this.current;
  }

  onTrainBegin(loop: TrainLoop): void {
    if (this.current === undefined && !(this.progress instanceof Progress)) {
      this.current = new Progress({
        ...this.progress,
        columns: this.progress.columns ?? progressColumns(loop.metrics),
        rate: this.progress.rate ?? { unit: loop.countUnit, label: loop.countUnit },
      });
    }
    this.printer.begin(loop.epochs, loop.initialEpoch);
  }

  onEpochBegin(epoch: number, loop: TrainLoop): void {
    this.printer.epochStart(epoch, Number.isFinite(loop.numBatches) ? loop.numBatches : 0);
  }

  onBatchEnd(logs: BatchLogs): void {
    const column = this.printer.barColumn();
    this.printer.batch(logs.batch, column === undefined ? NaN : (logs.running[column.key] ?? NaN), logs.seen);
  }

  onEpochEnd(_epoch: number, logs: EpochLogs): void {
    this.printer.epochEnd(logs);
  }

  onTrainEnd(): void {
    this.printer.end();
  }
}
