/**
 * The fused optimiser updates of the wasm backend (wasm/kernels/optim.ts). Each call lays every
 * listed parameter's arrays end to end in the scratch arena (one region per array kind), runs one
 * kernel call over all of them, and copies the updated arrays back; gradients are only read.
 * The arena grows to the model's parameter count (arrays that already exist in JavaScript), once.
 */
import type { AdamScalars, AdamTensors, OptimizerKernels, RMSpropScalars, RMSpropTensors, SGDScalars, SGDTensors } from "../optim-kernels.js";
import type { WasmContext } from "./context.js";

const F = 4; // bytes per float

/** The regions of the current call, reused (calls never interleave). */
const regions: number[] = [];

/** Byte offsets of one region per array kind, each `total` floats long. */
function layout(ctx: WasmContext, kinds: number, total: number): readonly number[] {
  ctx.arena.reset(ctx.store.top);
  regions.length = 0;
  for (let k = 0; k < kinds; k++) regions.push(ctx.arena.alloc(total));
  return regions;
}

/** Picks one array of a tensor record; module-level functions, so that a call allocates no closure. */
type Pick<T> = (t: T) => Float32Array | null;
type HasParam = { readonly param: Float32Array };

/** The picked array, checked: the kernels walk every array with its parameter's length. */
function array<T extends HasParam>(t: T, pick: Pick<T>): Float32Array {
  const a = pick(t);
  if (a === null) throw new TypeError("wasm backend: optimizer update: a parameter lacks a state buffer its options need");
  if (a.length !== t.param.length) {
    throw new RangeError(`wasm backend: optimizer update: a gradient or state buffer has ${a.length} elements but its parameter ${t.param.length}`);
  }
  return a;
}

/** Copies the picked array of every tensor into the region at byte `at`, end to end. */
function copyIn<T extends HasParam>(view: Float32Array, at: number, tensors: readonly T[], pick: Pick<T>): void {
  let o = at / F;
  for (let j = 0; j < tensors.length; j++) {
    const a = array(tensors[j], pick);
    view.set(a, o);
    o += a.length;
  }
}

/** Copies the region at byte `at` back into the arrays it was filled from. */
function copyOut<T extends HasParam>(view: Float32Array, at: number, tensors: readonly T[], pick: Pick<T>): void {
  let o = at / F;
  for (let j = 0; j < tensors.length; j++) {
    const a = array(tensors[j], pick);
    // subarray makes a small view object; a loop would avoid it but copy far slower.
    a.set(view.subarray(o, o + a.length));
    o += a.length;
  }
}

const param = (t: { param: Float32Array }): Float32Array => t.param;
const grad = (t: { grad: Float32Array }): Float32Array => t.grad;
const expAvg = (t: AdamTensors): Float32Array => t.expAvg;
const expAvgSq = (t: AdamTensors): Float32Array => t.expAvgSq;
const maxExpAvgSq = (t: AdamTensors): Float32Array | null => t.maxExpAvgSq;
const momentumBuffer = (t: { momentumBuffer: Float32Array | null }): Float32Array | null => t.momentumBuffer;
const squareAvg = (t: RMSpropTensors): Float32Array => t.squareAvg;
const gradAvg = (t: RMSpropTensors): Float32Array | null => t.gradAvg;

function totalOf(tensors: readonly { param: Float32Array }[]): number {
  let n = 0;
  for (let j = 0; j < tensors.length; j++) n += tensors[j].param.length;
  return n;
}

function adam(ctx: WasmContext, tensors: readonly AdamTensors[], s: AdamScalars): void {
  const n = totalOf(tensors);
  if (n === 0) return;
  const [p, g, m, v, vMax] = layout(ctx, s.amsgrad ? 5 : 4, n);
  const view = ctx.arena.view();
  copyIn(view, p, tensors, param);
  copyIn(view, g, tensors, grad);
  copyIn(view, m, tensors, expAvg);
  copyIn(view, v, tensors, expAvgSq);
  if (s.amsgrad) copyIn(view, vMax, tensors, maxExpAvgSq);
  const flags = (s.decoupled ? 1 : 0) | (s.coupled ? 2 : 0) | (s.maximize ? 4 : 0) | (s.amsgrad ? 8 : 0);
  ctx.kernels.adamUpdate(
    n, p, g, m, v, s.amsgrad ? vMax : 0, flags, s.wd, s.shrink, s.b1, s.b2, s.oneMinusB1, s.oneMinusB2,
    s.biasCorrection2Sqrt, s.negStepSize, s.eps,
  );
  copyOut(view, p, tensors, param);
  copyOut(view, m, tensors, expAvg);
  copyOut(view, v, tensors, expAvgSq);
  if (s.amsgrad) copyOut(view, vMax, tensors, maxExpAvgSq);
}

function sgd(ctx: WasmContext, tensors: readonly SGDTensors[], s: SGDScalars): void {
  const n = totalOf(tensors);
  if (n === 0) return;
  const momentum = tensors[0].momentumBuffer !== null;
  const [p, g, b] = layout(ctx, momentum ? 3 : 2, n);
  const view = ctx.arena.view();
  copyIn(view, p, tensors, param);
  copyIn(view, g, tensors, grad);
  // A first step overwrites the buffers without reading them.
  if (momentum && !s.first) copyIn(view, b, tensors, momentumBuffer);
  const flags = (s.decay ? 1 : 0) | (momentum ? 2 : 0) | (s.first ? 4 : 0) | (s.nesterov ? 8 : 0) | (s.maximize ? 16 : 0);
  ctx.kernels.sgdUpdate(n, p, g, momentum ? b : 0, flags, s.wd, s.mu, s.keep, s.negLr);
  copyOut(view, p, tensors, param);
  if (momentum) copyOut(view, b, tensors, momentumBuffer);
}

function rmsprop(ctx: WasmContext, tensors: readonly RMSpropTensors[], s: RMSpropScalars): void {
  const n = totalOf(tensors);
  if (n === 0) return;
  const [p, g, sq, b, mean] = layout(ctx, 3 + (s.momentum ? 1 : 0) + (s.centered ? 1 : 0), n);
  // Without momentum the running mean takes the fourth region.
  const meanAt = s.momentum ? mean : b;
  const view = ctx.arena.view();
  copyIn(view, p, tensors, param);
  copyIn(view, g, tensors, grad);
  copyIn(view, sq, tensors, squareAvg);
  if (s.momentum) copyIn(view, b, tensors, momentumBuffer);
  if (s.centered) copyIn(view, meanAt, tensors, gradAvg);
  const flags = (s.decay ? 1 : 0) | (s.momentum ? 2 : 0) | (s.centered ? 4 : 0) | (s.maximize ? 8 : 0);
  ctx.kernels.rmspropUpdate(
    n, p, g, sq, s.momentum ? b : 0, s.centered ? meanAt : 0, flags, s.wd, s.a, s.oneMinusA, s.eps, s.mu, s.negLr,
  );
  copyOut(view, p, tensors, param);
  copyOut(view, sq, tensors, squareAvg);
  if (s.momentum) copyOut(view, b, tensors, momentumBuffer);
  if (s.centered) copyOut(view, meanAt, tensors, gradAvg);
}

export function wasmOptimizerKernels(ctx: WasmContext): OptimizerKernels {
  return {
    adam: (tensors, scalars) => adam(ctx, tensors, scalars),
    sgd: (tensors, scalars) => sgd(ctx, tensors, scalars),
    rmsprop: (tensors, scalars) => rmsprop(ctx, tensors, scalars),
  };
}
