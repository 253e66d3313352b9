/**
 * The original GRU (Cho et al. 2014), Keras's `resetAfter: false`: the reset gate scales h_prev
 * before the candidate's recurrent product, gate order r|z|n, PyTorch-style parameter names:
 *
 *   r = σ(x W_irᵀ + b_ir + h_prev W_hrᵀ + b_hr)
 *   z = σ(x W_izᵀ + b_iz + h_prev W_hzᵀ + b_hz)
 *   n = tanh(x W_inᵀ + b_in + (r * h_prev) W_hnᵀ + b_hn)
 *   h = (1 - z) * n + z * h_prev
 *
 * weight_ih (3H, I), weight_hh (3H, H), bias_ih (3H), bias_hh (3H, absent with recurrentBias
 * false: Keras's single bias). A CellVariant replaces σ (gate) and tanh (candidate) and multiplies
 * h_prev by the recurrent mask where it enters both recurrent products (r * (mask * h_prev) in
 * the candidate's), not in the carry z * h_prev.
 *
 * Cache layout (reference): [0] acts (T, B, G) r|z|n   [1] empty   [2] empty
 *   [3] rh (T, B, H) r * (mask * h_prev), what entered the candidate's recurrent product.
 *
 * Symbols: B batch, T time steps, I input size, H hidden size (= P), G = 3H.
 */
import type { RecurrentBackwardArgs, RecurrentCache, RecurrentForwardArgs } from "../../backends/backend.js";
import { add, mul, sub } from "../../autograd/ops/elementwise.js";
import { matmul } from "../../autograd/ops/matmul.js";
import { split } from "../../autograd/ops/shape.js";
import type { Tensor } from "../../tensor/tensor.js";
import { STANDARD_PARAMS } from "./rnn.js";
import type { CellParams, CellSpec, CellState, CellVariant } from "./spec.js";
import { GATED_DEFAULTS, recurrentInput, stepActivations } from "./variant.js";
import { NONE, colSumInto, gemm, kernelActivations, maskedState, previousStates, stepTime } from "./kernel-util.js";

function forward(a: RecurrentForwardArgs): RecurrentCache {
  const { T, B, I, H, reverse, x, wIh, wHh, bIh, bHh, h0, out, hN } = a;
  const G = 3 * H;
  const { gate, cand } = kernelActivations("reference gru_reset_before forward", GATED_DEFAULTS, a.activations);
  const mask = a.recurrentMask ?? null; // (B, H)
  const wRz = wHh.subarray(0, 2 * H * H); // (2H, H)
  const wN = wHh.subarray(2 * H * H); // (H, H)
  const acts = new Float32Array(T * B * G); // (T, B, G)
  const rhAll = new Float32Array(T * B * H); // (T, B, H)
  const xp = new Float32Array(T * B * G); // (T, B, G) every step's x W_ihᵀ, one GEMM
  gemm(false, true, T * B, G, I, x, wIh, xp, false);
  const hm = new Float32Array(mask === null ? 0 : B * H); // (B, H) h_prev * mask
  const hpRz = new Float32Array(B * 2 * H); // (B, 2H)
  const hpN = new Float32Array(B * H); // (B, H)
  let hPrev = h0; // (B, H)
  for (let s = 0; s < T; s++) {
    const t = stepTime(s, T, reverse);
    const hIn = maskedState(hPrev, mask, hm);
    gemm(false, true, B, 2 * H, H, hIn, wRz, hpRz, false);
    const rh = rhAll.subarray(t * B * H, (t + 1) * B * H);
    for (let b = 0; b < B; b++) {
      const row = (t * B + b) * G;
      for (let j = 0; j < H; j++) {
        const pre = (k: number): number => xp[row + k * H + j]! + (bIh?.[k * H + j] ?? 0) + hpRz[b * 2 * H + k * H + j]! + (bHh?.[k * H + j] ?? 0);
        const r = Math.fround(gate.f(pre(0)));
        acts[row + j] = r;
        acts[row + H + j] = gate.f(pre(1));
        rh[b * H + j] = r * hIn[b * H + j]!;
      }
    }
    gemm(false, true, B, H, H, rh, wN, hpN, false);
    const hOut = out.subarray(t * B * H, (t + 1) * B * H);
    for (let b = 0; b < B; b++) {
      const row = (t * B + b) * G;
      for (let j = 0; j < H; j++) {
        const n = Math.fround(cand.f(xp[row + 2 * H + j]! + (bIh?.[2 * H + j] ?? 0) + hpN[b * H + j]! + (bHh?.[2 * H + j] ?? 0)));
        const z = acts[row + H + j]!;
        acts[row + 2 * H + j] = n;
        hOut[b * H + j] = (1 - z) * n + z * hPrev[b * H + j]!;
      }
    }
    hPrev = hOut;
  }
  hN.set(hPrev);
  return { backend: "reference", buffers: [acts, NONE, NONE, rhAll] };
}

