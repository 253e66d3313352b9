import { Node } from "../autograd/node.js";
import { runBackward, BACKWARD_OPTIONS, type BackwardOptions } from "../autograd/engine.js";
import { checkOptions, describeArg } from "../nn/options.js";
import { isGradEnabled } from "../autograd/mode.js";
import { type Shape, sizeOf, shapeStr, checkShape } from "./shape.js";
import { recycle } from "./pool.js";
import * as ew from "../autograd/ops/elementwise.js";
import * as red from "../autograd/ops/reduce.js";
import * as sh from "../autograd/ops/shape.js";
import * as mm from "../autograd/ops/matmul.js";
import * as sm from "../autograd/ops/softmax.js";
import * as ix from "../autograd/ops/indexing.js";
import * as so from "../autograd/ops/sorting.js";
import * as tl from "../autograd/ops/tile.js";
import * as mx from "../autograd/ops/minmax.js";
import * as cu from "../autograd/ops/cumulative.js";

/** Anything an elementwise op accepts as its second operand: a tensor or a plain number. */
export type Operand = Tensor | number;

/**
 * A float32 tensor: row-major `data` with a `shape`, and its place on the autodiff tape.
 * Operations return new tensors; `data` may be shared by views such as reshape (never mutate
 * the data of a tensor that is part of a graph you still intend to differentiate).
 */
export class Tensor {
  data: Float32Array;
  readonly shape: readonly number[];
  requiresGrad: boolean;
  /** Accumulated gradient of a leaf after backward(); null until then. */
  grad: Tensor | null = null;
  /** The operation that produced this tensor; null for leaves. */
  gradFn: Node | null = null;
  /** Which output of gradFn this tensor is. */
  outputIndex = 0;

  constructor(data: Float32Array, shape: Shape, requiresGrad = false) {
    checkShape(shape, "tensor");
    if (data.length !== sizeOf(shape)) {
      throw new Error(`tensor: data has ${data.length} elements but shape ${shapeStr(shape)} needs ${sizeOf(shape)}`);
    }
    this.data = data;
    this.shape = [...shape];
    this.requiresGrad = requiresGrad;
  }

