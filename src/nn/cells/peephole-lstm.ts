/**
 * The peephole LSTM (Gers & Schmidhuber, "Recurrent nets that time and count", 2000): the input
 * and forget gates see the previous cell state and the output gate sees the new one, through
 * diagonal (per-unit) peephole weights. Gate order i|f|g|o, as PyTorch's LSTM:
 *
 *   [a_i|a_f|a_g|a_o] = x W_ihᵀ + b_ih + h_prev W_hhᵀ + b_hh
 *   i = σ(a_i + p_i * c_prev)        f = σ(a_f + p_f * c_prev)        g = tanh(a_g)
 *   c = f * c_prev + i * g
 *   o = σ(a_o + p_o * c)
 *   h = o * tanh(c)
 *
 * p_i, p_f, p_o are vectors of H: `weight_ci`, `weight_cf`, `weight_co` (with the layer suffix,
 * `weight_ci_l0`, …), initialised like the other weights, U(-1/√H, 1/√H). No projection.
 *
 * Cache layout: [0] acts (T, B, G) i|f|g|o   [1] c (T, B, H)   [2], [3] empty.
 *
 * Symbols: B batch, T time steps, I input size, H hidden size (= P), G = 4H.
 */
import type { RecurrentBackwardArgs, RecurrentCache, RecurrentForwardArgs } from "../../backends/backend.js";
import { add, mul, sigmoid as sigmoidOp, tanh } from "../../autograd/ops/elementwise.js";
import { split } from "../../autograd/ops/shape.js";
import { NONE, colSumInto, gemm, previousStates, sigmoid, stepTime } from "./kernel-util.js";
import { STANDARD_PARAMS, affine } from "./rnn.js";
import type { CellSpec, CellTrace } from "./spec.js";

/** The three peephole vectors from `extra`, in the spec's order. */
function peepholes(where: string, extra: readonly Float32Array[] | undefined, H: number): [Float32Array, Float32Array, Float32Array] {
  if (extra === undefined || extra.length !== 3 || extra.some((e) => e.length !== H)) {
    throw new Error(`${where}: peephole_lstm needs extra = [weight_ci, weight_cf, weight_co], each (H) = (${H})`);
  }
  return [extra[0]!, extra[1]!, extra[2]!];
}

function forward(a: RecurrentForwardArgs): RecurrentCache {
  const { T, B, I, H, reverse, x, wIh, wHh, bIh, bHh, h0, c0, out, hN, cN } = a;
  const [pI, pF, pO] = peepholes("peephole_lstm forward", a.extra, H);
  const G = 4 * H;
  const acts = new Float32Array(T * B * G); // (T, B, G)
  const cAll = new Float32Array(T * B * H); // (T, B, H)
  const xp = new Float32Array(T * B * G); // (T, B, G) every step's x W_ihᵀ, one GEMM
  gemm(false, true, T * B, G, I, x, wIh, xp, false);
  const hp = new Float32Array(B * G); // (B, G)
  let hPrev = h0; // (B, H)
  let cPrev = c0 ?? new Float32Array(B * H); // (B, H)
  for (let s = 0; s < T; s++) {
    const t = stepTime(s, T, reverse);
    gemm(false, true, B, G, H, hPrev, wHh, hp, false);
    const hOut = out.subarray(t * B * H, (t + 1) * B * H);
    for (let b = 0; b < B; b++) {
      const row = (t * B + b) * G;
      for (let j = 0; j < H; j++) {
        const pre = (k: number): number => xp[row + k * H + j]! + hp[b * G + k * H + j]! + (bIh?.[k * H + j] ?? 0) + (bHh?.[k * H + j] ?? 0);
        const cp = cPrev[b * H + j]!;
        const ig = Math.fround(sigmoid(pre(0) + pI[j]! * cp));
        const fg = Math.fround(sigmoid(pre(1) + pF[j]! * cp));
        const gg = Math.fround(Math.tanh(pre(2)));
        const c = Math.fround(fg * cp + ig * gg);
        const og = Math.fround(sigmoid(pre(3) + pO[j]! * c));
        acts[row + j] = ig;
        acts[row + H + j] = fg;
        acts[row + 2 * H + j] = gg;
        acts[row + 3 * H + j] = og;
        cAll[(t * B + b) * H + j] = c;
        hOut[b * H + j] = og * Math.tanh(c);
      }
    }
    hPrev = hOut;
    cPrev = cAll.subarray(t * B * H, (t + 1) * B * H);
  }
  hN.set(hPrev);
  if (cN !== null) cN.set(cPrev);
  return { backend: "reference", buffers: [acts, cAll, NONE, NONE] };
}

