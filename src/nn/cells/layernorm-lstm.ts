/**
 * The layer-normalised LSTM (Ba, Kiros & Hinton, "Layer Normalization", 2016), exactly as
 * PyTorch's own reference `LayerNormLSTMCell` in pytorch/benchmarks/fastrnns/custom_lstms.py:
 * layer norm on the input-side and hidden-side gate pre-activations (each over all 4H of them)
 * and on the new cell state, each with a learnable gain and bias; no other biases (the layer norms
 * provide them). Gate order i|f|g|o:
 *
 *   [a_i|a_f|a_g|a_o] = LN_i(x W_ihᵀ) + LN_h(h_prev W_hhᵀ)
 *   i, f, o = σ(·)    g = tanh(·)
 *   c = LN_c(f * c_prev + i * g)
 *   h = o * tanh(c)
 *
 * where LN(v) = γ * (v - mean(v)) / sqrt(var(v) + 1e-5) + β over the last dimension (biased
 * variance). The state carried to the next step is the normalised c, as in PyTorch's reference.
 * Parameters: weight_ih (G, I), weight_hh (G, H), then layernorm_i_weight (G), layernorm_i_bias
 * (G), layernorm_h_weight (G), layernorm_h_bias (G), layernorm_c_weight (H), layernorm_c_bias (H)
 * (gains start at 1, biases at 0; with `bias: false` the three biases are absent). No projection.
 *
 * Cache layout: [0] acts (T, B, G) i|f|g|o   [1] c (T, B, H) normalised cell states
 *   [2] xhatI (T, B, G) normalised x W_ihᵀ   [3] xhatH (T, B, G) normalised h_prev W_hhᵀ
 *   [4] xhatC (T, B, H) normalised f*c_prev + i*g   [5] rstd (T, B, 3) 1/σ of LN_i, LN_h, LN_c.
 *
 * Symbols: B batch, T time steps, I input size, H hidden size (= P), G = 4H.
 */
import type { RecurrentBackwardArgs, RecurrentCache, RecurrentForwardArgs } from "../../backends/backend.js";
import { add, div, mul, sigmoid as sigmoidOp, sqrt, sub, tanh } from "../../autograd/ops/elementwise.js";
import { matmul } from "../../autograd/ops/matmul.js";
import { mean } from "../../autograd/ops/reduce.js";
import { split } from "../../autograd/ops/shape.js";
import type { Tensor } from "../../tensor/tensor.js";
import { gemm, previousStates, sigmoid, stepTime } from "./kernel-util.js";
import type { CellSpec, CellTrace } from "./spec.js";

/** Layer-norm epsilon, PyTorch's default. */
export const LAYER_NORM_EPS = 1e-5;

/** The gains and (optional) biases of the three layer norms, from `extra`. */
interface Norms {
  gI: Float32Array;
  bI: Float32Array | null;
  gH: Float32Array;
  bH: Float32Array | null;
  gC: Float32Array;
  bC: Float32Array | null;
}

function norms(where: string, extra: readonly Float32Array[] | undefined, H: number): Norms {
  const G = 4 * H;
  if (extra !== undefined && extra.length === 6 && [G, G, G, G, H, H].every((n, k) => extra[k]!.length === n)) {
    return { gI: extra[0]!, bI: extra[1]!, gH: extra[2]!, bH: extra[3]!, gC: extra[4]!, bC: extra[5]! };
  }
  if (extra !== undefined && extra.length === 3 && [G, G, H].every((n, k) => extra[k]!.length === n)) {
    return { gI: extra[0]!, bI: null, gH: extra[1]!, bH: null, gC: extra[2]!, bC: null };
  }
  throw new Error(`${where}: layernorm_lstm needs extra = [γ_i (G), β_i (G), γ_h (G), β_h (G), γ_c (H), β_c (H)], or the three gains without biases; G = ${G}, H = ${H}`);
}