  get size(): number {
    return this.data.length;
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.data.length !== 1) throw new Error(`item: tensor has ${this.data.length} elements (shape ${shapeStr(this.shape)}), expected 1`);
    return this.data[0]!;
  }

  /**
   * Backpropagates from this tensor, accumulating (+=) into the `.grad` of every leaf that
   * requires grad. Without a gradient the tensor must hold one element (a loss); `grad` must have
   * this tensor's size. The graph's saved values are freed afterwards, so a second backward
   * through it throws unless the first asked for `{ retainGraph: true }`. Both
   * `backward(grad, { retainGraph })` and `backward({ retainGraph })` are accepted.
   */
  backward(grad?: Tensor | BackwardOptions, options?: BackwardOptions): void {
    let gradient: Tensor | undefined;
    let opts: unknown = options;
    if (grad instanceof Tensor || grad === undefined) gradient = grad;
    else if (options === undefined) opts = grad;
    else throw new Error(`backward: the first argument must be the gradient (a Tensor) when options are given second, got ${describeArg(grad)}`);
    const { retainGraph = false } = checkOptions<BackwardOptions>("backward", opts, BACKWARD_OPTIONS, { allowMissing: true });
    if (!this.requiresGrad) {
      throw new Error("backward: this tensor does not require grad (no input of the computation has requiresGrad, or it ran inside noGrad)");
    }
    let seed: Float32Array;
    if (gradient === undefined) {
      if (this.data.length !== 1) {
        throw new Error(`backward: called without a gradient on a tensor of shape ${shapeStr(this.shape)}; only one-element tensors get an implicit gradient of 1`);
      }
      seed = new Float32Array([1]);
    } else {
      if (gradient.data.length !== this.data.length) {
        throw new Error(`backward: gradient has shape ${shapeStr(gradient.shape)} but the tensor has shape ${shapeStr(this.shape)}`);
      }
      seed = gradient.data.slice();
    }
    runBackward(this, seed, { retainGraph });
  }

  /**
   * Adds `g` to this leaf's gradient (parameter gradients accumulate). Takes ownership of `g`:
   * it becomes the gradient when there is none yet, else it is added in and, if it came from the
   * buffer pool, returned there. So a loop that keeps its gradients (`zeroGrad(false)`) reuses the
   * same arrays step after step.
   */
  accumulateGrad(g: Float32Array): void {
    if (this.grad === null) {
      this.grad = new Tensor(g, this.shape);
      return;
    }
    const d = this.grad.data;
    for (let i = 0; i < d.length; i++) d[i]! += g[i]!;
    recycle(g);
  }

  /** The same data, cut from the tape. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape, false);
  }

  /** A copy of the data, cut from the tape. */
  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape, false);
  }

  toArray(): number[] {
    return Array.from(this.data);
  }

  toString(): string {
    const head = Array.from(this.data.subarray(0, 8), (v) => v.toPrecision(5)).join(", ");
    return `Tensor(shape=${shapeStr(this.shape)}, data=[${head}${this.data.length > 8 ? ", ..." : ""}])`;
  }

  add(other: Operand): Tensor {
    return ew.add(this, other);
  }
  sub(other: Operand): Tensor {
    return ew.sub(this, other);
  }
  mul(other: Operand): Tensor {
    return ew.mul(this, other);
  }
  div(other: Operand): Tensor {
    return ew.div(this, other);
  }
  neg(): Tensor {
    return ew.neg(this);
  }
  exp(): Tensor {
    return ew.exp(this);
  }
  log(): Tensor {
    return ew.log(this);
  }
  sigmoid(): Tensor {
    return ew.sigmoid(this);
  }
  tanh(): Tensor {
    return ew.tanh(this);
  }
  relu(): Tensor {
    return ew.relu(this);
  }
  square(): Tensor {
    return ew.mul(this, this);
  }
  sqrt(): Tensor {
    return ew.sqrt(this);
  }
  abs(): Tensor {
    return ew.abs(this);
  }
  pow(exponent: number): Tensor {
    return ew.powScalar(this, exponent);
  }
  /** Sum over `axes` (all when omitted). */
  sum(axes?: number | number[], keepDim = false): Tensor {
    return red.sum(this, axes, keepDim);
  }
  mean(axes?: number | number[], keepDim = false): Tensor {
    return red.mean(this, axes, keepDim);
  }
  /** Matrix product of 2-D tensors, or batched over a leading dim for 3-D. */
  matmul(other: Tensor, opts: { transA?: boolean; transB?: boolean } = {}): Tensor {
    return mm.matmul(this, other, opts);
  }
  reshape(shape: Shape): Tensor {
    return sh.reshape(this, shape);
  }
  transpose(dim0: number, dim1: number): Tensor {
    return sh.transpose(this, dim0, dim1);
  }
  permute(dims: number[]): Tensor {
    return sh.permute(this, dims);
  }
  slice(axis: number, start: number, end: number): Tensor {
    return sh.slice(this, axis, start, end);
  }
  /** The sub-tensor at `index` along `axis`, with that axis removed. */
  select(axis: number, index: number): Tensor {
    return sh.select(this, axis, index);
  }
  unsqueeze(axis: number): Tensor {
    return sh.unsqueeze(this, axis);
  }
  squeeze(axis: number): Tensor {
    return sh.squeeze(this, axis);
  }
  softmax(axis = -1): Tensor {
    return sm.softmax(this, axis);
  }
  logSoftmax(axis = -1): Tensor {
    return sm.logSoftmax(this, axis);
  }
  /** Values picked along `dim` by an index tensor, as `torch.gather` (see `gather`). */
  gather(dim: number, index: Tensor): Tensor {
    return ix.gather(this, dim, index);
  }
  /** A copy with `src` added at `index` along `dim`, as `Tensor.scatter_add` (see `scatterAdd`). */
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor {
    return ix.scatterAdd(this, dim, index, src);
  }
  /** `value` where `mask` is non-zero (see `maskedFill`). */
  maskedFill(mask: Tensor, value: number): Tensor {
    return ix.maskedFill(this, mask, value);
  }
  /** Position of the largest value, as float32 whole numbers (see `argmax`). */
  argmax(dim?: number, keepdim = false): Tensor {
    return so.argmax(this, dim, keepdim);
  }
  /** Position of the smallest value, as float32 whole numbers (see `argmin`). */
  argmin(dim?: number, keepdim = false): Tensor {
    return so.argmin(this, dim, keepdim);
  }
  /** `[values, indices]` of the k largest (or smallest) along `dim` (see `topk`). */
  topk(k: number, dim = -1, largest = true): [Tensor, Tensor] {
    return so.topk(this, k, dim, largest);
  }
  /** Broadcast to `shape`; -1 keeps a dim (see `expand`). */
  expand(shape: Shape): Tensor {
    return tl.expand(this, shape);
  }
  /** Copies along each dim, as `torch.Tensor.repeat` (see `repeat`). */
  repeat(reps: readonly number[]): Tensor {
    return tl.repeat(this, reps);
  }
  /** As repeat, with short `reps` padded by leading 1s (see `tile`). */
  tile(reps: readonly number[]): Tensor {
    return tl.tile(this, reps);
  }
  /** Elementwise larger of this and `other` (see `maximum`). */
  maximum(other: Operand): Tensor {
    return mx.maximum(this, other);
  }
  /** Elementwise smaller of this and `other` (see `minimum`). */
  minimum(other: Operand): Tensor {
    return mx.minimum(this, other);
  }
  /** Clipped to [min, max]; either bound may be omitted (see `clamp`). */
  clamp(min?: number, max?: number): Tensor {
    return mx.clamp(this, min, max);
  }
  /** Running sum along `dim` (see `cumsum`). */
  cumsum(dim: number): Tensor {
    return cu.cumsum(this, dim);
  }
  /** Stable log(Σ exp) along `dim` (see `logsumexp`). */
  logsumexp(dim: number | readonly number[], keepdim = false): Tensor {
    return cu.logsumexp(this, dim, keepdim);
  }
}

/**
 * Creates the output of a differentiable operation and records it on the tape when any
 * input requires grad and recording is on. Ops call this once per output set.
 */
export function recordOp(
  name: string,
  inputs: readonly Tensor[],
  outputs: readonly Tensor[],
  backward: (gradOutputs: readonly (Float32Array | null)[]) => (Float32Array | null)[],
): void {
  if (!isGradEnabled() || !inputs.some((t) => t.requiresGrad)) return;
  const node = new Node(name, inputs, outputs.map((o) => o.shape), backward);
  outputs.forEach((o, i) => {
    o.requiresGrad = true;
    o.gradFn = node;
    o.outputIndex = i;
  });
}

/** True when an op on these inputs will be recorded, so it should keep what backward needs. */
export function needsGrad(...inputs: Tensor[]): boolean {
  return isGradEnabled() && inputs.some((t) => t.requiresGrad);
}
