/**
 * Stops training when a monitored log value has not improved for `patience` epochs, as Keras's
 * EarlyStopping: after each epoch the value is compared with the best so far (improved means
 * better by more than `minDelta`); each epoch without improvement adds one to a wait count, and
 * when it reaches `patience` the loop stops after this epoch. With `restoreBestWeights`, the
 * weights of the best epoch are put back when the run ends (not when it is aborted).
 *
 * Its state (best value, best epoch, wait) is saved in checkpoints, and so are the best weights
 * (as tensors beside the model's), so a resumed run restores the same weights at its end.
 */
import type { JsonValue } from "../../nn/module.js";
import type { EpochLogs } from "../metrics.js";
import type { Callback, TrainEnd, TrainLoop } from "./callback.js";

export interface EarlyStoppingOptions {
  /** Log value to watch. Default "val_loss". */
  monitor?: string;
  /** "min": smaller is better; "max": larger is better. Default "min". */
  mode?: "min" | "max";
  /** Epochs without improvement before stopping. Default 0 (stop at the first). */
  patience?: number;
  /** Smallest change that counts as an improvement. Default 0. */
  minDelta?: number;
  /** Put back the best epoch's weights at the end. Default false. */
  restoreBestWeights?: boolean;
}

export class EarlyStopping implements Callback {
  readonly key = "early_stopping";
  readonly monitor: string;
  private readonly mode: "min" | "max";
  private readonly patience: number;
  private readonly minDelta: number;
  private best: number | null = null;
  private wait = 0;
  /** Epoch of the best value so far; 0 before any. */
  bestEpoch = 0;
  /** Epoch after which training was stopped; 0 when it was not. */
  stoppedEpoch = 0;
  private bestWeights: Map<string, Float32Array> | null = null;

  constructor(private readonly opts: EarlyStoppingOptions = {}) {
    this.monitor = opts.monitor ?? "val_loss";
    this.mode = opts.mode ?? "min";
    if (this.mode !== "min" && this.mode !== "max") throw new Error(`EarlyStopping: mode must be "min" or "max", got ${JSON.stringify(opts.mode)}`);
    this.patience = opts.patience ?? 0;
    if (!Number.isInteger(this.patience) || this.patience < 0) throw new Error(`EarlyStopping: patience must be a non-negative integer, got ${String(opts.patience)}`);
    this.minDelta = Math.abs(opts.minDelta ?? 0);
    if (!Number.isFinite(this.minDelta)) throw new Error(`EarlyStopping: minDelta must be a finite number, got ${String(opts.minDelta)}`);
  }

  private isBetter(v: number): boolean {
    if (this.best === null) return Number.isFinite(v);
    return this.mode === "min" ? v < this.best - this.minDelta : v > this.best + this.minDelta;
  }

  onEpochEnd(epoch: number, logs: EpochLogs, loop: TrainLoop): void {
    const v = logs[this.monitor];
    if (v === undefined) throw new Error(`EarlyStopping: monitor "${this.monitor}" is not in the logs (they hold ${Object.keys(logs).join(", ")})`);
    if (this.isBetter(v)) {
      this.best = v;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.opts.restoreBestWeights === true) {
        this.bestWeights = new Map(Object.entries(loop.model.stateDict()).map(([k, t]) => [k, t.data.slice()]));
      }
      return;
    }
    this.wait += 1;
    if (this.wait >= this.patience) {
      this.stoppedEpoch = epoch;
      loop.stopTraining = true;
    }
  }

  onTrainEnd(end: TrainEnd, loop: TrainLoop): void {
    if (end.aborted || this.opts.restoreBestWeights !== true || this.bestWeights === null) return;
    const dict = loop.model.stateDict();
    for (const [k, data] of this.bestWeights) dict[k]?.data.set(data);
  }

  getTensors(): Record<string, Float32Array> {
    return this.bestWeights === null ? {} : Object.fromEntries(this.bestWeights);
  }

  setTensors(tensors: Record<string, Float32Array>): void {
    const entries = Object.entries(tensors);
    this.bestWeights = entries.length === 0 ? null : new Map(entries.map(([k, t]) => [k, t.slice()]));
  }

  getState(): JsonValue {
    return { best: this.best, bestEpoch: this.bestEpoch, wait: this.wait, stoppedEpoch: this.stoppedEpoch };
  }

  setState(state: JsonValue): void {
    if (typeof state !== "object" || state === null || Array.isArray(state)) return;
    const num = (k: string, fallback: number): number => {
      const v = state[k];
      return typeof v === "number" ? v : fallback;
    };
    const best = state["best"];
    this.best = typeof best === "number" ? best : null;
    this.bestEpoch = num("bestEpoch", 0);
    this.wait = num("wait", 0);
    this.stoppedEpoch = num("stoppedEpoch", 0);
  }
}
