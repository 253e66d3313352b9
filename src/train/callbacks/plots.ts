/**
 * Plots of the history into the store: for each plotted metric (default: the loss and every
 * metric of the loop), `<name>.svg` and `<name>.png` with the training values and, when there
 * is validation, the validation ones. Written every `every` epochs and at the end.
 */
import { renderMetricPlot } from "../plot.js";
import type { RunStore } from "../store/store.js";
import type { Callback, TrainEnd, TrainLoop } from "./callback.js";

export interface PlotsOptions {
  /** Where to write. Default: the loop's store. */
  store?: RunStore;
  /** Metric names to plot. Default: "loss" and every metric of the loop. */
  metrics?: readonly string[];
  /** Redraw every this many epochs (and at the end). Default 1. */
  every?: number;
  /** Title of metric `name`'s plot. Default: the name. */
  title?: (name: string) => string;
}

export class Plots implements Callback {
  private readonly every: number;
  constructor(private readonly opts: PlotsOptions = {}) {
    const every = opts.every ?? 1;
    if (!Number.isInteger(every) || every < 1) throw new Error(`Plots: every must be a positive integer, got ${String(opts.every)}`);
    this.every = every;
  }

  private async draw(loop: TrainLoop): Promise<void> {
    const store = this.opts.store ?? loop.store;
    if (store === undefined) throw new Error(`Plots: no store; pass { store } to Plots or to fit`);
    const names = this.opts.metrics ?? loop.metrics.map((m) => m.name);
    for (const name of names) {
      const plot = renderMetricPlot(loop.history, name, this.opts.title?.(name) ?? name);
      if (plot === null) continue;
      await store.write(`${name}.svg`, plot.svg);
      await store.write(`${name}.png`, plot.png);
    }
  }

  async onEpochEnd(epoch: number, _logs: unknown, loop: TrainLoop): Promise<void> {
    if (epoch % this.every === 0 && epoch < loop.epochs) await this.draw(loop);
  }

  async onTrainEnd(_end: TrainEnd, loop: TrainLoop): Promise<void> {
    await this.draw(loop);
  }
}
