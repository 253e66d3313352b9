/**
 * Writes the history to the store as metrics.jsonl (one JSON object per epoch) after every
 * epoch and at the end, each time whole and atomically. A resumed run rewrites it at the start
 * from the checkpoint's history, so epochs lost with the interrupted run disappear from it.
 */
import { formatMetricsLog } from "../metrics-text.js";
import type { RunStore } from "../store/store.js";
import type { Callback, TrainEnd, TrainLoop } from "./callback.js";

export interface MetricsLogOptions {
  /** Where to write. Default: the loop's store. */
  store?: RunStore;
  /** File name in the store. Default "metrics.jsonl". */
  name?: string;
}

export class MetricsLog implements Callback {
  private readonly name: string;
  constructor(private readonly opts: MetricsLogOptions = {}) {
    this.name = opts.name ?? "metrics.jsonl";
  }

  private async write(loop: TrainLoop): Promise<void> {
    const store = this.opts.store ?? loop.store;
    if (store === undefined) throw new Error(`MetricsLog: no store; pass { store } to MetricsLog or to fit`);
    await store.write(this.name, formatMetricsLog(loop.history));
  }

  async onTrainBegin(loop: TrainLoop): Promise<void> {
    if (loop.initialEpoch > 0) await this.write(loop);
  }

  async onEpochEnd(_epoch: number, _logs: unknown, loop: TrainLoop): Promise<void> {
    await this.write(loop);
  }

  async onTrainEnd(_end: TrainEnd, loop: TrainLoop): Promise<void> {
    await this.write(loop);
  }
}
