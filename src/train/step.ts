/**
 * Steps: what the loop runs per batch. A step does the forward pass and the loss and returns
 * them (with the output, targets and carried state for metrics and the next batch); the loop
 * does backward, clipping and the update. `defaultStep` is the step a plain loss function implies.
 */
import type { Module } from "../nn/module.js";
import type { Optimizer } from "../optim/optimizer.js";
import { Tensor } from "../tensor/tensor.js";
import type { StepRecord } from "./metric.js";

/** What a step function sees. */
export interface StepContext<S = unknown> {
  readonly model: Module;
  readonly optimizer: Optimizer | undefined;
  /** 1-based epoch. */
  readonly epoch: number;
  /** 1-based batch within the epoch. */
  readonly batch: number;
  /** What the previous step of this epoch returned as `state`; null on the epoch's first batch. */
  readonly state: S | null;
  /** True while training, false in evaluate/predict and validation. */
  readonly training: boolean;
}

/** What a step returns. Only `loss` is read (once, after the update); the rest feeds metrics. */
export interface StepResult<S = unknown> {
  /** The batch's mean loss, a scalar tensor on the tape. */
  loss: Tensor;
  /** Items the loss averages over (tokens, samples). Default: the output's first dimension, else 1. */
  count?: number;
  /** The model's output, for metrics. */
  output?: Tensor;
  /** The targets, for metrics. */
  target?: Tensor | Int32Array;
  /** Passed to the next step of the epoch as `ctx.state`. */
  state?: S;
}

/** A full training (or evaluation) step: forward and loss. The loop does backward and update. */
export type StepFn<B, S = unknown> = (ctx: StepContext<S>, batch: B) => StepResult<S>;

/** A loss: the model's output and the batch to a scalar tensor. */
export type LossFn<B> = (output: Tensor, batch: B) => Tensor;

/** A model whose `forward(input)` returns the output, or a tuple whose first element is (recurrent layers). */
export interface ForwardModule {
  forward(input: Tensor): Tensor | readonly [Tensor, ...unknown[]];
}

/** Reads the `x` field of a batch for the default step, with an error naming what came. */
function batchInput(batch: unknown): Tensor {
  if (typeof batch === "object" && batch !== null && "x" in batch && batch.x instanceof Tensor) return batch.x;
  throw new Error(`fit: the default step needs batches of the form { x: Tensor, y }, got ${batch === null ? "null" : typeof batch}; pass a trainStep for other batches`);
}

function batchTarget(batch: unknown): Tensor | Int32Array | undefined {
  if (typeof batch !== "object" || batch === null || !("y" in batch)) return undefined;
  const y: unknown = batch.y;
  return y instanceof Int32Array || y instanceof Tensor ? y : undefined;
}

function hasForward(model: Module): model is Module & ForwardModule {
  return "forward" in model && typeof model.forward === "function";
}

/** The step a loss function implies: forward on batch.x, the loss on (output, batch). */
export function defaultStep<B, S = unknown>(model: Module, loss: LossFn<B>): StepFn<B, S> {
  if (!hasForward(model)) throw new Error(`fit: ${model.describe()} has no forward(input) method; pass a trainStep`);
  return (_ctx, batch) => {
    const raw: unknown = model.forward(batchInput(batch));
    const first: unknown = Array.isArray(raw) ? raw[0] : raw;
    if (!(first instanceof Tensor)) throw new Error(`fit: ${model.describe()}.forward returned neither a Tensor nor a tuple starting with one`);
    const output = first;
    const target = batchTarget(batch);
    return { loss: loss(output, batch), output, ...(target !== undefined ? { target } : {}) };
  };
}

/** The step's count, checked, or the output's first dimension, or 1. */
export function countOf<S>(out: StepResult<S>): number {
  if (out.count !== undefined) {
    if (!(Number.isFinite(out.count) && out.count > 0)) throw new Error(`the step returned count ${out.count}; it must be a positive number`);
    return out.count;
  }
  return out.output !== undefined && out.output.shape.length > 0 ? out.output.shape[0]! : 1;
}

/** What the metrics see of a step. */
export function record<S>(out: StepResult<S>, loss: number): StepRecord {
  return {
    loss,
    count: countOf(out),
    ...(out.output !== undefined ? { output: out.output } : {}),
    ...(out.target !== undefined ? { target: out.target } : {}),
  };
}
