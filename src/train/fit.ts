/**
 * The training loop: one asynchronous `fit` that every task uses, in two spellings that share it:
 *
 *   await fit(model, { data, epochs, optimizer, loss, metrics, callbacks, ... })   // PyTorch style
 *   compile(model, { optimizer, loss, metrics }); await fit(model, data, { epochs })  // Keras style
 *
 * Per batch, in this order: `optimizer.zeroGrad()`, the step (forward and loss, or a custom
 * `trainStep`), `loss.backward()`, gradient clipping to `clipNorm`, `optimizer.step()`, then the
 * one synchronous read of the step: its loss, as a number. (Nothing inside the step reads tensor
 * data back, so a device backend can queue the whole step; `clipGradNorm` returns the norm it
 * computed, the one other scalar, which a device backend would compute on the device.) Metrics accumulate on what the step
 * returned, callbacks' `onBatchEnd` runs, and the loop waits for one macrotask (`nextMacrotask`),
 * so that timers, I/O and a browser tab's input get a turn between batches.
 *
 * An `AbortSignal` is honoured at batch boundaries: the model is left as after its last
 * completed step, the unfinished epoch is not recorded, `onTrainEnd` runs with `aborted: true`,
 * and files are only ever written whole (checkpoints are written at epoch ends, atomically).
 *
 * Carried state (truncated BPTT): the step receives `ctx.state`, null at an epoch's first batch
 * and afterwards whatever the previous step returned as `state`. Whether to carry it (detached)
 * or restart it is the step's batching policy, not the loop's (see `data/text/state-policy.ts`).
 *
 * Resume: `resumeFrom` (a checkpoint from `latestCheckpoint(store)`) restores weights, optimiser,
 * every RNG stream ("global", and "sampler" for a data source with a generator), the history and
 * every callback's state, and training continues after the checkpoint's epoch. Runs resumed on
 * the same backend end bit-identical to uninterrupted ones.
 */
import { getBackend } from "../backends/registry.js";
import type { Module } from "../nn/module.js";
import { clipGradNorm } from "../optim/clip.js";
import { applyConstraints, regularizationLoss, requireBuilt } from "./layer-hooks.js";
import type { Optimizer } from "../optim/optimizer.js";
import type { Tensor } from "../tensor/tensor.js";
import { globalGenerator, type Generator } from "../tensor/random.js";
import type { Callback, TrainEnd, TrainLoop } from "./callbacks/callback.js";
import type { CheckpointInput, CheckpointRng, LoadedCheckpoint } from "./checkpoint.js";
import { batchCount, epochBatches, isDataSource, type DataInput } from "./data-source.js";
import { evaluateBatches } from "./evaluate-batches.js";
import type { JsonRecord } from "./json-check.js";
import { LossMetric, type Metric } from "./metric.js";
import { secondsSince, type EpochLogs } from "./metrics.js";
import { restore } from "./restore.js";
import { defaultStep, record, type LossFn, type StepFn } from "./step.js";
import type { RunStore } from "./store/store.js";
import { nextMacrotask } from "./yield.js";

export type { DataInput, DataSource } from "./data-source.js";
export { epochBatches } from "./data-source.js";
export { evaluateBatches } from "./evaluate-batches.js";
export { defaultStep, type ForwardModule, type LossFn, type StepContext, type StepFn, type StepResult } from "./step.js";

/** Options shared by fit, evaluate and predict. */
export interface LoopOptions<B, S = unknown> {
  /** A loss of output and batch; the default step is `loss(model.forward(batch.x), batch)`. One of loss and trainStep is required. */
  loss?: LossFn<B>;
  /** A custom step (forward and loss); replaces the default one. */
  trainStep?: StepFn<B, S>;
  /** Metrics besides the loss (always logged as "loss"). Default none. */
  metrics?: readonly Metric[];
  /** Stops at the next batch boundary when aborted. */
  signal?: AbortSignal;
}

