/**
 * Helpers the cells' reference kernels share: the step order of a direction, the logistic
 * function, column sums and the states each step started from. Plain arrays, no tensors.
 *
 * Symbols: B batch, T time steps, P recurrent width, G gate rows.
 */
export { gemmReference as gemm } from "../../backends/reference/gemm.js";
import type { CellActivations } from "./spec.js";
import { requireScalar, type ScalarActivation } from "./scalar-activations.js";

/** σ(v), written so that neither branch overflows. */
export const sigmoid = (v: number): number => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));

/** Time index of the s-th processed step (a reverse direction runs t = T-1 .. 0). */
export const stepTime = (s: number, T: number, reverse: boolean): number => (reverse ? T - 1 - s : s);

/** dst[j] += sum over rows of m[row, j], summed in float64 so long sequences do not drift. */
export function colSumInto(m: Float32Array, rows: number, cols: number, dst: Float32Array): void {
  const acc = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) acc[j]! += m[o + j]!;
  }
  for (let j = 0; j < cols; j++) dst[j]! += acc[j]!;
}

/**
 * (T, B, W): the state each step started from, indexed by that step's time (h0 for the first);
 * times the recurrent mask (B, W) when one is given, i.e. what entered each step's recurrent product.
 */
export function previousStates(all: Float32Array, first: Float32Array, T: number, rowFloats: number, reverse: boolean, mask: Float32Array | null = null): Float32Array {
  const prev = new Float32Array(T * rowFloats);
  for (let s = 0; s < T; s++) {
    const t = stepTime(s, T, reverse);
    const tPrev = s > 0 ? stepTime(s - 1, T, reverse) : -1;
    prev.set(tPrev >= 0 ? all.subarray(tPrev * rowFloats, (tPrev + 1) * rowFloats) : first, t * rowFloats);
  }
  if (mask !== null) for (let k = 0; k < prev.length; k++) prev[k]! *= mask[k % rowFloats]!;
  return prev;
}

/** h times the recurrent mask into `into` (same length), or h itself without a mask. */
export function maskedState(h: Float32Array, mask: Float32Array | null, into: Float32Array): Float32Array {
  if (mask === null) return h;
  for (let k = 0; k < h.length; k++) into[k] = h[k]! * mask[k]!;
  return into;
}

/** dst += src ⊙ mask (src itself without a mask), all of one length. */
export function addMasked(dst: Float32Array, src: Float32Array, mask: Float32Array | null): void {
  if (mask === null) for (let k = 0; k < dst.length; k++) dst[k]! += src[k]!;
  else for (let k = 0; k < dst.length; k++) dst[k]! += src[k]! * mask[k]!;
}

/** The scalar gate and candidate nonlinearities of a kernel call: the call's, else the cell's defaults. */
export function kernelActivations(where: string, defaults: CellActivations, a: CellActivations | undefined): { gate: ScalarActivation; cand: ScalarActivation } {
  const acts = a ?? defaults;
  return { gate: requireScalar(where, acts.gate), cand: requireScalar(where, acts.candidate) };
}

/** The empty buffer that fills unused cache slots. */
export const NONE = new Float32Array(0);
