/**
 * Metrics as objects: each accumulates over the batches of an epoch (or an evaluation) from what
 * the step returned, then gives one number. The loop calls `reset()` at the start of an epoch,
 * `update()` after each step (once the step's loss has been read), and `result()` at its end.
 *
 * Means are weighted by each batch's `count` (tokens for a language model, samples otherwise), so
 * an epoch's loss is Σ loss·count / Σ count: a short last batch counts for what it holds.
 * Sums are kept in float64.
 */
import type { Tensor } from "../tensor/tensor.js";

/** What one step gave the metrics. */
export interface StepRecord {
  /** The batch's mean loss (the one scalar read from the step). */
  loss: number;
  /** Items the loss averages over (tokens, samples). Positive. */
  count: number;
  /** The model's output, when the step returned it. */
  output?: Tensor;
  /** The targets, when the step returned them: class indices (Int32Array or a Tensor) or values. */
  target?: Tensor | Int32Array;
}

/** A metric: a name in the logs, and how it accumulates. */
export interface Metric {
  /** Key in the epoch logs ("accuracy"; validation adds "val_"). */
  readonly name: string;
  /** Short label for progress lines ("acc"). Default: the name. */
  readonly label?: string;
  /** Decimals in progress lines. Default 4. */
  readonly digits?: number;
  /** Forgets every batch seen. */
  reset(): void;
  /** Adds one batch. */
  update(step: StepRecord): void;
  /** The value over the batches since `reset`; NaN before any batch. */
  result(): number;
}

/** The mean loss per item: Σ loss·count / Σ count. Always logged as "loss" by the loop. */
export class LossMetric implements Metric {
  readonly name: string;
  readonly label: string;
  readonly digits = 4;
  private weighted = 0;
  private count = 0;
  constructor(name = "loss") {
    this.name = name;
    this.label = name;
  }
  reset(): void {
    this.weighted = 0;
    this.count = 0;
  }
  update(step: StepRecord): void {
    this.weighted += step.loss * step.count;
    this.count += step.count;
  }
  result(): number {
    return this.count === 0 ? NaN : this.weighted / this.count;
  }
}

/** exp of the mean loss per item, for a cross-entropy loss in nats (d2l's perplexity). */
export class Perplexity implements Metric {
  readonly name = "perplexity";
  readonly label = "ppl";
  readonly digits = 3;
  private readonly loss = new LossMetric();
  reset(): void {
    this.loss.reset();
  }
  update(step: StepRecord): void {
    this.loss.update(step);
  }
  result(): number {
    return Math.exp(this.loss.result());
  }
}

/** Target i as a number, from an index array or a tensor. */
export function targetValue(target: Tensor | Int32Array, i: number): number {
  return target instanceof Int32Array ? target[i]! : target.data[i]!;
}

/** How many targets a step holds. */
export function targetLength(target: Tensor | Int32Array): number {
  return target instanceof Int32Array ? target.length : target.size;
}

/** The step's output and target; throws naming the metric (`where`) when the step returned either not. */
export function requireOutput(where: string, step: StepRecord): { output: Tensor; target: Tensor | Int32Array } {
  if (step.output === undefined || step.target === undefined) {
    throw new Error(`${where}: the step returned no ${step.output === undefined ? "output" : "target"}; a custom trainStep must return { loss, output, target } for this metric`);
  }
  return { output: step.output, target: step.target };
}

/**
 * The fraction of correct predictions. With outputs (N, C), C > 1, the prediction is the arg max
 * of each row and the target a class index; with one output per item, (N) or (N, 1), the
 * prediction is `output >= threshold` and the target 0 or 1.
 */
export class Accuracy implements Metric {
  readonly name = "accuracy";
  readonly label = "acc";
  readonly digits = 4;
  private correct = 0;
  private total = 0;
  /** @param threshold for one output per item: predictions at or above it are class 1. Default 0.5 (probabilities). */
  constructor(private readonly threshold = 0.5) {}
  reset(): void {
    this.correct = 0;
    this.total = 0;
  }
  update(step: StepRecord): void {
    const { output, target } = requireOutput("Accuracy", step);
    const n = targetLength(target);
    const classes = n === 0 ? 0 : output.size / n;
    if (!Number.isInteger(classes) || classes < 1) {
      throw new Error(`Accuracy: output has ${output.size} values for ${n} targets; expected (N, C) or (N) with N = ${n}`);
    }
    const d = output.data;
    for (let i = 0; i < n; i++) {
      let predicted: number;
      if (classes === 1) predicted = d[i]! >= this.threshold ? 1 : 0;
      else {
        predicted = 0;
        for (let c = 1; c < classes; c++) if (d[i * classes + c]! > d[i * classes + predicted]!) predicted = c;
      }
      if (predicted === targetValue(target, i)) this.correct += 1;
    }
    this.total += n;
  }
  result(): number {
    return this.total === 0 ? NaN : this.correct / this.total;
  }
}

/** Sums a per-element error of output against target over every element of every batch. */
abstract class ElementwiseError implements Metric {
  abstract readonly name: string;
  readonly digits = 4;
  protected sum = 0;
  protected n = 0;
  protected abstract error(diff: number): number;
  reset(): void {
    this.sum = 0;
    this.n = 0;
  }
  update(step: StepRecord): void {
    const { output, target } = requireOutput(this.constructor.name, step);
    const n = targetLength(target);
    if (n !== output.size) throw new Error(`${this.constructor.name}: output has ${output.size} values but the target has ${n}`);
    const d = output.data;
    for (let i = 0; i < n; i++) this.sum += this.error(d[i]! - targetValue(target, i));
    this.n += n;
  }
  result(): number {
    return this.n === 0 ? NaN : this.sum / this.n;
  }
}

/** Mean absolute error over every element: Σ |output − target| / N. */
export class MAE extends ElementwiseError {
  readonly name = "mae";
  protected error(diff: number): number {
    return Math.abs(diff);
  }
}

/** Mean squared error over every element: Σ (output − target)² / N. */
export class MSE extends ElementwiseError {
  readonly name = "mse";
  protected error(diff: number): number {
    return diff * diff;
  }
}

/** Root mean squared error over every element of the epoch: √(Σ (output − target)² / N). */
export class RMSE extends ElementwiseError {
  readonly name = "rmse";
  protected error(diff: number): number {
    return diff * diff;
  }
  override result(): number {
    return Math.sqrt(super.result());
  }
}
