/**
 * Fused recurrent kernels, reference version: one layer, one direction, a whole sequence.
 *
 * Symbols: B batch, T time steps, I input size, H hidden size, P recurrent width (projSize, or H),
 * G gate rows (H for RNN, 4H for LSTM, 3H for GRU).
 *
 * The math, in the code's symbols (PyTorch's definitions and gate order):
 *   RNN:  h = act(x W_ihᵀ + b_ih + h_prev W_hhᵀ + b_hh)                       act = tanh | relu
 *   LSTM: [i|f|g|o] = x W_ihᵀ + b_ih + h_prev W_hhᵀ + b_hh
 *         i, f, o = σ(·), g = tanh(·);  c = f*c_prev + i*g;  h = o*tanh(c)   (then h = h W_hrᵀ with projSize)
 *   GRU:  [r|z|n]: r = σ(x_r + hh_r), z = σ(x_z + hh_z), n = tanh(x_n + r*hh_n), h = (1-z)*n + z*h_prev
 *         where x_* = x W_i*ᵀ + b_i* and hh_* = h_prev W_h*ᵀ + b_h* (GRU keeps b_hh inside r*(…)).
 *
 * Work plan (the performance model of DESIGN.md): one GEMM for every step's input projection,
 * one (B, P) × (P, G) GEMM per step, and the gate math fused into one pass per step. Backward runs
 * the per-step part in reverse and then forms every parameter gradient with one GEMM each.
 */
import type { RecurrentBackwardArgs, RecurrentCache, RecurrentForwardArgs } from "../backend.js";
import { GATES_PER_UNIT } from "../backend.js";
import { gemmReference as gemm } from "./gemm.js";

const sigmoid = (v: number): number => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));

/** Time index of the s-th processed step. */
const stepTime = (s: number, T: number, reverse: boolean): number => (reverse ? T - 1 - s : s);

/**
 * Cache layout (all float32):
 *   [0] acts  (T, B, G)  gate activations after their nonlinearity (RNN: h itself)
 *   [1] c     (T, B, H)  LSTM cell states, else empty
 *   [2] hfull (T, B, H)  LSTM o*tanh(c) before projection (only with projection), else empty
 *   [3] hhn   (T, B, H)  GRU h_prev W_hnᵀ + b_hn, else empty
 */
