/**
 * The public spellings of the loop (all thin wrappers over `fitLoop` and `evaluateBatches`):
 *
 *   await fit(model, { data, epochs, optimizer, loss, metrics, ... })        // one call
 *   const m = compile(model, { optimizer, loss, metrics });                   // Keras style
 *   await m.fit(data, { epochs, validationData, callbacks, signal });        //   (or fit(model, data, {...}))
 *   await m.evaluate(data);  await m.predict(x);
 *
 * `compile` remembers its settings for the model (in a WeakMap, so the model is not changed and
 * can be garbage-collected), which is how `fit(model, data, opts)`, `evaluate` and `predict`
 * find them.
 */
import { noGrad } from "../autograd/mode.js";
import { concat } from "../autograd/ops/shape.js";
import type { Module } from "../nn/module.js";
import { requireBuilt } from "./layer-hooks.js";
import type { Optimizer } from "../optim/optimizer.js";
import { Tensor } from "../tensor/tensor.js";
import { defaultStep, epochBatches, evaluateBatches, fitLoop, type DataInput, type FitOptions, type History, type LossFn, type StepFn } from "./fit.js";
import type { Metric } from "./metric.js";

/** What `compile` fixes for a model. */
export interface CompileOptions<B> {
  optimizer: Optimizer;
  /** Loss of (output, batch); or give trainStep. */
  loss?: LossFn<B>;
  /** A custom step instead of the default forward-and-loss one. */
  trainStep?: StepFn<B>;
  /** Metrics besides the loss. Default none. */
  metrics?: readonly Metric[];
}

/** fit's options once a model is compiled: everything but what compile fixed and the data. */
export type CompiledFitOptions<B> = Omit<FitOptions<B, unknown>, "data" | "optimizer" | "loss" | "trainStep" | "metrics">;

/** A compiled model: the model with its optimiser, loss and metrics. */
export interface CompiledModel<B> {
  readonly model: Module;
  readonly options: CompileOptions<B>;
  fit(data: DataInput<B>, opts: CompiledFitOptions<B>): Promise<History>;
  evaluate(data: DataInput<B>, opts?: { signal?: AbortSignal }): Promise<Record<string, number>>;
  predict(input: Tensor | DataInput<B>): Promise<Tensor>;
}

const compiled = new WeakMap<Module, CompileOptions<never>>();

function compiledOptions<B>(where: string, model: Module): CompileOptions<B> {
  const found = compiled.get(model);
  if (found === undefined) throw new Error(`${where}: ${model.describe()} is not compiled; call compile(model, { optimizer, loss }) first, or pass the options`);
  // Stored for any batch type: the caller states the one it trains with.
  return found as CompileOptions<B>;
}

/** Fixes optimiser, loss and metrics for `model`; returns the model's Keras-style handle. */
export function compile<B>(model: Module, opts: CompileOptions<B>): CompiledModel<B> {
  if (opts === undefined || opts.optimizer === undefined) throw new Error(`compile: an optimizer is required`);
  if (opts.loss === undefined && opts.trainStep === undefined) throw new Error(`compile: give a loss (output, batch) => Tensor or a trainStep`);
  requireBuilt("compile", model);
  compiled.set(model, opts as CompileOptions<never>);
  return {
    model,
    options: opts,
    fit: (data, fitOpts) => fit(model, data, fitOpts),
    evaluate: (data, evalOpts) => evaluate(model, data, evalOpts),
    predict: (input) => predict(model, input),
  };
}

/** Options of the one-call form, told apart from data (a DataSource, an array or an iterable) by their `epochs` and `optimizer`. */
function isFitOptions<B>(a: FitOptions<B> | DataInput<B>): a is FitOptions<B> {
  return typeof a === "object" && a !== null && !Array.isArray(a) && "epochs" in a && "optimizer" in a && "data" in a;
}