/** Normalises v[at .. at+n) into xhat[at ..) and returns 1/σ (statistics in float64). */
function normalize(v: Float32Array, at: number, n: number, xhat: Float32Array, outAt: number): number {
  let m = 0;
  for (let k = 0; k < n; k++) m += v[at + k]!;
  m /= n;
  let q = 0;
  for (let k = 0; k < n; k++) q += (v[at + k]! - m) ** 2;
  const rstd = 1 / Math.sqrt(q / n + LAYER_NORM_EPS);
  for (let k = 0; k < n; k++) xhat[outAt + k] = (v[at + k]! - m) * rstd;
  return rstd;
}

/**
 * Backward of LN without its affine part: given dy = ∂L/∂x̂ (dxhat, length n), writes
 * ∂L/∂v = rstd · (dy - mean(dy) - x̂ · mean(dy · x̂)) into out[outAt ..).
 */
function normalizeBackward(dy: Float64Array, xhat: Float32Array, at: number, n: number, rstd: number, out: Float32Array, outAt: number): void {
  let m1 = 0;
  let m2 = 0;
  for (let k = 0; k < n; k++) {
    m1 += dy[k]!;
    m2 += dy[k]! * xhat[at + k]!;
  }
  m1 /= n;
  m2 /= n;
  for (let k = 0; k < n; k++) out[outAt + k] = rstd * (dy[k]! - m1 - xhat[at + k]! * m2);
}

function forward(a: RecurrentForwardArgs): RecurrentCache {
  const { T, B, I, H, reverse, x, wIh, wHh, h0, c0, out, hN, cN } = a;
  const n = norms("layernorm_lstm forward", a.extra, H);
  const G = 4 * H;
  const TB = T * B;
  const acts = new Float32Array(TB * G); // (T, B, G)
  const cAll = new Float32Array(TB * H); // (T, B, H)
  const xhatI = new Float32Array(TB * G); // (T, B, G)
  const xhatH = new Float32Array(TB * G); // (T, B, G)
  const xhatC = new Float32Array(TB * H); // (T, B, H)
  const rstd = new Float32Array(TB * 3); // (T, B, 3)
  // Every step's input projection in one GEMM, and its layer norm row by row.
  const xp = new Float32Array(TB * G); // (T, B, G)
  gemm(false, true, TB, G, I, x, wIh, xp, false);
  for (let r = 0; r < TB; r++) rstd[r * 3] = normalize(xp, r * G, G, xhatI, r * G);
  const hp = new Float32Array(B * G); // (B, G)
  const craw = new Float32Array(H); // (H) one row's f*c_prev + i*g
  let hPrev = h0; // (B, H)
  let cPrev = c0 ?? new Float32Array(B * H); // (B, H)
  for (let s = 0; s < T; s++) {
    const t = stepTime(s, T, reverse);
    gemm(false, true, B, G, H, hPrev, wHh, hp, false);
    const hOut = out.subarray(t * B * H, (t + 1) * B * H);
    for (let b = 0; b < B; b++) {
      const r = t * B + b;
      const row = r * G;
      rstd[r * 3 + 1] = normalize(hp, b * G, G, xhatH, row);
      for (let k = 0; k < G; k++) {
        const pre = n.gI[k]! * xhatI[row + k]! + (n.bI?.[k] ?? 0) + n.gH[k]! * xhatH[row + k]! + (n.bH?.[k] ?? 0);
        acts[row + k] = k >= 2 * H && k < 3 * H ? Math.tanh(pre) : sigmoid(pre);
      }
      for (let j = 0; j < H; j++) craw[j] = acts[row + H + j]! * cPrev[b * H + j]! + acts[row + j]! * acts[row + 2 * H + j]!;
      rstd[r * 3 + 2] = normalize(craw, 0, H, xhatC, r * H);
      for (let j = 0; j < H; j++) {
        const c = Math.fround(n.gC[j]! * xhatC[r * H + j]! + (n.bC?.[j] ?? 0));
        cAll[r * H + j] = c;
        hOut[b * H + j] = acts[row + 3 * H + j]! * Math.tanh(c);
      }
    }
    hPrev = hOut;
    cPrev = cAll.subarray(t * B * H, (t + 1) * B * H);
  }
  hN.set(hPrev);
  if (cN !== null) cN.set(cPrev);
  return { backend: "reference", buffers: [acts, cAll, xhatI, xhatH, xhatC, rstd] };
}

