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
 * Symbols: B batch, I input size, H hidden size (= P), G = 3H.
 */
import { add, mul, sub } from "../../autograd/ops/elementwise.js";
import { matmul } from "../../autograd/ops/matmul.js";
import { split } from "../../autograd/ops/shape.js";
import type { Tensor } from "../../tensor/tensor.js";
import { STANDARD_PARAMS } from "./rnn.js";
import type { CellParams, CellSpec, CellState, CellVariant } from "./spec.js";
import { GATED_DEFAULTS, recurrentInput, stepActivations } from "./variant.js";

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
  step,
};
