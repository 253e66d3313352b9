/**
 * The GRU cell, PyTorch's `nn.GRU`, gate order r|z|n:
 *
 *   r = σ(x_r + hh_r)        z = σ(x_z + hh_z)        n = tanh(x_n + r * hh_n)
 *   h = (1 - z) * n + z * h_prev
 *
 * where x_* = x W_i*ᵀ + b_i* and hh_* = h_prev W_h*ᵀ + b_h* (b_hn stays inside r * (…), which is
 * why GRU keeps its two biases apart). A CellVariant replaces σ (gate) and tanh (candidate) and
 * multiplies h_prev by the recurrent mask inside h_prev W_h*ᵀ only, not in the carry z * h_prev.
 * This is Keras's `resetAfter: true`; the original form is gru-reset-before.ts. Cache layout (reference and wasm):
 *   [0] acts (T, B, G) r|z|n   [1] empty   [2] empty   [3] hhn (T, B, H) h_prev W_hnᵀ + b_hn
 *
 * Symbols: B batch, T time steps, I input size, H hidden size (= P), G = 3H.
 */
import type { RecurrentBackwardArgs, RecurrentCache, RecurrentForwardArgs } from "../../backends/backend.js";
import { add, mul, sub } from "../../autograd/ops/elementwise.js";
import { matmul } from "../../autograd/ops/matmul.js";
import { split } from "../../autograd/ops/shape.js";
import { NONE, addMasked, colSumInto, gemm, kernelActivations, maskedState, previousStates, stepTime } from "./kernel-util.js";
import { STANDARD_PARAMS } from "./rnn.js";
import type { CellSpec, CellTrace } from "./spec.js";
import { GATED_DEFAULTS, recurrentInput, stepActivations } from "./variant.js";

function forward(a: RecurrentForwardArgs): RecurrentCache {
  const { T, B, I, H, reverse, x, wIh, wHh, bIh, bHh, h0, out, hN } = a;
  const G = 3 * H;
  const { gate, cand } = kernelActivations("reference gru forward", GATED_DEFAULTS, a.activations);
  const mask = a.recurrentMask ?? null; // (B, H)
  const hm = new Float32Array(mask === null ? 0 : B * H); // (B, H) h_prev * mask
  const acts = new Float32Array(T * B * G); // (T, B, G)
  const hhnAll = new Float32Array(T * B * H); // (T, B, H)
  const xp = new Float32Array(T * B * G); // (T, B, G) every step's x W_ihᵀ, one GEMM
  gemm(false, true, T * B, G, I, x, wIh, xp, false);
  const hp = new Float32Array(B * G); // (B, G)
  let hPrev = h0; // (B, H)
  for (let s = 0; s < T; s++) {
    const t = stepTime(s, T, reverse);
    gemm(false, true, B, G, H, maskedState(hPrev, mask, hm), wHh, hp, false);
    const hOut = out.subarray(t * B * H, (t + 1) * B * H);
    for (let b = 0; b < B; b++) {
      const row = (t * B + b) * G;
      const hrow = b * G;
      for (let j = 0; j < H; j++) {
        const xr = xp[row + j]! + (bIh?.[j] ?? 0);
        const xz = xp[row + H + j]! + (bIh?.[H + j] ?? 0);
        const xn = xp[row + 2 * H + j]! + (bIh?.[2 * H + j] ?? 0);
        const hr = hp[hrow + j]! + (bHh?.[j] ?? 0);
        const hz = hp[hrow + H + j]! + (bHh?.[H + j] ?? 0);
        const hn = Math.fround(hp[hrow + 2 * H + j]! + (bHh?.[2 * H + j] ?? 0));
        const r = Math.fround(gate.f(xr + hr));
        const z = Math.fround(gate.f(xz + hz));
        const n = Math.fround(cand.f(xn + r * hn));
        acts[row + j] = r;
        acts[row + H + j] = z;
        acts[row + 2 * H + j] = n;
        hhnAll[(t * B + b) * H + j] = hn;
        hOut[b * H + j] = (1 - z) * n + z * hPrev[b * H + j]!;
      }
    }
    hPrev = hOut;
  }
  hN.set(hPrev);
  return { backend: "reference", buffers: [acts, NONE, NONE, hhnAll] };
}