function backward(a: RecurrentBackwardArgs): void {
  const { T, B, I, H, reverse, x, wIh, wHh, h0, c0, cache, out, dOut, dHN, dCN } = a;
  const n = norms("layernorm_lstm backward", a.extra, H);
  const G = 4 * H;
  const TB = T * B;
  if (cache.buffers.length !== 6) throw new Error(`layernorm_lstm backward: the cache has ${cache.buffers.length} buffers, expected 6`);
  const acts = cache.buffers[0]!;
  const cAll = cache.buffers[1]!;
  const xhatI = cache.buffers[2]!;
  const xhatH = cache.buffers[3]!;
  const xhatC = cache.buffers[4]!;
  const rstd = cache.buffers[5]!;
  const dGx = new Float32Array(TB * G); // (T, B, G) gradient of x W_ihᵀ
  const dGh = new Float32Array(TB * G); // (T, B, G) gradient of h_prev W_hhᵀ
  const dh = new Float32Array(B * H); // (B, H)
  const dc = new Float32Array(B * H); // (B, H) gradient reaching the (normalised) c from later steps
  // Parameter gradients of the norms, in float64 across all steps.
  const dgI = new Float64Array(G);
  const dbI = new Float64Array(G);
  const dgH = new Float64Array(G);
  const dbH = new Float64Array(G);
  const dgC = new Float64Array(H);
  const dbC = new Float64Array(H);
  const dyC = new Float64Array(H); // (H) ∂L/∂x̂_c of one row
  const dcraw = new Float32Array(H); // (H) ∂L/∂(f*c_prev + i*g) of one row
  const dyI = new Float64Array(G); // (G) ∂L/∂x̂_i of one row
  const dyH = new Float64Array(G); // (G) ∂L/∂x̂_h of one row
  if (dHN !== null) dh.set(dHN);
  if (dCN !== null) dc.set(dCN);
  for (let s = T - 1; s >= 0; s--) {
    const t = stepTime(s, T, reverse);
    const tPrev = s > 0 ? stepTime(s - 1, T, reverse) : -1;
    if (dOut !== null) for (let k = 0; k < B * H; k++) dh[k]! += dOut[t * B * H + k]!;
    for (let b = 0; b < B; b++) {
      const r = t * B + b;
      const row = r * G;
      const dA = new Float64Array(G); // (G) ∂L/∂a of this row
      for (let j = 0; j < H; j++) {
        const og = acts[row + 3 * H + j]!;
        const tc = Math.tanh(cAll[r * H + j]!);
        const dhv = dh[b * H + j]!;
        dA[3 * H + j] = dhv * tc * og * (1 - og);
        const dcv = dc[b * H + j]! + dhv * og * (1 - tc * tc);
        dgC[j]! += dcv * xhatC[r * H + j]!;
        dbC[j]! += dcv;
        dyC[j] = dcv * n.gC[j]!;
      }
      normalizeBackward(dyC, xhatC, r * H, H, rstd[r * 3 + 2]!, dcraw, 0);
      for (let j = 0; j < H; j++) {
        const ig = acts[row + j]!;
        const fg = acts[row + H + j]!;
        const gg = acts[row + 2 * H + j]!;
        const cp = tPrev >= 0 ? cAll[(tPrev * B + b) * H + j]! : c0 !== null ? c0[b * H + j]! : 0;
        const d = dcraw[j]!;
        dA[j] = d * gg * ig * (1 - ig);
        dA[H + j] = d * cp * fg * (1 - fg);
        dA[2 * H + j] = d * ig * (1 - gg * gg);
        dc[b * H + j] = d * fg;
      }
      for (let k = 0; k < G; k++) {
        dgI[k]! += dA[k]! * xhatI[row + k]!;
        dbI[k]! += dA[k]!;
        dgH[k]! += dA[k]! * xhatH[row + k]!;
        dbH[k]! += dA[k]!;
        dyI[k] = dA[k]! * n.gI[k]!;
        dyH[k] = dA[k]! * n.gH[k]!;
      }
      normalizeBackward(dyI, xhatI, row, G, rstd[r * 3]!, dGx, row);
      normalizeBackward(dyH, xhatH, row, G, rstd[r * 3 + 1]!, dGh, row);
    }
    // dh_prev = dGh_t (B, G) · W_hh (G, H)
    gemm(false, false, B, H, G, dGh.subarray(t * B * G, (t + 1) * B * G), wHh, dh, false);
  }
  if (a.dWIh !== null) gemm(true, false, G, I, TB, dGx, x, a.dWIh, true);
  if (a.dx !== null) gemm(false, false, TB, I, G, dGx, wIh, a.dx, false);
  if (a.dWHh !== null) gemm(true, false, G, H, TB, dGh, previousStates(out, h0, T, B * H, reverse), a.dWHh, true);
  const sums = n.bI !== null ? [dgI, dbI, dgH, dbH, dgC, dbC] : [dgI, dgH, dgC];
  a.dExtra?.forEach((d, k) => {
    if (d !== null) for (let j = 0; j < d.length; j++) d[j]! += sums[k]![j]!;
  });
  if (a.dh0 !== null) a.dh0.set(dh);
  if (a.dc0 !== null) a.dc0.set(dc);
}

