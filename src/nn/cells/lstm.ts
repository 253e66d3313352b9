/**
 * The LSTM cell, PyTorch's `nn.LSTM`, gate order i|f|g|o, with the optional projection (LSTMP):
 *
 *   [i|f|g|o] = x W_ihᵀ + b_ih + h_prev W_hhᵀ + b_hh
 *   i, f, o = σ(·)    g = tanh(·)
 *   c = f * c_prev + i * g
 *   h = o * tanh(c)                      (then h = h W_hrᵀ with projSize, so h is (B, P))
 *
 * A CellVariant replaces σ (the gate activation) and tanh (the candidate activation, both uses)
 * and multiplies h_prev by the recurrent mask inside h_prev W_hhᵀ only.
 *
 * Cache layout (reference and wasm):
 *   [0] acts (T, B, G) i|f|g|o   [1] c (T, B, H)   [2] hfull (T, B, H) o*tanh(c) before the
 *   projection (projection only, else empty)   [3] empty
 *
 * Symbols: B batch, T time steps, I input size, H hidden size, P recurrent width, G = 4H.
 */
import type { RecurrentBackwardArgs, RecurrentCache, RecurrentForwardArgs } from "../../backends/backend.js";
import { add, mul } from "../../autograd/ops/elementwise.js";
import { matmul } from "../../autograd/ops/matmul.js";
import { split } from "../../autograd/ops/shape.js";
import { NONE, addMasked, colSumInto, gemm, kernelActivations, maskedState, previousStates, stepTime } from "./kernel-util.js";
import { STANDARD_PARAMS, affine } from "./rnn.js";
import type { CellSpec, CellTrace } from "./spec.js";
import { GATED_DEFAULTS, recurrentInput, stepActivations } from "./variant.js";

function forward(a: RecurrentForwardArgs): RecurrentCache {
  const { T, B, I, H, P, reverse, x, wIh, wHh, bIh, bHh, wHr, h0, c0, out, hN, cN } = a;
  const G = 4 * H;
  const proj = wHr !== null;
  const { gate, cand } = kernelActivations("reference lstm forward", GATED_DEFAULTS, a.activations);
  const mask = a.recurrentMask ?? null; // (B, P)
  const hm = new Float32Array(mask === null ? 0 : B * P); // (B, P) h_prev * mask
  const acts = new Float32Array(T * B * G); // (T, B, G)
  const cAll = new Float32Array(T * B * H); // (T, B, H)
  const hfull = proj ? new Float32Array(T * B * H) : NONE; // (T, B, H)
  const xp = new Float32Array(T * B * G); // (T, B, G) every step's x W_ihᵀ, one GEMM
  gemm(false, true, T * B, G, I, x, wIh, xp, false);
  const hp = new Float32Array(B * G); // (B, G)
  const hfStep = new Float32Array(B * H); // (B, H) unprojected output of one step
  let hPrev = h0; // (B, P)
  let cPrev = c0 ?? new Float32Array(B * H); // (B, H)
  for (let s = 0; s < T; s++) {
    const t = stepTime(s, T, reverse);
    gemm(false, true, B, G, P, maskedState(hPrev, mask, hm), wHh, hp, false);
    const hOut = out.subarray(t * B * P, (t + 1) * B * P);
    for (let b = 0; b < B; b++) {
      const row = (t * B + b) * G;
      const hrow = b * G;
      for (let j = 0; j < H; j++) {
        const pre = (k: number): number => xp[row + k * H + j]! + hp[hrow + k * H + j]! + (bIh?.[k * H + j] ?? 0) + (bHh?.[k * H + j] ?? 0);
        const ig = gate.f(pre(0));
        const fg = gate.f(pre(1));
        const gg = cand.f(pre(2));
        const og = gate.f(pre(3));
        const c = fg * cPrev[b * H + j]! + ig * gg;
        acts[row + j] = ig;
        acts[row + H + j] = fg;
        acts[row + 2 * H + j] = gg;
        acts[row + 3 * H + j] = og;
        cAll[(t * B + b) * H + j] = c;
        const h = og * cand.f(Math.fround(c));
        if (proj) hfStep[b * H + j] = h;
        else hOut[b * H + j] = h;
      }
    }
    if (proj) {
      hfull.set(hfStep, t * B * H);
      gemm(false, true, B, P, H, hfStep, wHr, hOut, false);
    }
    hPrev = hOut;
    cPrev = cAll.subarray(t * B * H, (t + 1) * B * H);
  }
  hN.set(hPrev);
  if (cN !== null) cN.set(cPrev);
  return { backend: "reference", buffers: [acts, cAll, hfull, NONE] };
}

