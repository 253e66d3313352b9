import { Tensor } from "./tensor.js";
import { type Shape, sizeOf, shapeStr } from "./shape.js";
import { type Generator, globalGenerator } from "./random.js";

export interface TensorOptions {
  /** Record operations on this tensor for backward(). Default false. */
  requiresGrad?: boolean;
}

/** Nested arrays of numbers, e.g. [[1, 2], [3, 4]]. */
export type NestedArray = number | NestedArray[];

function flatten(v: NestedArray, shape: number[], depth: number, out: number[]): void {
  if (typeof v === "number") {
    if (depth !== shape.length) throw new Error("tensor: nested array is ragged");
    out.push(v);
    return;
  }
  if (depth === shape.length) shape.push(v.length);
  else if (shape[depth] !== v.length) throw new Error(`tensor: nested array is ragged at depth ${depth}`);
  for (const e of v) flatten(e, shape, depth + 1, out);
}

/**
 * Makes a tensor from a Float32Array (or any array of numbers) and a shape, or from nested
 * arrays whose shape is inferred. A Float32Array is used as is, not copied.
 */
export function tensor(data: Float32Array | ArrayLike<number> | NestedArray, shape?: Shape, opts: TensorOptions = {}): Tensor {
  if (data instanceof Float32Array) {
    return new Tensor(data, shape ?? [data.length], opts.requiresGrad ?? false);
  }
  if (typeof data === "number" || Array.isArray(data)) {
    const inferred: number[] = [];
    const flat: number[] = [];
    flatten(data as NestedArray, inferred, 0, flat);
    const s = shape ?? inferred;
    if (sizeOf(s) !== flat.length) throw new Error(`tensor: ${flat.length} values do not fill shape ${shapeStr(s)}`);
    return new Tensor(Float32Array.from(flat), s, opts.requiresGrad ?? false);
  }
  const arr = Float32Array.from(data as ArrayLike<number>);
  return new Tensor(arr, shape ?? [arr.length], opts.requiresGrad ?? false);
}

export function zeros(shape: Shape, opts: TensorOptions = {}): Tensor {
  return new Tensor(new Float32Array(sizeOf(shape)), shape, opts.requiresGrad ?? false);
}

export function full(shape: Shape, value: number, opts: TensorOptions = {}): Tensor {
  return new Tensor(new Float32Array(sizeOf(shape)).fill(value), shape, opts.requiresGrad ?? false);
}

export function ones(shape: Shape, opts: TensorOptions = {}): Tensor {
  return full(shape, 1, opts);
}

export interface RandomOptions extends TensorOptions {
  /** Source of randomness. Default: the global generator (manualSeed). */
  generator?: Generator;
}

/** Standard normal samples. */
export function randn(shape: Shape, opts: RandomOptions = {}): Tensor {
  const g = opts.generator ?? globalGenerator;
  const d = new Float32Array(sizeOf(shape));
  for (let i = 0; i < d.length; i++) d[i] = g.normal();
  return new Tensor(d, shape, opts.requiresGrad ?? false);
}

/** Uniform samples in [low, high). */
export function uniform(shape: Shape, low = 0, high = 1, opts: RandomOptions = {}): Tensor {
  const g = opts.generator ?? globalGenerator;
  const d = new Float32Array(sizeOf(shape));
  for (let i = 0; i < d.length; i++) d[i] = g.uniformRange(low, high);
  return new Tensor(d, shape, opts.requiresGrad ?? false);
}

export function arange(n: number): Tensor {
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) d[i] = i;
  return new Tensor(d, [n]);
}

/**
 * One-hot encoding of class indices: result shape is `shape` (default [indices.length]) plus
 * [numClasses].
 */
export function oneHot(indices: ArrayLike<number>, numClasses: number, shape?: Shape): Tensor {
  const s = shape ?? [indices.length];
  if (sizeOf(s) !== indices.length) throw new Error(`oneHot: ${indices.length} indices do not fill shape ${shapeStr(s)}`);
  if (!Number.isInteger(numClasses) || numClasses <= 0) throw new Error(`oneHot: numClasses must be a positive integer, got ${numClasses}`);
  const d = new Float32Array(indices.length * numClasses);
  for (let i = 0; i < indices.length; i++) {
    const c = indices[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= numClasses) throw new Error(`oneHot: index ${c} at position ${i} is outside [0, ${numClasses})`);
    d[i * numClasses + c] = 1;
  }
  return new Tensor(d, [...s, numClasses]);
}
