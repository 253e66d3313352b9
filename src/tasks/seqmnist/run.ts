/**
 * One classifier trained on the shared loop into a run store: the step (cross-entropy of the
 * logits against the labels), Adam, clipping, accuracy, and the usual callbacks (progress,
 * metrics.jsonl, loss and accuracy plots, checkpoints and final.*). Both Fashion-MNIST tasks use it.
 */
import type { TensorBatch } from "../../data/collate.js";
import type { TensorDataset } from "../../data/dataset.js";
import { tensorLoader } from "../../data/loader.js";
import { crossEntropy } from "../../losses/cross-entropy.js";
import type { Module } from "../../nn/module.js";
import { Adam } from "../../optim/adam.js";
import type { Tensor } from "../../tensor/tensor.js";
import { evaluate } from "../../train/api.js";
import type { Callback } from "../../train/callbacks/callback.js";
import { Checkpoint } from "../../train/callbacks/checkpoint.js";
import { MetricsLog } from "../../train/callbacks/metrics-log.js";
import { Plots } from "../../train/callbacks/plots.js";
import { ProgressCallback } from "../../train/callbacks/progress.js";
import type { LoadedCheckpoint } from "../../train/checkpoint.js";
import { fitLoop, type DataInput, type DataSource, type History, type StepFn } from "../../train/fit.js";
import type { JsonRecord } from "../../train/json-check.js";
import { Accuracy, type Metric } from "../../train/metric.js";
import type { Progress } from "../../train/progress.js";
import type { RunStore } from "../../train/store/store.js";

/** A model from inputs to class logits (N, C). */
export interface Classifier extends Module {
  forward(x: Tensor): Tensor;
}

function labels(b: TensorBatch): Tensor {
  if (b.y === undefined) throw new Error("classifier step: the batch has no labels");
  return b.y;
}

/** Cross-entropy of `model`'s logits against the batch's labels, with output and target for accuracy. */
export function classifierStep(model: Classifier): StepFn<TensorBatch> {
  return (_ctx, b) => {
    const output = model.forward(b.x);
    const target = labels(b);
    return { loss: crossEntropy(output, target.data), output, target };
  };
}

/** What every classifier run shares, whatever its batches: the run store, budget, callbacks. */
export interface ClassifierRunBase {
  store: RunStore;
  epochs: number;
  lr: number;
  clip: number;
  /** Copied into checkpoints. */
  config: JsonRecord;
  /** Continue from this checkpoint. Default: a new run. */
  resumeFrom?: LoadedCheckpoint | null;
  progress?: Progress;
  signal?: AbortSignal;
  /** Epochs between periodic checkpoints. Default 1. */
  checkpointEvery?: number;
  /** Title prefix of the plots. */
  title: string;
  /** More callbacks (run before the checkpoint). Default none. */
  callbacks?: readonly Callback[];
  /** Metrics besides the loss. Default: accuracy. */
  metrics?: readonly Metric[];
}

export interface ClassifierRunOptions extends ClassifierRunBase {
  model: Classifier;
  train: TensorDataset;
  /** Scored after every epoch ("val_loss", "val_accuracy"). Default none. */
  validation?: TensorDataset;
  batchSize: number;
  /** Seed of the shuffling. */
  seed: number;
}

/** A classifier run over any kind of batch: the loader (its generator is checkpointed), the step, and validation batches. */
export interface ClassifierFitOptions<B> extends ClassifierRunBase {
  model: Module;
  data: DataSource<B>;
  step: StepFn<B>;
  validation?: DataInput<B>;
}

/** Trains `model` with Adam and clipping; see the module comment. */
export function trainClassifier(opts: ClassifierRunOptions): Promise<History> {
  const { train, validation, batchSize, seed, ...rest } = opts;
  return fitClassifier({
    ...rest,
    data: tensorLoader(train, { batchSize, shuffle: true, seed }),
    step: classifierStep(opts.model),
    ...(validation !== undefined ? { validation: tensorLoader(validation, { batchSize: 500 }) } : {}),
  });
}

/** `trainClassifier` for batches of any form (padded sequences with lengths, ...), with the same optimiser, callbacks and plots. */
export function fitClassifier<B>(opts: ClassifierFitOptions<B>): Promise<History> {
  const optimizer = new Adam(opts.model.parameters(), { lr: opts.lr });
  const every = opts.checkpointEvery ?? 1;
  const metrics = opts.metrics ?? [new Accuracy()];
  const callbacks: Callback[] = [
    ...(opts.progress !== undefined ? [new ProgressCallback(opts.progress)] : []),
    new MetricsLog(),
    new Plots({ metrics: ["loss", "accuracy"], every, title: (name) => `${opts.title}: ${name}` }),
    new Checkpoint({ every, keep: 2 }),
    ...(opts.callbacks ?? []),
  ];
  return fitLoop(opts.model, {
    data: opts.data,
    ...(opts.validation !== undefined ? { validationData: opts.validation } : {}),
    epochs: opts.epochs,
    optimizer,
    trainStep: opts.step,
    metrics,
    clipNorm: opts.clip,
    store: opts.store,
    config: opts.config,
    resumeFrom: opts.resumeFrom ?? null,
    ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
    callbacks,
  });
}

/** Loss and accuracy of `model` over `data` (no gradients, eval mode). */
export async function scoreClassifier(model: Classifier, data: TensorDataset, batchSize = 500): Promise<{ loss: number; accuracy: number }> {
  const logs = await evaluate(model, tensorLoader(data, { batchSize }), { trainStep: classifierStep(model), metrics: [new Accuracy()] });
  return { loss: logs["loss"] ?? NaN, accuracy: logs["accuracy"] ?? NaN };
}
