/**
 * The Elman RNN cell, PyTorch's `nn.RNN` (nonlinearity "tanh" or "relu"):
 *
 *   h = act(x W_ihᵀ + b_ih + h_prev W_hhᵀ + b_hh)        act = tanh (rnn_tanh) | relu (rnn_relu)
 *
 * A CellVariant replaces act (its candidate activation; it has no gate) and multiplies h_prev by
 * the recurrent mask inside h_prev W_hhᵀ. One gate row per unit (G = H); the state is h alone. Cache layout (reference and wasm):
 *   [0] acts (T, B, H) h itself (the wasm backend keeps it empty and reads `out`), [1..3] empty.
 *
 * Symbols: B batch, T time steps, I input size, H hidden size (= P), G = H.
 */
import type { RecurrentBackwardArgs, RecurrentCache, RecurrentForwardArgs } from "../../backends/backend.js";
import { add } from "../../autograd/ops/elementwise.js";
import { matmul } from "../../autograd/ops/matmul.js";
import type { Tensor } from "../../tensor/tensor.js";
import { NONE, addMasked, colSumInto, gemm, kernelActivations, maskedState, previousStates, stepTime } from "./kernel-util.js";
import type { CellActivations, CellParams, CellSpec, CellState, ParamSpec } from "./spec.js";
import { recurrentInput, stepActivations } from "./variant.js";

/** PyTorch's four parameters of a gated or plain cell (G rows). */
export const STANDARD_PARAMS: readonly ParamSpec[] = [
  { suffix: "weight_ih", shape: (d) => [d.G, d.I], init: "uniform" },
  { suffix: "weight_hh", shape: (d) => [d.G, d.P], init: "uniform" },
  { suffix: "bias_ih", shape: (d) => [d.G], init: "uniform", bias: true },
  { suffix: "bias_hh", shape: (d) => [d.G], init: "uniform", bias: true },
];

/** x W_ihᵀ + b_ih + h W_hhᵀ + b_hh with autograd ops (absent biases skipped). */
export function affine(x: Tensor, h: Tensor, p: CellParams): Tensor {
  let a = add(matmul(x, p["weight_ih"]!, { transB: true }), matmul(h, p["weight_hh"]!, { transB: true }));
  if (p["bias_ih"] !== undefined) a = add(a, p["bias_ih"]);
  if (p["bias_hh"] !== undefined) a = add(a, p["bias_hh"]);
  return a;
}

function forward(a: RecurrentForwardArgs, defaults: CellActivations): RecurrentCache {
  const { T, B, I, H, reverse, x, wIh, wHh, bIh, bHh, h0, out, hN } = a;
  const G = H;
  const { cand } = kernelActivations(`reference ${a.mode} forward`, defaults, a.activations);
  const mask = a.recurrentMask ?? null; // (B, H)
  const hm = new Float32Array(mask === null ? 0 : B * H); // (B, H) h_prev * mask
  const acts = new Float32Array(T * B * G); // (T, B, G)
  // All input projections in one GEMM: xp (T·B, G) = x (T·B, I) · W_ihᵀ.
  const xp = new Float32Array(T * B * G);
  gemm(false, true, T * B, G, I, x, wIh, xp, false);
  const hp = new Float32Array(B * G); // (B, G) one step's recurrent product
  let hPrev = h0;
  for (let s = 0; s < T; s++) {
    const t = stepTime(s, T, reverse);
    gemm(false, true, B, G, H, maskedState(hPrev, mask, hm), wHh, hp, false);
    const hOut = out.subarray(t * B * H, (t + 1) * B * H);
    for (let b = 0; b < B; b++) {
      const row = (t * B + b) * G;
      for (let j = 0; j < H; j++) {
        const pre = xp[row + j]! + hp[b * G + j]! + (bIh?.[j] ?? 0) + (bHh?.[j] ?? 0);
        const h = cand.f(pre);
        acts[row + j] = h;
        hOut[b * H + j] = h;
      }
    }
    hPrev = hOut;
  }
  hN.set(hPrev);
  return { backend: "reference", buffers: [acts, NONE, NONE, NONE] };
}

function backward(a: RecurrentBackwardArgs, defaults: CellActivations): void {
  const { T, B, I, H, reverse, x, wIh, wHh, h0, cache, out, dOut, dHN } = a;
  const G = H;
  const { cand } = kernelActivations(`reference ${a.mode} backward`, defaults, a.activations);
  const mask = a.recurrentMask ?? null; // (B, H)
  const dhRec = new Float32Array(mask === null ? 0 : B * H); // (B, H) dG_t · W_hh before the mask
  const acts = cache.buffers[0]!;
  const dG = new Float32Array(T * B * G); // (T, B, G) gradient of the pre-activations
  const dh = new Float32Array(B * H); // (B, H) running gradient of the state
  if (dHN !== null) dh.set(dHN);
  for (let s = T - 1; s >= 0; s--) {
    const t = stepTime(s, T, reverse);
    if (dOut !== null) for (let k = 0; k < B * H; k++) dh[k]! += dOut[t * B * H + k]!;
    for (let k = 0; k < B * H; k++) {
      const h = acts[t * B * G + k]!;
      dG[t * B * G + k] = dh[k]! * cand.dFromY(h);
    }
    // dh_prev = (dG_t (B, G) · W_hh (G, H)) * mask
    if (mask === null) gemm(false, false, B, H, G, dG.subarray(t * B * G, (t + 1) * B * G), wHh, dh, false);
    else {
      gemm(false, false, B, H, G, dG.subarray(t * B * G, (t + 1) * B * G), wHh, dhRec, false);
      dh.fill(0);
      addMasked(dh, dhRec, mask);
    }
  }
  if (a.dWIh !== null) gemm(true, false, G, I, T * B, dG, x, a.dWIh, true);
  if (a.dx !== null) gemm(false, false, T * B, I, G, dG, wIh, a.dx, false);
  if (a.dWHh !== null) gemm(true, false, G, H, T * B, dG, previousStates(out, h0, T, B * H, reverse, mask), a.dWHh, true);
  if (a.dBIh !== null) colSumInto(dG, T * B, G, a.dBIh);
  if (a.dBHh !== null) colSumInto(dG, T * B, G, a.dBHh);
  if (a.dh0 !== null) a.dh0.set(dh);
}

function spec(name: "rnn_tanh" | "rnn_relu"): CellSpec {
  const useRelu = name === "rnn_relu";
  // The gate entry is unused: the cell has no gates.
  const activations: CellActivations = { gate: "sigmoid", candidate: useRelu ? "relu" : "tanh" };
  return {
    name,
    gatesPerUnit: 1,
    states: ["h"],
    parameters: STANDARD_PARAMS,
    gateOrder: "h",
    projection: false,
    reference: { forward: (a) => forward(a, activations), backward: (a) => backward(a, activations) },
    activations,
    step: (x, s, p, v): CellState => ({ h: stepActivations(activations, v).candidate(affine(x, recurrentInput(s.h, v), p)) }),
  };
}

/** Elman RNN with tanh. */
export const rnnTanhCell: CellSpec = spec("rnn_tanh");
/** Elman RNN with relu. */
export const rnnReluCell: CellSpec = spec("rnn_relu");
