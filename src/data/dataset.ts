/**
 * Datasets: indexable collections of examples. `TensorDataset` holds inputs (and optional
 * targets) as tensors whose first dimension indexes the examples; `SequenceDataset` holds
 * variable-length sequences (for the padding collate); `Subset` is a view through indices.
 */
import type { Tensor } from "../tensor/tensor.js";

/** N examples, by index 0..N-1. */
export interface Dataset<T> {
  readonly length: number;
  get(index: number): T;
}

/** One example of a TensorDataset: the row's values and shape (the tensor's shape without its first dimension). */
export interface TensorExample {
  x: Float32Array;
  xShape: readonly number[];
  y?: Float32Array;
  yShape?: readonly number[];
}

function checkIndex(where: string, index: number, length: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) throw new Error(`${where}: index must be an integer in [0, ${length - 1}], got ${index}`);
}

/** Examples are rows (first dimension) of `x` and, when given, of `y`. */
export class TensorDataset implements Dataset<TensorExample> {
  readonly length: number;
  constructor(readonly x: Tensor, readonly y?: Tensor) {
    if (x.shape.length < 1) throw new Error(`TensorDataset: x must have at least one dimension (examples first), got a scalar`);
    this.length = x.shape[0]!;
    if (y !== undefined && (y.shape.length < 1 || y.shape[0] !== this.length)) {
      throw new Error(`TensorDataset: y has shape [${y.shape.join(", ")}] but x has ${this.length} examples; their first dimensions must agree`);
    }
  }
  get(index: number): TensorExample {
    checkIndex("TensorDataset.get", index, this.length);
    const row = (t: Tensor): Float32Array => {
      const size = t.size / t.shape[0]!;
      return t.data.subarray(index * size, (index + 1) * size);
    };
    const example: TensorExample = { x: row(this.x), xShape: this.x.shape.slice(1) };
    if (this.y !== undefined) {
      example.y = row(this.y);
      example.yShape = this.y.shape.slice(1);
    }
    return example;
  }
}

/** A variable-length sequence: `steps` rows of `features` values (row-major), and its target. */
export interface SequenceExample {
  /** (steps, features) row-major. */
  x: Float32Array;
  steps: number;
  features: number;
  /** Target values (a class index, a regression target...). */
  y: Float32Array;
}

/** Sequences of possibly different lengths with a common feature width. */
export class SequenceDataset implements Dataset<SequenceExample> {
  readonly features: number;
  /**
   * @param sequences per example, its (steps, features) values row-major, or steps×features as nested arrays.
   * @param targets per example, its target values.
   * @param features F, the width of each step.
   */
  constructor(private readonly sequences: readonly Float32Array[], private readonly targets: readonly Float32Array[], features: number) {
    if (!Number.isInteger(features) || features < 1) throw new Error(`SequenceDataset: features must be a positive integer, got ${features}`);
    if (sequences.length !== targets.length) throw new Error(`SequenceDataset: ${sequences.length} sequences but ${targets.length} targets`);
    sequences.forEach((s, i) => {
      if (s.length === 0 || s.length % features !== 0) throw new Error(`SequenceDataset: sequence ${i} has ${s.length} values, not a positive multiple of features = ${features}`);
    });
    this.features = features;
  }
  get length(): number {
    return this.sequences.length;
  }
  get(index: number): SequenceExample {
    checkIndex("SequenceDataset.get", index, this.length);
    const x = this.sequences[index]!;
    return { x, steps: x.length / this.features, features: this.features, y: this.targets[index]! };
  }
}

/** The examples of `dataset` at `indices`, in that order. */
export class Subset<T> implements Dataset<T> {
  constructor(readonly dataset: Dataset<T>, readonly indices: readonly number[]) {
    for (const i of indices) checkIndex("Subset", i, dataset.length);
  }
  get length(): number {
    return this.indices.length;
  }
  get(index: number): T {
    checkIndex("Subset.get", index, this.indices.length);
    return this.dataset.get(this.indices[index]!);
  }
}