function backward(a: RecurrentBackwardArgs): void {
  const { T, B, I, H, P, reverse, x, wIh, wHh, wHr, h0, c0, cache, out, dOut, dHN, dCN } = a;
  const G = 4 * H;
  const proj = wHr !== null;
  const [acts, cAll, hfull] = [cache.buffers[0]!, cache.buffers[1]!, cache.buffers[2]!];
  const { gate, cand } = kernelActivations("reference lstm backward", GATED_DEFAULTS, a.activations);
  const mask = a.recurrentMask ?? null; // (B, P)
  const dhRec = new Float32Array(mask === null ? 0 : B * P); // (B, P) dG_t · W_hh before the mask
  const dG = new Float32Array(T * B * G); // (T, B, G) gradient of the pre-activations
  const dHproj = proj ? new Float32Array(T * B * P) : NONE; // (T, B, P)
  const dh = new Float32Array(B * P); // (B, P) running gradient of the recurrent state
  const dc = new Float32Array(B * H); // (B, H)
  const dhFull = new Float32Array(B * H); // (B, H)
  if (dHN !== null) dh.set(dHN);
  if (dCN !== null) dc.set(dCN);
  for (let s = T - 1; s >= 0; s--) {
    const t = stepTime(s, T, reverse);
    const tPrev = s > 0 ? stepTime(s - 1, T, reverse) : -1;
    if (dOut !== null) for (let k = 0; k < B * P; k++) dh[k]! += dOut[t * B * P + k]!;
    let dhH = dh; // gradient w.r.t. the unprojected output (B, H)
    if (proj) {
      dHproj.set(dh, t * B * P);
      gemm(false, false, B, H, P, dh, wHr, dhFull, false);
      dhH = dhFull;
    }
    for (let b = 0; b < B; b++) {
      const row = (t * B + b) * G;
      for (let j = 0; j < H; j++) {
        const ig = acts[row + j]!;
        const fg = acts[row + H + j]!;
        const gg = acts[row + 2 * H + j]!;
        const og = acts[row + 3 * H + j]!;
        const c = cAll[(t * B + b) * H + j]!;
        const cp = tPrev >= 0 ? cAll[(tPrev * B + b) * H + j]! : c0 !== null ? c0[b * H + j]! : 0;
        const tc = cand.f(c);
        const dhv = dhH[b * H + j]!;
        // dc collects the gradient from c's two uses: the next step's cell and this step's h.
        const dcv = dc[b * H + j]! + dhv * og * cand.dFromY(tc);
        dG[row + j] = dcv * gg * gate.dFromY(ig);
        dG[row + H + j] = dcv * cp * gate.dFromY(fg);
        dG[row + 2 * H + j] = dcv * ig * cand.dFromY(gg);
        dG[row + 3 * H + j] = dhv * tc * gate.dFromY(og);
        dc[b * H + j] = dcv * fg;
      }
    }
    // dh_prev = (dG_t (B, G) · W_hh (G, P)) * mask
    if (mask === null) gemm(false, false, B, P, G, dG.subarray(t * B * G, (t + 1) * B * G), wHh, dh, false);
    else {
      gemm(false, false, B, P, G, dG.subarray(t * B * G, (t + 1) * B * G), wHh, dhRec, false);
      dh.fill(0);
      addMasked(dh, dhRec, mask);
    }
  }
  if (a.dWIh !== null) gemm(true, false, G, I, T * B, dG, x, a.dWIh, true);
  if (a.dx !== null) gemm(false, false, T * B, I, G, dG, wIh, a.dx, false);
  if (a.dWHh !== null) gemm(true, false, G, P, T * B, dG, previousStates(out, h0, T, B * P, reverse, mask), a.dWHh, true);
  if (a.dWHr !== null && proj) gemm(true, false, P, H, T * B, dHproj, hfull, a.dWHr, true);
  if (a.dBIh !== null) colSumInto(dG, T * B, G, a.dBIh);
  if (a.dBHh !== null) colSumInto(dG, T * B, G, a.dBHh);
  if (a.dh0 !== null) a.dh0.set(dh);
  if (a.dc0 !== null) a.dc0.set(dc);
}

/** One LSTM step with its gates i, f, g, o (each (B, H)) after their activations. */
const lstmTrace: CellTrace = (x, s, p, v) => {
  const H = s.c!.shape[1]!;
  const { gate, candidate } = stepActivations(GATED_DEFAULTS, v);
  const [ai, af, ag, ao] = split(affine(x, recurrentInput(s.h, v), p), [H, H, H, H], 1);
  const [i, f, g, o] = [gate(ai!), gate(af!), candidate(ag!), gate(ao!)];
  const c = add(mul(f, s.c!), mul(i, g));
  const h = mul(o, candidate(c));
  return { state: { h: p["weight_hr"] !== undefined ? matmul(h, p["weight_hr"], { transB: true }) : h, c }, gates: [i, f, g, o] };
};

/** LSTM, gate order i|f|g|o, with an optional projection weight_hr (P, H). */
export const lstmCell: CellSpec = {
  name: "lstm",
  gatesPerUnit: 4,
  states: ["h", "c"],
  parameters: [...STANDARD_PARAMS, { suffix: "weight_hr", shape: (d) => [d.P, d.H], init: "uniform", projection: true }],
  gateOrder: "i|f|g|o",
  projection: true,
  reference: { forward, backward },
  activations: GATED_DEFAULTS,
  step: (x, s, p, v) => lstmTrace(x, s, p, v).state,
  gateNames: ["i", "f", "g", "o"],
  trace: lstmTrace,
};
