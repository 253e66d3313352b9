/**
 * The original GRU (Keras resetAfter false) on the SIMD kernels (wasm/kernels/gru-reset-before.ts;
 * the math is in src/nn/cells/gru-reset-before.ts), with any activations of variant.ts and the
 * recurrent mask. Forward: one GEMM for every step's input projection (both biases folded in:
 * b_hn adds to the candidate outside r), per step two GEMMs, hIn W_h[rz]ᵀ and then (r * hIn) W_hnᵀ,
 * each followed by its fused pass. Backward: per step the two passes and two GEMMs in reverse,
 * then each parameter gradient in one GEMM over all rows. Every kernel runs on the calling thread,
 * so results are the same, bit for bit, with any number of worker threads.
 *
 * Cache (JS copies, the reference layout): [0] acts (T, B, G) r|z|n, [1], [2] empty,
 * [3] rh (T, B, H) r * hIn. Symbols: B batch, T time steps, I input size, H hidden size, G = 3H.
 */
import type { RecurrentBackwardArgs, RecurrentCache, RecurrentForwardArgs } from "../backend.js";
import type { CellActivations } from "../../nn/cells/spec.js";
import type { WasmContext } from "./context.js";
import { F, put, putOutputGradient, putPreviousStates, stepRows, sumBiases, take, weightGradients, type StepRows } from "./cell-sequence.js";
import { checkBackward, checkForward, length } from "./validate.js";
import { activationCode } from "./variant.js";

const NONE = new Float32Array(0);

/** The kernel codes of the gate and candidate activations (sigmoid and tanh by default). */
function codes(where: string, a: CellActivations | undefined): { ga: number; ca: number } {
  const ga = activationCode(a?.gate ?? "sigmoid");
  const ca = activationCode(a?.candidate ?? "tanh");
  if (ga === undefined || ca === undefined) throw new Error(`${where}: no kernel for activations gate=${a?.gate}, candidate=${a?.candidate}`);
  return { ga, ca };
}

/** rows (rows, H) at byte `dst` = the same rows of `src` times the mask's first rows, step by step. */
function putMasked(f: Float32Array, dst: number, src: number, mask: Float32Array, steps: StepRows, H: number): void {
  for (let s = 0; s < steps.first.length; s++) {
    const at = steps.first[s]! * H;
    for (let i = 0; i < steps.count[s]! * H; i++) f[dst / F + at + i] = f[src / F + at + i]! * mask[i]!;
  }
}

