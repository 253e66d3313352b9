/**
 * What the drivers of the fused cells beyond the built-in four share (peephole-lstm.ts,
 * layernorm-lstm.ts): copying inputs into linear memory, the states each step started from, the
 * gradient reaching each step's h, and the parameter gradients after the loop, one GEMM each.
 * These drivers run every kernel on the calling thread (with one, or any number of, worker
 * threads the results are the same, bit for bit).
 *
 * Symbols: B batch, T time steps, I input size, H hidden size (= P), G gate rows.
 */
import type { RecurrentBackwardArgs } from "../backend.js";
import type { WasmContext } from "./context.js";
import { packedOffsets } from "../packed.js";

export const F = 4; // bytes per float

/** Time index of the s-th processed step. */
export const stepTime = (s: number, T: number, reverse: boolean): number => (reverse ? T - 1 - s : s);

/**
 * Where each processed step's rows are: step s runs `count[s]` rows from row `first[s]` of the
 * (rows, ·) buffers. Unpacked: T·B rows, step s at time stepTime(s) with all B rows. Packed
 * (batchSizes, for lengths and masks): N rows, step s at the running total with the rows still
 * running, a prefix of the previous step's rows (longest first), so only real steps cost anything.
 * `last[b]` is the row holding row b's final state.
 */
export interface StepRows {
  rows: number;
  first: Int32Array;
  count: Int32Array;
  last: Int32Array;
}

export function stepRows(where: string, T: number, B: number, reverse: boolean, batchSizes: Int32Array | null | undefined): StepRows {
  const first = new Int32Array(T);
  const count = new Int32Array(T);
  const last = new Int32Array(B);
  if (batchSizes == null) {
    for (let s = 0; s < T; s++) {
      first[s] = stepTime(s, T, reverse) * B;
      count[s] = B;
    }
    for (let b = 0; b < B; b++) last[b] = T > 0 ? first[T - 1]! + b : 0;
    return { rows: T * B, first, count, last };
  }
  if (reverse) throw new Error(`${where}: a packed call (batchSizes) runs forward only; pack the reversed sequences instead`);
  const { offsets, N } = packedOffsets(where, batchSizes, T, B);
  first.set(offsets);
  count.set(batchSizes);
  for (let s = 0; s < T; s++) for (let b = 0; b < count[s]!; b++) last[b] = first[s]! + b;
  return { rows: N, first, count, last };
}


/** Copies `src` (or zeros when null) into linear memory at byte offset `at`. */
export function put(f: Float32Array, at: number, src: Float32Array | null, floats: number): void {
  if (src === null) f.fill(0, at / F, at / F + floats);
  else f.set(src, at / F);
}

/** A JS copy of `floats` floats at byte offset `at`. */
export function take(f: Float32Array, at: number, floats: number): Float32Array {
  return f.slice(at / F, at / F + floats);
}

/** b_ih + b_hh (G), or null when the layer has no biases. */
export function sumBiases(a: Float32Array | null, b: Float32Array | null): Float32Array | null {
  if (a === null) return b;
  if (b === null) return a;
  const s = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) s[i] = a[i]! + b[i]!;
  return s;
}

/** hPrevAll (rows, W) at byte `at`: each step's rows of the previous step's out, or of h0 for the first. */
export function putPreviousStates(f: Float32Array, at: number, h0: Float32Array, out: Float32Array, steps: StepRows, W: number): void {
  for (let s = 0; s < steps.first.length; s++) {
    const n = steps.count[s]! * W;
    const from = s > 0 ? out.subarray(steps.first[s - 1]! * W, steps.first[s - 1]! * W + n) : h0.subarray(0, n);
    f.set(from, at / F + steps.first[s]! * W);
  }
}

/** dH (rows, H) at byte `at`: dOut, plus dHN on each row's last step. */
export function putOutputGradient(f: Float32Array, at: number, a: RecurrentBackwardArgs, steps: StepRows): void {
  const H = a.H;
  put(f, at, a.dOut, steps.rows * H);
  if (a.dHN !== null) {
    for (let b = 0; b < a.B; b++) {
      const o = at / F + steps.last[b]! * H;
      for (let i = 0; i < H; i++) f[o + i]! += a.dHN[b * H + i]!;
    }
  }
}

/**
 * After the per-step loop: dW_ih += dGxᵀ x, dx = dGx W_ih, dW_hh += dGhᵀ hPrevAll, and the bias
 * gradients (column sums of dGx; both biases get the same), each one GEMM or one pass over all
 * T·B rows, then copied out. Offsets are bytes in linear memory; `x`, `wIh` may be 0 when unused.
 */
export function weightGradients(
  ctx: WasmContext,
  a: RecurrentBackwardArgs,
  G: number,
  m: { x: number; wIh: number; hPrevAll: number; dGx: number; dGh: number },
  steps: StepRows,
): void {
  const { kernels: k, arena } = ctx;
  const { I, H } = a;
  const TB = steps.rows;
  const dWIh = a.dWIh !== null ? arena.alloc(G * I) : 0; // (G, I)
  const dWHh = a.dWHh !== null ? arena.alloc(G * H) : 0; // (G, H)
  const dB = a.dBIh !== null || a.dBHh !== null ? arena.alloc(G) : 0; // (G)
  const dx = a.dx !== null ? arena.alloc(TB * I) : 0; // (T, B, I)
  const packed = arena.alloc(Math.max(k.packedBFloats(TB, I), k.packedBFloats(TB, H), k.packedBFloats(G, I)));
  const work = arena.alloc(k.gemmWorkFloats());
  const f = arena.view();
  if (a.dWIh !== null) f.set(a.dWIh, dWIh / F);
  if (a.dWHh !== null) f.set(a.dWHh, dWHh / F);
  if (dB !== 0) f.fill(0, dB / F, dB / F + G);
  if (a.dWIh !== null) k.gemm(1, 0, G, I, TB, m.dGx, G, m.x, I, dWIh, I, 1, 0, packed, work);
  if (a.dx !== null) k.gemm(0, 0, TB, I, G, m.dGx, G, m.wIh, I, dx, I, 0, 0, packed, work);
  if (a.dWHh !== null) k.gemm(1, 0, G, H, TB, m.dGh, G, m.hPrevAll, H, dWHh, H, 1, 0, packed, work);
  if (dB !== 0) k.colsumAccumulate(TB, G, m.dGx, G, dB);
  if (a.dWIh !== null) a.dWIh.set(take(f, dWIh, G * I));
  if (a.dWHh !== null) a.dWHh.set(take(f, dWHh, G * H));
  if (a.dx !== null) a.dx.set(take(f, dx, TB * I));
  for (const d of [a.dBIh, a.dBHh]) {
    if (d === null) continue;
    for (let j = 0; j < G; j++) d[j]! += f[dB / F + j]!;
  }
}