export interface FitOptions<B, S = unknown> extends LoopOptions<B, S> {
  /** The training batches. Required. */
  data: DataInput<B>;
  /** Last epoch of the run (1-based, counting resumed epochs). Required. */
  epochs: number;
  /** Updates the parameters. Required. */
  optimizer: Optimizer;
  /** Largest global gradient norm (clipGradNorm); the logs then hold the epoch's mean norm before clipping as "gradNorm". Default: no clipping. */
  clipNorm?: number;
  /** Batches evaluated after each epoch; their metrics are logged with a "val_" prefix. Default none. */
  validationData?: DataInput<B>;
  /** Fraction in (0, 1) of the data (a DataLoader) held out for validation: its last items, as Keras does. Default none. */
  validationSplit?: number;
  /** Run in `order`, then as given. Default none. */
  callbacks?: readonly Callback[];
  /** Epochs already done (the loop starts at initialEpoch + 1). Default 0, or the checkpoint's epoch with resumeFrom. */
  initialEpoch?: number;
  /** A checkpoint to continue from (see latestCheckpoint). Default: a new run. */
  resumeFrom?: LoadedCheckpoint | null;
  /** Where checkpoints, logs and plots go; callbacks read it from the loop. Default none. */
  store?: RunStore;
  /** Name of what `count` counts, for throughput fields ("<unit>", "<unit>PerSecond"). Default "samples". */
  countUnit?: string;
  /** The run's configuration, copied into checkpoints. Default {}. */
  config?: JsonRecord;
  /** Extra RNG streams saved and restored with checkpoints, by name ("global" and "sampler" are taken). Default none. */
  rngs?: Record<string, Generator>;
  /** Wraps errors thrown during an epoch; default: `fit: epoch E: message`. */
  describeError?: (epoch: number, err: unknown) => Error;
}

/** The result of fit: the rows of every epoch, and how the run ended. */
export interface History extends TrainEnd {
  /** Per metric name, its value per epoch, in order (Keras's `history.history`). */
  readonly values: Record<string, number[]>;
  /** Epochs done when this call began. */
  readonly initialEpoch: number;
}

function resolveStep<B, S>(where: string, model: Module, opts: LoopOptions<B, S>): StepFn<B, S> {
  if (opts.trainStep !== undefined) return opts.trainStep;
  if (opts.loss !== undefined) return defaultStep<B, S>(model, opts.loss);
  throw new Error(`${where}: give a loss (output, batch) => Tensor or a trainStep (ctx, batch) => { loss, ... }`);
}

function checkCount(where: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new Error(`${where}: ${name} must be a non-negative integer, got ${String(v)}`);
  return v;
}

function historyOf(rows: readonly EpochLogs[], initialEpoch: number, aborted: boolean, stopped: boolean): History {
  const values: Record<string, number[]> = {};
  for (const row of rows) {
    for (const [k, v] of Object.entries(row)) {
      if (k === "epoch") continue;
      (values[k] ??= []).push(v);
    }
  }
  return { history: rows, values, initialEpoch, aborted, stopped };
}

/**
 * Trains `model`; see the module comment. Resolves to the History when the run ends (all epochs,
 * early stop, or abort). Errors inside an epoch reject with the epoch named.
 */
export async function fitLoop<B, S = unknown>(model: Module, opts: FitOptions<B, S>): Promise<History> {
  // A store that can be locked (a run folder) is held for the whole run, so a second process
  // resuming the same folder fails at once instead of racing this one's writes and deletions.
  const release = typeof opts === "object" && opts !== null && opts.store?.lock !== undefined ? await opts.store.lock() : null;
  try {
    return await fitUnlocked(model, opts);
  } finally {
    await release?.();
  }
}

