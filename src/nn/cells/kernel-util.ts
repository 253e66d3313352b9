/**
 * Helpers the cells' reference kernels share: the step order of a direction, the logistic
 * function, column sums and the states each step started from. Plain arrays, no tensors.
 *
 * Symbols: B batch, T time steps, P recurrent width, G gate rows.
 */
export { gemmReference as gemm } from "../../backends/reference/gemm.js";

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

/** (T, B, W): the state each step started from, indexed by that step's time (h0 for the first). */
export function previousStates(all: Float32Array, first: Float32Array, T: number, rowFloats: number, reverse: boolean): Float32Array {
  const prev = new Float32Array(T * rowFloats);
  for (let s = 0; s < T; s++) {
    const t = stepTime(s, T, reverse);
    const tPrev = s > 0 ? stepTime(s - 1, T, reverse) : -1;
    prev.set(tPrev >= 0 ? all.subarray(tPrev * rowFloats, (tPrev + 1) * rowFloats) : first, t * rowFloats);
  }
  return prev;
}

/** The empty buffer that fills unused cache slots. */
export const NONE = new Float32Array(0);