export function recurrentForwardReference(a: RecurrentForwardArgs): RecurrentCache {
  const { mode, T, B, I, H, P, reverse, x, wIh, wHh, bIh, bHh, wHr, h0, c0, out, hN, cN } = a;
  const G = GATES_PER_UNIT[mode] * H;
  const proj = wHr !== null;
  const acts = new Float32Array(T * B * G); // (T, B, G)
  const cAll = mode === "lstm" ? new Float32Array(T * B * H) : new Float32Array(0); // (T, B, H)
  const hfull = mode === "lstm" && proj ? new Float32Array(T * B * H) : new Float32Array(0); // (T, B, H)
  const hhnAll = mode === "gru" ? new Float32Array(T * B * H) : new Float32Array(0); // (T, B, H)

  // All input projections in one GEMM: xp (T·B, G) = x (T·B, I) · W_ihᵀ.
  const xp = new Float32Array(T * B * G);
  gemm(false, true, T * B, G, I, x, wIh, xp, false);
  const hp = new Float32Array(B * G); // (B, G) recurrent product of one step
  const hfStep = new Float32Array(B * H); // (B, H) unprojected LSTM output of one step

  let hPrev = h0; // (B, P)
  let cPrev = c0 ?? new Float32Array(0); // (B, H)
  for (let s = 0; s < T; s++) {
    const t = stepTime(s, T, reverse);
    gemm(false, true, B, G, P, hPrev, wHh, hp, false);
    const hOut = out.subarray(t * B * P, (t + 1) * B * P);
    for (let b = 0; b < B; b++) {
      const row = (t * B + b) * G;
      const hrow = b * G;
      if (mode === "lstm") {
        for (let j = 0; j < H; j++) {
          const pre = (k: number): number => xp[row + k * H + j]! + hp[hrow + k * H + j]! + (bIh?.[k * H + j] ?? 0) + (bHh?.[k * H + j] ?? 0);
          const ig = sigmoid(pre(0));
          const fg = sigmoid(pre(1));
          const gg = Math.tanh(pre(2));
          const og = sigmoid(pre(3));
          const c = fg * cPrev[b * H + j]! + ig * gg;
          acts[row + j] = ig;
          acts[row + H + j] = fg;
          acts[row + 2 * H + j] = gg;
          acts[row + 3 * H + j] = og;
          cAll[(t * B + b) * H + j] = c;
          const h = og * Math.tanh(Math.fround(c));
          if (proj) hfStep[b * H + j] = h;
          else hOut[b * H + j] = h;
        }
      } else if (mode === "gru") {
        const hpb = hPrev.subarray(b * P, (b + 1) * P);
        for (let j = 0; j < H; j++) {
          const xr = xp[row + j]! + (bIh?.[j] ?? 0);
          const xz = xp[row + H + j]! + (bIh?.[H + j] ?? 0);
          const xn = xp[row + 2 * H + j]! + (bIh?.[2 * H + j] ?? 0);
          const hr = hp[hrow + j]! + (bHh?.[j] ?? 0);
          const hz = hp[hrow + H + j]! + (bHh?.[H + j] ?? 0);
          const hn = Math.fround(hp[hrow + 2 * H + j]! + (bHh?.[2 * H + j] ?? 0));
          const r = Math.fround(sigmoid(xr + hr));
          const z = Math.fround(sigmoid(xz + hz));
          const n = Math.fround(Math.tanh(xn + r * hn));
          acts[row + j] = r;
          acts[row + H + j] = z;
          acts[row + 2 * H + j] = n;
          hhnAll[(t * B + b) * H + j] = hn;
          hOut[b * H + j] = (1 - z) * n + z * hpb[j]!;
        }
      } else {
        for (let j = 0; j < H; j++) {
          const pre = xp[row + j]! + hp[hrow + j]! + (bIh?.[j] ?? 0) + (bHh?.[j] ?? 0);
          const h = mode === "rnn_tanh" ? Math.tanh(pre) : pre > 0 ? pre : 0;
          acts[row + j] = h;
          hOut[b * H + j] = h;
        }
      }
    }
    if (proj) {
      hfull.set(hfStep, t * B * H);
      gemm(false, true, B, P, H, hfStep, wHr, hOut, false);
    }
    hPrev = hOut;
    if (mode === "lstm") cPrev = cAll.subarray(t * B * H, (t + 1) * B * H);
  }
  hN.set(hPrev);
  if (cN !== null) cN.set(cPrev);
  return { backend: "reference", buffers: [acts, cAll, hfull, hhnAll] };
}

