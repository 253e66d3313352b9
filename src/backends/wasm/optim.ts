/**
 * The fused optimiser updates of the wasm backend (wasm/kernels/optim.ts). Each call lays every
 * listed parameter's arrays end to end in the scratch arena (one region per array kind), runs one
 * kernel call over all of them, and copies the updated arrays back; gradients are only read.
 * The arena grows to the model's parameter count (arrays that already exist in JavaScript), once.
 */
import type { AdamScalars, AdamTensors, OptimizerKernels, RMSpropScalars, RMSpropTensors, SGDScalars, SGDTensors } from "../optim-kernels.js";
import type { WasmContext } from "./context.js";

const F = 4; // bytes per float

/** Byte offsets of one region per array kind, each `total` floats long. */
function layout(ctx: WasmContext, kinds: number, total: number): number[] {
  ctx.arena.reset(ctx.store.top);
  return Array.from({ length: kinds }, () => ctx.arena.alloc(total));
}

/** Copies the arrays into the region at byte `at`, end to end. */
function copyIn(view: Float32Array, at: number, arrays: readonly Float32Array[]): void {
  let o = at / F;
  for (const a of arrays) {
    view.set(a, o);
    o += a.length;
  }
}

/** Copies the region at byte `at` back into the arrays it was filled from. */
function copyOut(view: Float32Array, at: number, arrays: readonly Float32Array[]): void {
  let o = at / F;
  for (const a of arrays) {
    a.set(view.subarray(o, o + a.length));
    o += a.length;
  }
}

function totalOf(tensors: readonly { param: Float32Array }[]): number {
  let n = 0;
  for (const t of tensors) n += t.param.length;
  return n;
}

/** Non-null buffers of a kind that the scalars say every tensor has. */
function present(list: readonly (Float32Array | null)[], kind: string): Float32Array[] {
  return list.map((b) => {
    if (b === null) throw new Error(`wasm backend: optimizer update: a parameter has no ${kind} buffer`);
    return b;
  });
}

function adam(ctx: WasmContext, tensors: readonly AdamTensors[], s: AdamScalars): void {
  const n = totalOf(tensors);
  if (n === 0) return;
  const [p, g, m, v, vMax] = layout(ctx, s.amsgrad ? 5 : 4, n);
  const params = tensors.map((t) => t.param);
  const moments = tensors.map((t) => t.expAvg);
  const squares = tensors.map((t) => t.expAvgSq);
  const maxima = s.amsgrad ? present(tensors.map((t) => t.maxExpAvgSq), "max_exp_avg_sq") : [];
  const view = ctx.arena.view();
  copyIn(view, p, params);
  copyIn(view, g, tensors.map((t) => t.grad));
  copyIn(view, m, moments);
  copyIn(view, v, squares);
  if (s.amsgrad) copyIn(view, vMax, maxima);
  const flags = (s.decoupled ? 1 : 0) | (s.coupled ? 2 : 0) | (s.maximize ? 4 : 0) | (s.amsgrad ? 8 : 0);
  ctx.kernels.adamUpdate(
    n, p, g, m, v, s.amsgrad ? vMax : 0, flags, s.wd, s.shrink, s.b1, s.b2, s.oneMinusB1, s.oneMinusB2,
    s.biasCorrection2Sqrt, s.negStepSize, s.eps,
  );
  copyOut(view, p, params);
  copyOut(view, m, moments);
  copyOut(view, v, squares);
  if (s.amsgrad) copyOut(view, vMax, maxima);
}

function sgd(ctx: WasmContext, tensors: readonly SGDTensors[], s: SGDScalars): void {
  const n = totalOf(tensors);
  if (n === 0) return;
  const momentum = tensors[0].momentumBuffer !== null;
  const [p, g, b] = layout(ctx, momentum ? 3 : 2, n);
  const params = tensors.map((t) => t.param);
  const buffers = momentum ? present(tensors.map((t) => t.momentumBuffer), "momentum_buffer") : [];
  const view = ctx.arena.view();
  copyIn(view, p, params);
  copyIn(view, g, tensors.map((t) => t.grad));
  // A first step overwrites the buffers without reading them.
  if (momentum && !s.first) copyIn(view, b, buffers);
  const flags = (s.decay ? 1 : 0) | (momentum ? 2 : 0) | (s.first ? 4 : 0) | (s.nesterov ? 8 : 0) | (s.maximize ? 16 : 0);
  ctx.kernels.sgdUpdate(n, p, g, momentum ? b : 0, flags, s.wd, s.mu, s.keep, s.negLr);
  copyOut(view, p, params);
  if (momentum) copyOut(view, b, buffers);
}

function rmsprop(ctx: WasmContext, tensors: readonly RMSpropTensors[], s: RMSpropScalars): void {
  const n = totalOf(tensors);
  if (n === 0) return;
  const [p, g, sq, b, mean] = layout(ctx, 3 + (s.momentum ? 1 : 0) + (s.centered ? 1 : 0), n);
  const meanAt = s.momentum ? mean : b;
  const params = tensors.map((t) => t.param);
  const squares = tensors.map((t) => t.squareAvg);
  const buffers = s.momentum ? present(tensors.map((t) => t.momentumBuffer), "momentum_buffer") : [];
  const means = s.centered ? present(tensors.map((t) => t.gradAvg), "grad_avg") : [];
  const view = ctx.arena.view();
  copyIn(view, p, params);
  copyIn(view, g, tensors.map((t) => t.grad));
  copyIn(view, sq, squares);
  if (s.momentum) copyIn(view, b, buffers);
  if (s.centered) copyIn(view, meanAt, means);
  const flags = (s.decay ? 1 : 0) | (s.momentum ? 2 : 0) | (s.centered ? 4 : 0) | (s.maximize ? 8 : 0);
  ctx.kernels.rmspropUpdate(
    n, p, g, sq, s.momentum ? b : 0, s.centered ? meanAt : 0, flags, s.wd, s.a, s.oneMinusA, s.eps, s.mu, s.negLr,
  );
  copyOut(view, p, params);
  copyOut(view, sq, squares);
  if (s.momentum) copyOut(view, b, buffers);
  if (s.centered) copyOut(view, meanAt, means);
}

export function wasmOptimizerKernels(ctx: WasmContext): OptimizerKernels {
  return {
    adam: (tensors, scalars) => adam(ctx, tensors, scalars),
    sgd: (tensors, scalars) => sgd(ctx, tensors, scalars),
    rmsprop: (tensors, scalars) => rmsprop(ctx, tensors, scalars),
  };
}