/** Trains `model`: `fit(model, options)`, or `fit(model, data, options)` after `compile(model, ...)`. */
export function fit<B>(model: Module, opts: FitOptions<B>): Promise<History>;
export function fit<B>(model: Module, data: DataInput<B>, opts: CompiledFitOptions<B>): Promise<History>;
export function fit<B>(model: Module, a: FitOptions<B> | DataInput<B>, b?: CompiledFitOptions<B>): Promise<History> {
  if (b === undefined) {
    if (!isFitOptions(a)) return Promise.reject(new Error(`fit: expected fit(model, { data, epochs, optimizer, loss }) or fit(model, data, { epochs }) after compile`));
    return fitLoop(model, a);
  }
  if (isFitOptions(a)) return Promise.reject(new Error(`fit: with options as the third argument, the second must be the data, not options`));
  let c: CompileOptions<B>;
  try {
    c = compiledOptions<B>("fit", model);
  } catch (err) {
    return Promise.reject(err);
  }
  const opts: FitOptions<B> = { ...b, data: a, optimizer: c.optimizer, metrics: c.metrics ?? [] };
  if (c.loss !== undefined) opts.loss = c.loss;
  if (c.trainStep !== undefined) opts.trainStep = c.trainStep;
  return fitLoop(model, opts);
}

/** Options of evaluate when the model is not compiled. */
export interface EvaluateOptions<B> {
  loss?: LossFn<B>;
  trainStep?: StepFn<B>;
  metrics?: readonly Metric[];
  signal?: AbortSignal;
}

/** The loss and metrics of `model` over `data`, without gradients, in eval mode (keys as in fit's logs). */
export async function evaluate<B>(model: Module, data: DataInput<B>, opts: EvaluateOptions<B> = {}): Promise<Record<string, number>> {
  const c = opts.loss === undefined && opts.trainStep === undefined ? compiledOptions<B>("evaluate", model) : undefined;
  const step = opts.trainStep ?? c?.trainStep ?? defaultStep(model, opts.loss ?? c?.loss ?? missingLoss);
  const { logs, aborted } = await evaluateBatches(model, data, step, opts.metrics ?? c?.metrics ?? [], "", opts.signal);
  if (aborted) throw new Error(`evaluate: aborted`);
  return logs;
}

function missingLoss(): Tensor {
  throw new Error(`evaluate: no loss; compile the model or pass { loss }`);
}

/**
 * The model's outputs for `input`: one Tensor, or batches (`{ x }` objects or Tensors) whose
 * outputs are joined along the first dimension. No gradients; eval mode; a recurrent layer's
 * output is the first element of its tuple.
 */
export async function predict<B>(model: Module, input: Tensor | DataInput<B>): Promise<Tensor> {
  if (!("forward" in model) || typeof model.forward !== "function") throw new Error(`predict: ${model.describe()} has no forward(input) method`);
  const forward = model.forward;
  const run = (x: Tensor): Tensor => {
    const raw: unknown = forward.call(model, x);
    const out: unknown = Array.isArray(raw) ? raw[0] : raw;
    if (!(out instanceof Tensor)) throw new Error(`predict: ${model.describe()}.forward returned neither a Tensor nor a tuple starting with one`);
    return out;
  };
  const wasTraining = model.training;
  model.eval();
  try {
    if (input instanceof Tensor) return noGrad(() => run(input).detach());
    const outs: Tensor[] = [];
    for await (const batch of epochBatches(input, 1)) {
      const x: unknown = batch instanceof Tensor ? batch : typeof batch === "object" && batch !== null && "x" in batch ? batch.x : undefined;
      if (!(x instanceof Tensor)) throw new Error(`predict: batches must be Tensors or { x: Tensor }, got ${typeof batch}`);
      outs.push(noGrad(() => run(x)));
    }
    if (outs.length === 0) throw new Error(`predict: the data yielded no batch`);
    return outs.length === 1 ? outs[0]!.detach() : noGrad(() => concat(outs, 0)).detach();
  } finally {
    model.train(wasTraining);
  }
}