export function gruResetBeforeForward(ctx: WasmContext, a: RecurrentForwardArgs): RecurrentCache {
  checkForward(a);
  const where = "wasm backend.recurrentForward(gru_reset_before)";
  const { T, B, I, H, reverse } = a;
  const { kernels: k, arena, store } = ctx;
  const G = 3 * H;
  const steps = stepRows(where, T, B, reverse, a.batchSizes);
  const TB = steps.rows; // T·B, or N packed
  const BH = B * H;
  if (T === 0) {
    a.hN.set(a.h0);
    return { backend: "wasm", buffers: [NONE, NONE, NONE, NONE] };
  }
  const { ga, ca } = codes(where, a.activations);
  const bias = sumBiases(a.bIh, a.bHh);
  const maskArr = a.recurrentMask ?? null;
  arena.reset(store.top);
  const x = arena.alloc(TB * I); // (T, B, I)
  const wIh = arena.alloc(G * I); // (G, I)
  const wHh = arena.alloc(G * H); // (G, H)
  const bIn = bias !== null ? arena.alloc(G) : 0; // (G)
  const h0 = arena.alloc(BH); // (B, H)
  const mask = maskArr !== null ? arena.alloc(BH) : 0; // (B, H)
  const hMasked = maskArr !== null ? arena.alloc(BH) : 0; // (B, H) one step's h_prev * mask
  const acts = arena.alloc(TB * G); // (T, B, G): pre-activations, then activations
  const rh = arena.alloc(TB * H); // (T, B, H)
  const out = arena.alloc(TB * H); // (T, B, H)
  const packedIh = arena.alloc(k.packedBFloats(I, G)); // W_ihᵀ packed
  const packedRz = arena.alloc(k.packedBFloats(H, 2 * H)); // W_h[rz]ᵀ packed
  const packedN = arena.alloc(k.packedBFloats(H, H)); // W_hnᵀ packed
  const work = arena.alloc(k.gemmWorkFloats());
  const f = arena.view();
  f.set(a.x, x / F);
  f.set(a.wIh, wIh / F);
  f.set(a.wHh, wHh / F);
  if (bias !== null) f.set(bias, bIn / F);
  f.set(a.h0, h0 / F);
  if (maskArr !== null) f.set(maskArr, mask / F);

  k.packB(1, I, G, wIh, I, packedIh);
  k.gemmPacked(0, TB, G, I, x, I, packedIh, acts, G, 0, bIn, work);
  k.packB(1, H, 2 * H, wHh, H, packedRz);
  k.packB(1, H, H, wHh + 2 * H * H * F, H, packedN);
  for (let s = 0; s < T; s++) {
    const r = steps.first[s]!; // this step's first row; it runs Bs rows
    const rPrev = s > 0 ? steps.first[s - 1]! : -1;
    const Bs = steps.count[s]!;
    const hPrev = rPrev >= 0 ? out + rPrev * H * F : h0; // (Bs, H)
    const aT = acts + r * G * F; // (Bs, G)
    const rhT = rh + r * H * F; // (Bs, H)
    if (maskArr !== null) k.maskRows(Bs, H, hPrev, H, mask, H, hMasked, H, 0);
    const hIn = maskArr !== null ? hMasked : hPrev;
    k.gemmPacked(0, Bs, 2 * H, H, hIn, H, packedRz, aT, G, 1, 0, work);
    k.gruRbGates(Bs, H, ga, aT, hIn, rhT);
    k.gemmPacked(0, Bs, H, H, rhT, H, packedN, aT + 2 * H * F, G, 1, 0, work);
    k.gruRbOutput(Bs, H, ca, aT, hPrev, out + r * H * F);
  }
  a.out.set(f.subarray(out / F, out / F + TB * H));
  for (let b = 0; b < B; b++) {
    const row = steps.last[b]!;
    a.hN.set(f.subarray(out / F + row * H, out / F + (row + 1) * H), b * H);
  }
  if (!a.training) return { backend: "wasm", buffers: [NONE, NONE, NONE, NONE] };
  return { backend: "wasm", buffers: [take(f, acts, TB * G), NONE, NONE, take(f, rh, TB * H)] };
}