function backward(a: RecurrentBackwardArgs): void {
  const { T, B, I, H, reverse, x, wIh, wHh, h0, cache, out, dOut, dHN } = a;
  const G = 3 * H;
  const { gate, cand } = kernelActivations("reference gru_reset_before backward", GATED_DEFAULTS, a.activations);
  const mask = a.recurrentMask ?? null; // (B, H)
  const acts = cache.buffers[0]!;
  const rhAll = cache.buffers[3]!;
  const wRz = wHh.subarray(0, 2 * H * H); // (2H, H)
  const wN = wHh.subarray(2 * H * H); // (H, H)
  const dG = new Float32Array(T * B * G); // (T, B, G) gradient of the pre-activations r|z|n
  const dRz = new Float32Array(T * B * 2 * H); // (T, B, 2H) its r|z part, contiguous for the GEMMs
  const dN = new Float32Array(T * B * H); // (T, B, H) its n part
  const dRh = new Float32Array(B * H); // (B, H) gradient reaching r * hIn
  const dHin = new Float32Array(B * H); // (B, H) gradient reaching hIn = mask * h_prev
  const dh = new Float32Array(B * H); // (B, H)
  if (dHN !== null) dh.set(dHN);
  for (let s = T - 1; s >= 0; s--) {
    const t = stepTime(s, T, reverse);
    const tPrev = s > 0 ? stepTime(s - 1, T, reverse) : -1;
    const hPrev = tPrev >= 0 ? out.subarray(tPrev * B * H, (tPrev + 1) * B * H) : h0;
    if (dOut !== null) for (let k = 0; k < B * H; k++) dh[k]! += dOut[t * B * H + k]!;
    const dNt = dN.subarray(t * B * H, (t + 1) * B * H);
    const dRzt = dRz.subarray(t * B * 2 * H, (t + 1) * B * 2 * H);
    for (let b = 0; b < B; b++) {
      const row = (t * B + b) * G;
      for (let j = 0; j < H; j++) {
        const z = acts[row + H + j]!;
        const n = acts[row + 2 * H + j]!;
        const dhv = dh[b * H + j]!;
        const dn = dhv * (1 - z) * cand.dFromY(n);
        const dz = dhv * (hPrev[b * H + j]! - n) * gate.dFromY(z);
        dG[row + H + j] = dz;
        dG[row + 2 * H + j] = dn;
        dNt[b * H + j] = dn;
        dRzt[b * 2 * H + H + j] = dz;
        // The direct path h = … + z*h_prev; the recurrent products are added below.
        dh[b * H + j] = dhv * z;
      }
    }
    // d(r * hIn) = dn · W_hn; r's share and hIn's share follow.
    gemm(false, false, B, H, H, dNt, wN, dRh, false);
    for (let b = 0; b < B; b++) {
      const row = (t * B + b) * G;
      for (let j = 0; j < H; j++) {
        const r = acts[row + j]!;
        const hIn = mask === null ? hPrev[b * H + j]! : hPrev[b * H + j]! * mask[b * H + j]!;
        const dr = dRh[b * H + j]! * hIn * gate.dFromY(r);
        dG[row + j] = dr;
        dRzt[b * 2 * H + j] = dr;
        dHin[b * H + j] = dRh[b * H + j]! * r;
      }
    }
    gemm(false, false, B, H, 2 * H, dRzt, wRz, dHin, true);
    for (let k = 0; k < B * H; k++) dh[k]! += mask === null ? dHin[k]! : dHin[k]! * mask[k]!;
  }
  if (a.dWIh !== null) gemm(true, false, G, I, T * B, dG, x, a.dWIh, true);
  if (a.dx !== null) gemm(false, false, T * B, I, G, dG, wIh, a.dx, false);
  if (a.dWHh !== null) {
    gemm(true, false, 2 * H, H, T * B, dRz, previousStates(out, h0, T, B * H, reverse, mask), a.dWHh.subarray(0, 2 * H * H), true);
    gemm(true, false, H, H, T * B, dN, rhAll, a.dWHh.subarray(2 * H * H), true);
  }
  if (a.dBIh !== null) colSumInto(dG, T * B, G, a.dBIh);
  if (a.dBHh !== null) colSumInto(dG, T * B, G, a.dBHh);
  if (a.dh0 !== null) a.dh0.set(dh);
}

/** One step with autograd ops (the generic path). */
function step(x: Tensor, s: CellState, p: CellParams, v?: CellVariant): CellState {
  const H = s.h.shape[1]!;
  const { gate, candidate } = stepActivations(GATED_DEFAULTS, v);
  const hIn = recurrentInput(s.h, v); // (B, H)
  let xi = matmul(x, p["weight_ih"]!, { transB: true }); // (B, 3H)
  if (p["bias_ih"] !== undefined) xi = add(xi, p["bias_ih"]);
  const [wRz, wN] = split(p["weight_hh"]!, [2 * H, H], 0); // (2H, H), (H, H)
  const bHh = p["bias_hh"] === undefined ? null : split(p["bias_hh"], [2 * H, H], 0);
  let hRz = matmul(hIn, wRz!, { transB: true }); // (B, 2H)
  if (bHh !== null) hRz = add(hRz, bHh[0]!);
  const [xr, xz, xn] = split(xi, [H, H, H], 1);
  const [hr, hz] = split(hRz, [H, H], 1);
  const r = gate(add(xr!, hr!));
  const z = gate(add(xz!, hz!));
  let hn = matmul(mul(r, hIn), wN!, { transB: true }); // (B, H)
  if (bHh !== null) hn = add(hn, bHh[1]!);
  const n = candidate(add(xn!, hn));
  // (1 - z) * n + z * h_prev, written with one subtraction.
  return { h: add(n, mul(z, sub(s.h, n))) };
}

/** GRU with the reset gate before the recurrent product (Keras resetAfter false), gate order r|z|n. */
export const gruResetBeforeCell: CellSpec = {
  name: "gru_reset_before",
  gatesPerUnit: 3,
  states: ["h"],
  parameters: STANDARD_PARAMS,
  gateOrder: "r|z|n",
  projection: false,
  activations: GATED_DEFAULTS,
  reference: { forward, backward },
  step,
};
