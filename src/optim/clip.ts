import type { GradHolder } from "./param.js";
import { show } from "./validate.js";

const f = Math.fround;

export interface ClipGradNormOptions {
  /**
   * Throw when the total norm is NaN or infinite. Default true: a non-finite norm means a loss
   * or gradient has already blown up, and scaling by it would silently turn every gradient into
   * 0 or NaN. PyTorch's `error_if_nonfinite` defaults to false; pass false for its behaviour.
   */
  errorIfNonfinite?: boolean;
}

function gradsOf(owner: string, params: Iterable<GradHolder>): Float32Array[] {
  if (params === null || typeof params !== "object" || typeof params[Symbol.iterator] !== "function") {
    throw new TypeError(`${owner}: params must be an array or iterable of parameters, got ${show(params)}`);
  }
  const grads: Float32Array[] = [];
  let i = 0;
  for (const p of params) {
    if (p === null || typeof p !== "object" || (p.grad !== null && !(p.grad?.data instanceof Float32Array))) {
      throw new TypeError(`${owner}: params[${i}] must be a parameter whose grad is null or holds a Float32Array, got ${show(p)}`);
    }
    if (p.grad !== null) grads.push(p.grad.data);
    i++;
  }
  return grads;
}

/**
 * Scales all gradients together so that their joint norm (as if concatenated into one vector)
 * is at most `maxNorm`, as `torch.nn.utils.clip_grad_norm_` (1.13): the coefficient is
 * `maxNorm / (totalNorm + 1e-6)`, applied only when it is below 1. Parameters without a
 * gradient are ignored. The norm is accumulated in float64.
 *
 * @param normType the p of the p-norm: a positive number, or Infinity for the largest |g|. Default 2.
 * @returns the total norm before clipping (0 when no parameter has a gradient).
 */
export function clipGradNorm(
  params: Iterable<GradHolder>,
  maxNorm: number,
  normType = 2,
  options: ClipGradNormOptions = {},
): number {
  const owner = "clipGradNorm";
  if (typeof maxNorm !== "number" || !(maxNorm > 0)) {
    throw new RangeError(`${owner}: maxNorm must be a positive number, got ${show(maxNorm)}`);
  }
  if (typeof normType !== "number" || !(normType > 0)) {
    throw new RangeError(`${owner}: normType must be a positive number or Infinity, got ${show(normType)}`);
  }
  const errorIfNonfinite = options.errorIfNonfinite ?? true;
  if (typeof errorIfNonfinite !== "boolean") {
    throw new TypeError(`${owner}: errorIfNonfinite must be true or false, got ${show(errorIfNonfinite)}`);
  }
  const grads = gradsOf(owner, params);
  if (grads.length === 0) return 0;

  const total = totalNorm(grads, normType);
  if (!Number.isFinite(total) && errorIfNonfinite) {
    throw new RangeError(`${owner}: the total gradient norm is ${total}; a loss or gradient is not finite`);
  }
  // PyTorch holds the norm and the coefficient as float32 tensors; rounding the same way keeps
  // the clipped gradients equal to its own.
  const coef = f(f(maxNorm) / f(f(total) + f(1e-6)));
  // Written so that a NaN coefficient also scales, as PyTorch's clamp(coef, max=1) lets NaN through.
  if (!(coef >= 1)) {
    for (const g of grads) {
      for (let j = 0; j < g.length; j++) g[j] *= coef;
    }
  }
  return total;
}

// Clipping stays in JavaScript on every backend. The 2-norm's float64 sum runs element by element
// in a fixed order, a chain of dependent additions that a wasm kernel could not vectorise without
// changing the result, so it would run no faster than this loop after copying every gradient
// into linear memory and back; bench/optim.ts measures this function for scale.
function totalNorm(grads: readonly Float32Array[], p: number): number {
  if (p === Infinity) {
    let max = 0;
    for (const g of grads) {
      for (let j = 0; j < g.length; j++) {
        const a = Math.abs(g[j]);
        if (!(a <= max)) {
          if (Number.isNaN(a)) return NaN;
          max = a;
        }
      }
    }
    return max;
  }
  let sum = 0;
  for (const g of grads) {
    if (p === 2) {
      for (let j = 0; j < g.length; j++) sum += g[j] * g[j];
    } else if (p === 1) {
      for (let j = 0; j < g.length; j++) sum += Math.abs(g[j]);
    } else {
      for (let j = 0; j < g.length; j++) sum += Math.abs(g[j]) ** p;
    }
  }
  return p === 2 ? Math.sqrt(sum) : p === 1 ? sum : sum ** (1 / p);
}

/**
 * Clamps every gradient element into [-clipValue, clipValue] in place, as
 * `torch.nn.utils.clip_grad_value_`. NaN elements stay NaN. Parameters without a gradient are ignored.
 */
export function clipGradValue(params: Iterable<GradHolder>, clipValue: number): void {
  const owner = "clipGradValue";
  if (typeof clipValue !== "number" || !(clipValue >= 0)) {
    throw new RangeError(`${owner}: clipValue must be a number >= 0, got ${show(clipValue)}`);
  }
  for (const g of gradsOf(owner, params)) {
    for (let j = 0; j < g.length; j++) {
      const x = g[j];
      if (x > clipValue) g[j] = clipValue;
      else if (x < -clipValue) g[j] = -clipValue;
    }
  }
}