/** γ · (v - mean(v)) / sqrt(var(v) + eps) + β over the last axis, with autograd ops. */
function layerNorm(v: Tensor, gain: Tensor, bias: Tensor | undefined): Tensor {
  const centred = sub(v, mean(v, 1, true));
  const std = sqrt(add(mean(mul(centred, centred), 1, true), LAYER_NORM_EPS));
  const y = mul(div(centred, std), gain);
  return bias === undefined ? y : add(y, bias);
}

/** One layer-normalised LSTM step with its gates i, f, g, o (each (B, H)); the state's c is the normalised one. */
const layerNormTrace: CellTrace = (x, s, p) => {
  const H = s.c!.shape[1]!;
  const gi = layerNorm(matmul(x, p["weight_ih"]!, { transB: true }), p["layernorm_i_weight"]!, p["layernorm_i_bias"]);
  const gh = layerNorm(matmul(s.h, p["weight_hh"]!, { transB: true }), p["layernorm_h_weight"]!, p["layernorm_h_bias"]);
  const [ai, af, ag, ao] = split(add(gi, gh), [H, H, H, H], 1);
  const [i, f, g, o] = [sigmoidOp(ai!), sigmoidOp(af!), tanh(ag!), sigmoidOp(ao!)];
  const c = layerNorm(add(mul(f, s.c!), mul(i, g)), p["layernorm_c_weight"]!, p["layernorm_c_bias"]);
  return { state: { h: mul(o, tanh(c)), c }, gates: [i, f, g, o] };
};

/** Layer-normalised LSTM as PyTorch's fastrnns reference, gate order i|f|g|o. */
export const layerNormLstmCell: CellSpec = {
  name: "layernorm_lstm",
  gatesPerUnit: 4,
  states: ["h", "c"],
  parameters: [
    { suffix: "weight_ih", shape: (d) => [d.G, d.I], init: "uniform" },
    { suffix: "weight_hh", shape: (d) => [d.G, d.P], init: "uniform" },
    { suffix: "layernorm_i_weight", shape: (d) => [d.G], init: "ones" },
    { suffix: "layernorm_i_bias", shape: (d) => [d.G], init: "zeros", bias: true },
    { suffix: "layernorm_h_weight", shape: (d) => [d.G], init: "ones" },
    { suffix: "layernorm_h_bias", shape: (d) => [d.G], init: "zeros", bias: true },
    { suffix: "layernorm_c_weight", shape: (d) => [d.H], init: "ones" },
    { suffix: "layernorm_c_bias", shape: (d) => [d.H], init: "zeros", bias: true },
  ],
  gateOrder: "i|f|g|o",
  projection: false,
  reference: { forward, backward },
  step: (x, s, p) => layerNormTrace(x, s, p).state,
  gateNames: ["i", "f", "g", "o"],
  trace: layerNormTrace,
};