function backward(a: RecurrentBackwardArgs): void {
  const { T, B, I, H, reverse, x, wIh, wHh, h0, cache, out, dOut, dHN } = a;
  const G = 3 * H;
  const acts = cache.buffers[0]!;
  const hhnAll = cache.buffers[3]!;
  const { gate, cand } = kernelActivations("reference gru backward", GATED_DEFAULTS, a.activations);
  const mask = a.recurrentMask ?? null; // (B, H)
  const dhRec = new Float32Array(mask === null ? 0 : B * H); // (B, H) dGh_t · W_hh before the mask
  const dGx = new Float32Array(T * B * G); // (T, B, G) input-side pre-activation gradients
  const dGh = new Float32Array(T * B * G); // (T, B, G) hidden side: differs in n (r * (…))
  const dh = new Float32Array(B * H); // (B, H)
  if (dHN !== null) dh.set(dHN);
  for (let s = T - 1; s >= 0; s--) {
    const t = stepTime(s, T, reverse);
    const tPrev = s > 0 ? stepTime(s - 1, T, reverse) : -1;
    const hPrev = tPrev >= 0 ? out.subarray(tPrev * B * H, (tPrev + 1) * B * H) : h0;
    if (dOut !== null) for (let k = 0; k < B * H; k++) dh[k]! += dOut[t * B * H + k]!;
    for (let b = 0; b < B; b++) {
      const row = (t * B + b) * G;
      for (let j = 0; j < H; j++) {
        const r = acts[row + j]!;
        const z = acts[row + H + j]!;
        const n = acts[row + 2 * H + j]!;
        const hn = hhnAll[(t * B + b) * H + j]!;
        const dhv = dh[b * H + j]!;
        const dn = dhv * (1 - z) * cand.dFromY(n);
        const dz = dhv * (hPrev[b * H + j]! - n) * gate.dFromY(z);
        const dr = dn * hn * gate.dFromY(r);
        dGx[row + j] = dr;
        dGx[row + H + j] = dz;
        dGx[row + 2 * H + j] = dn;
        dGh[row + j] = dr;
        dGh[row + H + j] = dz;
        dGh[row + 2 * H + j] = dn * r;
        // The direct path h = … + z*h_prev; the W_hh path is added by the GEMM below.
        dh[b * H + j] = dhv * z;
      }
    }
    if (mask === null) gemm(false, false, B, H, G, dGh.subarray(t * B * G, (t + 1) * B * G), wHh, dh, true);
    else {
      gemm(false, false, B, H, G, dGh.subarray(t * B * G, (t + 1) * B * G), wHh, dhRec, false);
      addMasked(dh, dhRec, mask);
    }
  }
  if (a.dWIh !== null) gemm(true, false, G, I, T * B, dGx, x, a.dWIh, true);
  if (a.dx !== null) gemm(false, false, T * B, I, G, dGx, wIh, a.dx, false);
  if (a.dWHh !== null) gemm(true, false, G, H, T * B, dGh, previousStates(out, h0, T, B * H, reverse, mask), a.dWHh, true);
  if (a.dBIh !== null) colSumInto(dGx, T * B, G, a.dBIh);
  if (a.dBHh !== null) colSumInto(dGh, T * B, G, a.dBHh);
  if (a.dh0 !== null) a.dh0.set(dh);
}

/** One GRU step with its gates r, z and the candidate n (each (B, H)). */
const gruTrace: CellTrace = (x, s, p, v) => {
  const H = s.h.shape[1]!;
  const { gate, candidate } = stepActivations(GATED_DEFAULTS, v);
  let xi = matmul(x, p["weight_ih"]!, { transB: true });
  let hh = matmul(recurrentInput(s.h, v), p["weight_hh"]!, { transB: true });
  if (p["bias_ih"] !== undefined) xi = add(xi, p["bias_ih"]);
  if (p["bias_hh"] !== undefined) hh = add(hh, p["bias_hh"]);
  const [xr, xz, xn] = split(xi, [H, H, H], 1);
  const [hr, hz, hn] = split(hh, [H, H, H], 1);
  const r = gate(add(xr!, hr!));
  const z = gate(add(xz!, hz!));
  const n = candidate(add(xn!, mul(r, hn!)));
  // (1 - z) * n + z * h_prev, written with one subtraction.
  return { state: { h: add(n, mul(z, sub(s.h, n))) }, gates: [r, z, n] };
};

/** GRU, gate order r|z|n. */
export const gruCell: CellSpec = {
  name: "gru",
  gatesPerUnit: 3,
  states: ["h"],
  parameters: STANDARD_PARAMS,
  gateOrder: "r|z|n",
  projection: false,
  reference: { forward, backward },
  activations: GATED_DEFAULTS,
  step: (x, s, p, v) => gruTrace(x, s, p, v).state,
  gateNames: ["r", "z", "n"],
  trace: gruTrace,
};