async function fitUnlocked<B, S>(model: Module, opts: FitOptions<B, S>): Promise<History> {
  const where = "fit";
  if (typeof opts !== "object" || opts === null) throw new Error(`${where}: options must be an object, got ${String(opts)}`);
  const epochs = checkCount(where, "epochs", opts.epochs);
  if (opts.optimizer === undefined) throw new Error(`${where}: optimizer is required`);
  if (opts.data === undefined || opts.data === null) throw new Error(`${where}: data is required (a DataLoader, a DataSource or an iterable of batches)`);
  if (opts.clipNorm !== undefined && !(typeof opts.clipNorm === "number" && opts.clipNorm > 0)) {
    throw new Error(`${where}: clipNorm must be a positive number, got ${String(opts.clipNorm)}`);
  }
  if (opts.validationData !== undefined && opts.validationSplit !== undefined) {
    throw new Error(`${where}: give validationData or validationSplit, not both`);
  }
  const step = resolveStep(where, model, opts);
  requireBuilt(where, model);
  const { optimizer, signal } = opts;
  let data: DataInput<B> = opts.data;
  let validation = opts.validationData;
  if (opts.validationSplit !== undefined) {
    const splittable = data as DataInput<B> & { split?: (fraction: number) => [DataInput<B>, DataInput<B>] };
    if (typeof splittable.split !== "function") throw new Error(`${where}: validationSplit needs data that can split itself (a DataLoader); pass validationData instead`);
    [data, validation] = splittable.split(opts.validationSplit);
  }
  const metrics: Metric[] = [new LossMetric(), ...(opts.metrics ?? [])];
  const names = new Set<string>();
  for (const m of metrics) {
    if (names.has(m.name)) throw new Error(`${where}: two metrics are named "${m.name}"`);
    names.add(m.name);
  }
  const callbacks = [...(opts.callbacks ?? [])].map((cb, i) => ({ cb, i })).sort((a, b) => (a.cb.order ?? 0) - (b.cb.order ?? 0) || a.i - b.i).map((e) => e.cb);
  const keys = new Set<string>();
  for (const cb of callbacks) {
    if (cb.key === undefined) continue;
    if (keys.has(cb.key)) throw new Error(`${where}: two callbacks have the key "${cb.key}"; give one another key`);
    keys.add(cb.key);
  }
  const rngs: Record<string, Generator> = { global: globalGenerator };
  const sampler = isDataSource(data) ? data.generator : undefined;
  if (sampler !== undefined) rngs["sampler"] = sampler;
  for (const [name, gen] of Object.entries(opts.rngs ?? {})) {
    if (name in rngs) throw new Error(`${where}: rngs.${name} is taken by the loop's own stream; choose another name`);
    rngs[name] = gen;
  }
  const countUnit = opts.countUnit ?? "samples";
  const backend = getBackend().name;

  let history: EpochLogs[] = [];
  let initialEpoch = opts.initialEpoch === undefined ? 0 : checkCount(where, "initialEpoch", opts.initialEpoch);
  if (opts.resumeFrom !== undefined && opts.resumeFrom !== null) {
    const ckpt = opts.resumeFrom;
    if (ckpt.meta.epoch > epochs) throw new Error(`${where}: the checkpoint ${ckpt.path} is at epoch ${ckpt.meta.epoch}, past the ${epochs} epochs asked for`);
    restore(ckpt, model, optimizer, rngs, callbacks);
    history = ckpt.meta.metrics.map((m) => ({ ...m }));
    initialEpoch = ckpt.meta.epoch;
  }

  const params = model.parameters();
  const loop: TrainLoop = {
    model,
    optimizer,
    epochs,
    initialEpoch,
    get history() {
      return history;
    },
    metrics,
    countUnit,
    numBatches: batchCount(data),
    store: opts.store,
    stopTraining: false,
    snapshot(epoch: number): CheckpointInput {
      const rng: CheckpointRng = {};
      for (const [name, gen] of Object.entries(rngs)) rng[name] = gen.getState();
      const states: JsonRecord = {};
      const tensors: Record<string, Float32Array> = {};
      for (const cb of callbacks) {
        if (cb.key === undefined) continue;
        if (cb.getState !== undefined) states[cb.key] = cb.getState();
        for (const [name, t] of Object.entries(cb.getTensors?.() ?? {})) tensors[`${cb.key}.${name}`] = t;
      }
      return {
        epoch,
        config: opts.config ?? {},
        params: model.stateDict(),
        optimizer: optimizer.stateDict(),
        rng,
        metrics: history,
        backend,
        callbacks: states,
        callbackTensors: tensors,
      };
    },
  };

  for (const cb of callbacks) await cb.onTrainBegin?.(loop);
  let aborted = signal?.aborted === true;
  let stopped = false;
  for (let epoch = initialEpoch + 1; epoch <= epochs && !aborted; epoch++) {
    for (const cb of callbacks) await cb.onEpochBegin?.(epoch, loop);
    let row: EpochLogs;
    try {
      const result = await trainOneEpoch(loop, data, step, epoch, opts.clipNorm, params, callbacks, signal);
      if (result === null) {
        aborted = true;
        break;
      }
      row = result;
      if (validation !== undefined) {
        const val = await evaluateBatches(model, validation, step, metrics.slice(1), "val_", signal);
        if (val.aborted) {
          aborted = true;
          break;
        }
        row = { ...row, ...val.logs };
      }
    } catch (err) {
      throw opts.describeError !== undefined ? opts.describeError(epoch, err) : new Error(`${where}: epoch ${epoch}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    history = [...history, row];
    for (const cb of callbacks) await cb.onEpochEnd?.(epoch, row, loop);
    if (loop.stopTraining && epoch < epochs) {
      stopped = true;
      break;
    }
  }
  const end = historyOf(history, initialEpoch, aborted, stopped);
  for (const cb of callbacks) await cb.onTrainEnd?.(end, loop);
  return end;
}

/** One epoch of updates; null when the signal aborted it. */
async function trainOneEpoch<B, S>(
  loop: TrainLoop,
  data: DataInput<B>,
  step: StepFn<B, S>,
  epoch: number,
  clipNorm: number | undefined,
  params: Tensor[],
  callbacks: readonly Callback[],
  signal: AbortSignal | undefined,
): Promise<EpochLogs | null> {
  const { model, optimizer, metrics } = loop;
  for (const m of metrics) m.reset();
  const start = performance.now();
  let state: S | null = null;
  let batchNo = 0;
  let count = 0;
  let normSum = 0;
  model.train();
  for await (const batch of epochBatches(data, epoch)) {
    if (signal?.aborted === true) return null;
    batchNo += 1;
    optimizer.zeroGrad();
    const stepped = step({ model, optimizer, epoch, batch: batchNo, state, training: true }, batch);
    // Layers' penalties (regularizers) join the loss that is minimised and reported, as in Keras.
    const penalty = regularizationLoss(model);
    const out = penalty === null ? stepped : { ...stepped, loss: stepped.loss.add(penalty) };
    out.loss.backward();
    const gradNorm = clipNorm !== undefined ? clipGradNorm(params, clipNorm) : NaN;
    if (clipNorm !== undefined) normSum += gradNorm;
    optimizer.step();
    applyConstraints(model);
    state = out.state ?? null;
    const loss = out.loss.item();
    if (!Number.isFinite(loss)) throw new Error(`batch ${batchNo}: the loss is ${loss} (training diverged; try a smaller learning rate or clipNorm)`);
    const rec = record(out, loss);
    count += rec.count;
    for (const m of metrics) m.update(rec);
    if (callbacks.some((cb) => cb.onBatchEnd !== undefined)) {
      const running: Record<string, number> = {};
      for (const m of metrics) running[m.name] = m.result();
      for (const cb of callbacks) await cb.onBatchEnd?.({ epoch, batch: batchNo, loss, count: rec.count, seen: count, gradNorm, running }, loop);
    }
    await nextMacrotask();
  }
  if (batchNo === 0) throw new Error(`the data yielded no batch`);
  const seconds = secondsSince(start);
  const row: Record<string, number> = { epoch };
  for (const m of metrics) row[m.name] = m.result();
  row[loop.countUnit] = count;
  row["seconds"] = seconds;
  row[`${loop.countUnit}PerSecond`] = seconds > 0 ? count / seconds : Infinity;
  if (clipNorm !== undefined) row["gradNorm"] = normSum / batchNo;
  return { ...row, epoch };
}