export function gruResetBeforeBackward(ctx: WasmContext, a: RecurrentBackwardArgs): void {
  checkBackward(a);
  const where = "wasm backend.recurrentBackward(gru_reset_before)";
  const { T, B, I, H, reverse } = a;
  const { kernels: k, arena, store } = ctx;
  const G = 3 * H;
  const steps = stepRows(where, T, B, reverse, a.batchSizes);
  const TB = steps.rows; // T·B, or N packed
  const BH = B * H;
  if (T === 0) {
    a.dh0?.set(a.dHN ?? new Float32Array(BH));
    return;
  }
  const { ga, ca } = codes(where, a.activations);
  length(where, "cache acts", a.cache.buffers[0] ?? NONE, "(rows, G)", [TB, G]);
  length(where, "cache rh", a.cache.buffers[3] ?? NONE, "(rows, H)", [TB, H]);
  const maskArr = a.recurrentMask ?? null;
  arena.reset(store.top);
  const x = arena.alloc(TB * I); // (T, B, I)
  const wIh = arena.alloc(G * I); // (G, I)
  const wHh = arena.alloc(G * H); // (G, H)
  const acts = arena.alloc(TB * G); // (T, B, G)
  const rhAll = arena.alloc(TB * H); // (T, B, H)
  const hPrevAll = arena.alloc(TB * H); // (T, B, H): the state each step started from
  const hInAll = maskArr !== null ? arena.alloc(TB * H) : hPrevAll; // (T, B, H): times the mask
  const mask = arena.alloc(BH); // (B, H): the mask, or ones
  const dH = arena.alloc(TB * H); // (T, B, H): gradient reaching each step's h
  const dG = arena.alloc(TB * G); // (T, B, G): gradient of the pre-activations r|z|n
  const dRh = arena.alloc(BH); // (B, H): gradient reaching r * hIn
  const dHin = arena.alloc(BH); // (B, H): gradient reaching hIn
  const dh0 = arena.alloc(BH); // (B, H)
  const packedN = arena.alloc(k.packedBFloats(H, H)); // W_hn (H, H) packed
  const packedRz = arena.alloc(k.packedBFloats(2 * H, H)); // W_h[rz] (2H, H) packed
  const dWHh = a.dWHh !== null ? arena.alloc(G * H) : 0; // (G, H)
  const packed = arena.alloc(k.packedBFloats(TB, H));
  const work = arena.alloc(k.gemmWorkFloats());
  const f = arena.view();
  f.set(a.x, x / F);
  f.set(a.wIh, wIh / F);
  f.set(a.wHh, wHh / F);
  f.set(a.cache.buffers[0]!, acts / F);
  f.set(a.cache.buffers[3]!, rhAll / F);
  putPreviousStates(f, hPrevAll, a.h0, a.out, steps, H);
  if (maskArr !== null) {
    f.set(maskArr, mask / F);
    putMasked(f, hInAll, hPrevAll, maskArr, steps, H);
  } else f.fill(1, mask / F, mask / F + BH);
  putOutputGradient(f, dH, a, steps);
  put(f, dh0, null, BH);
  if (a.dWHh !== null) f.set(a.dWHh, dWHh / F);

  k.packB(0, H, H, wHh + 2 * H * H * F, H, packedN);
  k.packB(0, 2 * H, H, wHh, H, packedRz);
  for (let s = T - 1; s >= 0; s--) {
    const r = steps.first[s]!; // this step's first row; it ran Bs rows
    const rPrev = s > 0 ? steps.first[s - 1]! : -1;
    const Bs = steps.count[s]!;
    const dHPrev = rPrev >= 0 ? dH + rPrev * H * F : dh0; // (Bs, H)
    const aT = acts + r * G * F;
    const dGT = dG + r * G * F;
    k.gruRbBackwardOut(Bs, H, ga, ca, aT, hPrevAll + r * H * F, dH + r * H * F, dGT, dHPrev);
    k.gemmPacked(0, Bs, H, H, dGT + 2 * H * F, G, packedN, dRh, H, 0, 0, work);
    k.gruRbBackwardReset(Bs, H, ga, aT, hInAll + r * H * F, dRh, dGT, dHin);
    k.gemmPacked(0, Bs, H, 2 * H, dGT, G, packedRz, dHin, H, 1, 0, work);
    // hIn = h_prev * mask: its gradient reaches h_prev through the mask.
    k.maskRows(Bs, H, dHin, H, mask, H, dHPrev, H, 1);
  }
  a.dh0?.set(take(f, dh0, BH));
  if (a.dWHh !== null) {
    // W_h[rz] saw hIn, W_hn saw r * hIn.
    k.gemm(1, 0, 2 * H, H, TB, dG, G, hInAll, H, dWHh, H, 1, 0, packed, work);
    k.gemm(1, 0, H, H, TB, dG + 2 * H * F, G, rhAll, H, dWHh + 2 * H * H * F, H, 1, 0, packed, work);
    a.dWHh.set(take(f, dWHh, G * H));
  }
  weightGradients(ctx, { ...a, dWHh: null }, G, { x, wIh, hPrevAll, dGx: dG, dGh: dG }, steps);
}
