/**
 * Callbacks: code the training loop runs at fixed points of a run, in the order they were given.
 * Every hook may be async; the loop awaits it before going on. A callback that keeps state across
 * epochs (a checkpoint's list, early stopping's patience) exposes `getState()`/`setState()` under
 * a `key`, and a resumed run gets back exactly what the checkpoint held.
 */
import type { JsonValue } from "../../nn/module.js";
import type { Module } from "../../nn/module.js";
import type { Optimizer } from "../../optim/optimizer.js";
import type { CheckpointInput } from "../checkpoint.js";
import type { EpochLogs } from "../metrics.js";
import type { Metric } from "../metric.js";
import type { RunStore } from "../store/store.js";

/** What the loop shows its callbacks: the run so far, and a few levers. */
export interface TrainLoop {
  readonly model: Module;
  readonly optimizer: Optimizer;
  /** The last epoch of the run (1-based). */
  readonly epochs: number;
  /** Epochs already done when this call of `fit` began (0 for a new run, the checkpoint's epoch when resumed). */
  readonly initialEpoch: number;
  /** One row per finished epoch, resumed epochs included. */
  readonly history: readonly EpochLogs[];
  /** The training metrics, loss first, with their labels (for progress lines). */
  readonly metrics: readonly Metric[];
  /** Name of the items a batch's `count` counts ("tokens", "samples"). */
  readonly countUnit: string;
  /** Batches per epoch when the data knows it; NaN otherwise. */
  readonly numBatches: number;
  /** Where the run keeps its files, when it has a store. */
  readonly store: RunStore | undefined;
  /** Set to true to stop after the current epoch (early stopping does). */
  stopTraining: boolean;
  /** Everything a checkpoint after `epoch` must hold to continue exactly (weights, optimiser, RNGs, history, callback states). */
  snapshot(epoch: number): CheckpointInput;
}

/** The running values after one batch. */
export interface BatchLogs {
  /** 1-based epoch. */
  epoch: number;
  /** 1-based batch number within the epoch. */
  batch: number;
  /** This batch's loss. */
  loss: number;
  /** Items this batch's loss averages over. */
  count: number;
  /** Items seen so far in the epoch. */
  seen: number;
  /** Global gradient norm before clipping; NaN without clipNorm. */
  gradNorm: number;
  /** Running value of each training metric over the epoch so far, by name (loss included). */
  running: Record<string, number>;
}

/** How a run ended, given to `onTrainEnd`. */
export interface TrainEnd {
  history: readonly EpochLogs[];
  /** The signal aborted the run; the last epoch was not finished and is not in the history. */
  aborted: boolean;
  /** A callback set `stopTraining` before the last epoch. */
  stopped: boolean;
}

export interface Callback {
  /** Key of this callback's state in checkpoints; needed when it has getState. */
  readonly key?: string;
  /**
   * When its hooks run relative to the others: lower first, ties in the order given. Default 0.
   * Checkpoints use 100, so that the state they save holds every other callback's update for the epoch.
   */
  readonly order?: number;
  onTrainBegin?(loop: TrainLoop): void | Promise<void>;
  onEpochBegin?(epoch: number, loop: TrainLoop): void | Promise<void>;
  onBatchEnd?(logs: BatchLogs, loop: TrainLoop): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: EpochLogs, loop: TrainLoop): void | Promise<void>;
  onTrainEnd?(end: TrainEnd, loop: TrainLoop): void | Promise<void>;
  /** JSON state saved with each checkpoint. */
  getState?(): JsonValue;
  /** Restores a state from getState (called before onTrainBegin of a resumed run). */
  setState?(state: JsonValue): void;
  /** Tensors saved with each checkpoint beside the weights (by name), for state too big for JSON. */
  getTensors?(): Record<string, Float32Array>;
  /** Restores the tensors from getTensors (called with the callback's own names, after setState). */
  setTensors?(tensors: Record<string, Float32Array>): void;
}