export function recurrentBackwardReference(a: RecurrentBackwardArgs): void {
  const { mode, T, B, I, H, P, reverse, x, wIh, wHh, wHr, h0, c0, cache, out, dOut, dHN, dCN } = a;
  const G = GATES_PER_UNIT[mode] * H;
  const proj = wHr !== null;
  const [acts, cAll, hfull, hhnAll] = cache.buffers as [Float32Array, Float32Array, Float32Array, Float32Array];

  const dGx = new Float32Array(T * B * G); // (T, B, G) gradient of the input-side pre-activations
  // GRU's hidden-side gradient differs from the input side in the n gate (r*(…)); others share dGx.
  const dGh = mode === "gru" ? new Float32Array(T * B * G) : dGx; // (T, B, G)
  const dHproj = proj ? new Float32Array(T * B * P) : new Float32Array(0); // (T, B, P)
  const dh = new Float32Array(B * P); // (B, P) running gradient of the recurrent state
  const dc = new Float32Array(B * H); // (B, H)
  const dhFull = new Float32Array(B * H); // (B, H)
  if (dHN !== null) dh.set(dHN);
  if (dCN !== null) dc.set(dCN);

  for (let s = T - 1; s >= 0; s--) {
    const t = stepTime(s, T, reverse);
    const tPrev = s > 0 ? stepTime(s - 1, T, reverse) : -1;
    const hPrev = tPrev >= 0 ? out.subarray(tPrev * B * P, (tPrev + 1) * B * P) : h0;
    if (dOut !== null) for (let k = 0; k < B * P; k++) dh[k]! += dOut[t * B * P + k]!;
    let dhH = dh; // gradient w.r.t. the unprojected output (B, H)
    if (proj) {
      dHproj.set(dh, t * B * P);
      gemm(false, false, B, H, P, dh, wHr!, dhFull, false);
      dhH = dhFull;
    }
    for (let b = 0; b < B; b++) {
      const row = (t * B + b) * G;
      if (mode === "lstm") {
        for (let j = 0; j < H; j++) {
          const ig = acts[row + j]!;
          const fg = acts[row + H + j]!;
          const gg = acts[row + 2 * H + j]!;
          const og = acts[row + 3 * H + j]!;
          const c = cAll[(t * B + b) * H + j]!;
          const cp = tPrev >= 0 ? cAll[(tPrev * B + b) * H + j]! : c0 !== null ? c0[b * H + j]! : 0;
          const tc = Math.tanh(c);
          const dhv = dhH[b * H + j]!;
          const dcv = dc[b * H + j]! + dhv * og * (1 - tc * tc);
          dGx[row + j] = dcv * gg * ig * (1 - ig);
          dGx[row + H + j] = dcv * cp * fg * (1 - fg);
          dGx[row + 2 * H + j] = dcv * ig * (1 - gg * gg);
          dGx[row + 3 * H + j] = dhv * tc * og * (1 - og);
          dc[b * H + j] = dcv * fg;
        }
      } else if (mode === "gru") {
        for (let j = 0; j < H; j++) {
          const r = acts[row + j]!;
          const z = acts[row + H + j]!;
          const n = acts[row + 2 * H + j]!;
          const hn = hhnAll[(t * B + b) * H + j]!;
          const dhv = dh[b * P + j]!;
          const dn = dhv * (1 - z) * (1 - n * n);
          const dz = dhv * (hPrev[b * P + j]! - n) * z * (1 - z);
          const dr = dn * hn * r * (1 - r);
          dGx[row + j] = dr;
          dGx[row + H + j] = dz;
          dGx[row + 2 * H + j] = dn;
          dGh[row + j] = dr;
          dGh[row + H + j] = dz;
          dGh[row + 2 * H + j] = dn * r;
          // The direct path h = … + z*h_prev; the W_hh path is added by the GEMM below.
          dh[b * P + j] = dhv * z;
        }
      } else {
        for (let j = 0; j < H; j++) {
          const h = acts[row + j]!;
          const d = mode === "rnn_tanh" ? 1 - h * h : h > 0 ? 1 : 0;
          dGx[row + j] = dh[b * P + j]! * d;
        }
      }
    }
    // dh_prev = dGates_h (B, G) · W_hh (G, P); GRU adds to its direct path, the others replace dh.
    gemm(false, false, B, P, G, dGh.subarray(t * B * G, (t + 1) * B * G), wHh, dh, mode === "gru");
  }

  // Parameter gradients, one GEMM each over all steps (accumulated, per the backend contract).
  if (a.dWIh !== null) gemm(true, false, G, I, T * B, dGx, x, a.dWIh, true);
  if (a.dx !== null) gemm(false, false, T * B, I, G, dGx, wIh, a.dx, false);
  if (a.dWHh !== null) {
    const hPrevAll = new Float32Array(T * B * P); // (T, B, P): the state each step started from
    for (let s = 0; s < T; s++) {
      const t = stepTime(s, T, reverse);
      const tPrev = s > 0 ? stepTime(s - 1, T, reverse) : -1;
      hPrevAll.set(tPrev >= 0 ? out.subarray(tPrev * B * P, (tPrev + 1) * B * P) : h0, t * B * P);
    }
    gemm(true, false, G, P, T * B, dGh, hPrevAll, a.dWHh, true);
  }
  if (a.dWHr !== null && proj) gemm(true, false, P, H, T * B, dHproj, hfull, a.dWHr, true);
  if (a.dBIh !== null) colSumInto(dGx, T * B, G, a.dBIh);
  if (a.dBHh !== null) colSumInto(dGh, T * B, G, a.dBHh);
  if (a.dh0 !== null) a.dh0.set(dh);
  if (a.dc0 !== null) a.dc0.set(dc);
}

/** dst[j] += sum over rows of m[row, j], summed in float64 so long sequences do not drift. */
function colSumInto(m: Float32Array, rows: number, cols: number, dst: Float32Array): void {
  const acc = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) acc[j]! += m[o + j]!;
  }
  for (let j = 0; j < cols; j++) dst[j]! += acc[j]!;
}