function backward(a: RecurrentBackwardArgs): void {
  const { T, B, I, H, reverse, x, wIh, wHh, h0, c0, cache, out, dOut, dHN, dCN } = a;
  const [pI, pF, pO] = peepholes("peephole_lstm backward", a.extra, H);
  const G = 4 * H;
  const [acts, cAll] = [cache.buffers[0]!, cache.buffers[1]!];
  const dG = new Float32Array(T * B * G); // (T, B, G) gradient of the pre-activations a
  const dh = new Float32Array(B * H); // (B, H)
  const dc = new Float32Array(B * H); // (B, H) gradient reaching c from later steps
  const dP = [new Float64Array(H), new Float64Array(H), new Float64Array(H)]; // p_i, p_f, p_o
  if (dHN !== null) dh.set(dHN);
  if (dCN !== null) dc.set(dCN);
  for (let s = T - 1; s >= 0; s--) {
    const t = stepTime(s, T, reverse);
    const tPrev = s > 0 ? stepTime(s - 1, T, reverse) : -1;
    if (dOut !== null) for (let k = 0; k < B * H; k++) dh[k]! += dOut[t * B * H + k]!;
    for (let b = 0; b < B; b++) {
      const row = (t * B + b) * G;
      for (let j = 0; j < H; j++) {
        const ig = acts[row + j]!;
        const fg = acts[row + H + j]!;
        const gg = acts[row + 2 * H + j]!;
        const og = acts[row + 3 * H + j]!;
        const c = cAll[(t * B + b) * H + j]!;
        const cp = tPrev >= 0 ? cAll[(tPrev * B + b) * H + j]! : c0 !== null ? c0[b * H + j]! : 0;
        const tc = Math.tanh(c);
        const dhv = dh[b * H + j]!;
        const dao = dhv * tc * og * (1 - og);
        // c feeds the next step, h through tanh, and o through the peephole p_o.
        const dcv = dc[b * H + j]! + dhv * og * (1 - tc * tc) + dao * pO[j]!;
        const dai = dcv * gg * ig * (1 - ig);
        const daf = dcv * cp * fg * (1 - fg);
        dG[row + j] = dai;
        dG[row + H + j] = daf;
        dG[row + 2 * H + j] = dcv * ig * (1 - gg * gg);
        dG[row + 3 * H + j] = dao;
        // c_prev feeds c through f, and i and f through their peepholes.
        dc[b * H + j] = dcv * fg + dai * pI[j]! + daf * pF[j]!;
        dP[0]![j]! += dai * cp;
        dP[1]![j]! += daf * cp;
        dP[2]![j]! += dao * c;
      }
    }
    gemm(false, false, B, H, G, dG.subarray(t * B * G, (t + 1) * B * G), wHh, dh, false);
  }
  if (a.dWIh !== null) gemm(true, false, G, I, T * B, dG, x, a.dWIh, true);
  if (a.dx !== null) gemm(false, false, T * B, I, G, dG, wIh, a.dx, false);
  if (a.dWHh !== null) gemm(true, false, G, H, T * B, dG, previousStates(out, h0, T, B * H, reverse), a.dWHh, true);
  if (a.dBIh !== null) colSumInto(dG, T * B, G, a.dBIh);
  if (a.dBHh !== null) colSumInto(dG, T * B, G, a.dBHh);
  a.dExtra?.forEach((d, k) => {
    if (d !== null) for (let j = 0; j < H; j++) d[j]! += dP[k]![j]!;
  });
  if (a.dh0 !== null) a.dh0.set(dh);
  if (a.dc0 !== null) a.dc0.set(dc);
}

/** One peephole LSTM step with its gates i, f, g, o (each (B, H)). */
const peepholeTrace: CellTrace = (x, s, p) => {
  const H = s.c!.shape[1]!;
  const cPrev = s.c!;
  const [ai, af, ag, ao] = split(affine(x, s.h, p), [H, H, H, H], 1);
  const i = sigmoidOp(add(ai!, mul(cPrev, p["weight_ci"]!)));
  const f = sigmoidOp(add(af!, mul(cPrev, p["weight_cf"]!)));
  const g = tanh(ag!);
  const c = add(mul(f, cPrev), mul(i, g));
  const o = sigmoidOp(add(ao!, mul(c, p["weight_co"]!)));
  return { state: { h: mul(o, tanh(c)), c }, gates: [i, f, g, o] };
};

/** Peephole LSTM, gate order i|f|g|o, peepholes weight_ci, weight_cf, weight_co (H). */
export const peepholeLstmCell: CellSpec = {
  name: "peephole_lstm",
  gatesPerUnit: 4,
  states: ["h", "c"],
  parameters: [
    ...STANDARD_PARAMS,
    { suffix: "weight_ci", shape: (d) => [d.H], init: "uniform" },
    { suffix: "weight_cf", shape: (d) => [d.H], init: "uniform" },
    { suffix: "weight_co", shape: (d) => [d.H], init: "uniform" },
  ],
  gateOrder: "i|f|g|o",
  projection: false,
  reference: { forward, backward },
  step: (x, s, p) => peepholeTrace(x, s, p).state,
  gateNames: ["i", "f", "g", "o"],
  trace: peepholeTrace,
};
