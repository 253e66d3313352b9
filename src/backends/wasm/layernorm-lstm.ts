/**
 * The layer-normalised LSTM on the wasm kernels (wasm/kernels/layernorm-lstm.ts; the math is in
 * src/nn/cells/layernorm-lstm.ts). Forward: one GEMM for every step's input product and its layer
 * norm row by row, per step one (B, H) × (H, G) GEMM against W_hhᵀ packed once, then the fused
 * pass (LN_h, gates, LN_c, h). Backward: per step the fused gradient pass and one (B, G) × (G, H)
 * GEMM for dh_prev, then each weight gradient in one GEMM over all T·B rows (cell-sequence.ts).
 * A layer norm needs whole rows, so these kernels are not split by hidden units.
 *
 * Cache (JS copies, the reference layout): [0] acts (T, B, G), [1] c (T, B, H), [2] xhatI (T, B, G),
 * [3] xhatH (T, B, G), [4] xhatC (T, B, H), [5] rstd (T, B, 3).
 * Symbols: B batch, T time steps, I input size, H hidden size, G = 4H.
 */
import type { RecurrentBackwardArgs, RecurrentCache, RecurrentForwardArgs } from "../backend.js";
import type { WasmContext } from "./context.js";
import { F, put, putOutputGradient, putPreviousStates, stepRows, take, weightGradients } from "./cell-sequence.js";
import { checkBackward, checkExtra, checkForward, length } from "./validate.js";

const NONE = new Float32Array(0);
const WITH_BIAS = ["layernorm_i_weight", "layernorm_i_bias", "layernorm_h_weight", "layernorm_h_bias", "layernorm_c_weight", "layernorm_c_bias"] as const;
const NO_BIAS = ["layernorm_i_weight", "layernorm_h_weight", "layernorm_c_weight"] as const;

/**
 * Where each extra parameter goes in the kernels' norms block γ_i | β_i | γ_h | β_h | γ_c | β_c
 * (float offsets), after checking the extras: six with biases, three gains without.
 */
function normSlots(where: string, extra: readonly Float32Array[] | undefined, H: number): number[] {
  const G = 4 * H;
  const withBias = (extra?.length ?? 0) === 6;
  if (withBias) checkExtra(where, extra, WITH_BIAS, [G, G, G, G, H, H]);
  else checkExtra(where, extra, NO_BIAS, [G, G, H]);
  return withBias ? [0, G, 2 * G, 3 * G, 4 * G, 4 * G + H] : [0, 2 * G, 4 * G];
}

export function layerNormForward(ctx: WasmContext, a: RecurrentForwardArgs): RecurrentCache {
  checkForward(a);
  const { T, B, I, H, reverse } = a;
  const slots = normSlots("wasm backend.recurrentForward(layernorm_lstm)", a.extra, H);
  const { kernels: k, arena, store } = ctx;
  const G = 4 * H;
  const steps = stepRows("wasm backend.recurrentForward(layernorm_lstm)", T, B, reverse, a.batchSizes);
  const TB = steps.rows; // T·B, or N packed
  const BH = B * H;
  if (T === 0) {
    a.hN.set(a.h0);
    a.cN?.set(a.c0 ?? new Float32Array(BH));
    return { backend: "wasm", buffers: [NONE, NONE, NONE, NONE, NONE, NONE] };
  }
  arena.reset(store.top);
  const x = arena.alloc(TB * I); // (T, B, I)
  const wIh = arena.alloc(G * I); // (G, I)
  const wHh = arena.alloc(G * H); // (G, H)
  const h0 = arena.alloc(BH); // (B, H)
  const c0 = arena.alloc(BH); // (B, H)
  const norms = arena.alloc(4 * G + 2 * H); // γ_i | β_i | γ_h | β_h | γ_c | β_c
  const acts = arena.alloc(TB * G); // (T, B, G)
  const cells = arena.alloc(TB * H); // (T, B, H)
  const xhatI = arena.alloc(TB * G); // (T, B, G): x W_ihᵀ, normalised in place
  const xhatH = arena.alloc(TB * G); // (T, B, G)
  const xhatC = arena.alloc(TB * H); // (T, B, H)
  const rstd = arena.alloc(TB * 3); // (T, B, 3)
  const out = arena.alloc(TB * H); // (T, B, H)
  const hp = arena.alloc(B * G); // (B, G) one step's h_prev W_hhᵀ
  const packedIh = arena.alloc(k.packedBFloats(I, G));
  const packedHh = arena.alloc(k.packedBFloats(H, G));
  const work = arena.alloc(k.gemmWorkFloats());
  const f = arena.view();
  f.set(a.x, x / F);
  f.set(a.wIh, wIh / F);
  f.set(a.wHh, wHh / F);
  f.set(a.h0, h0 / F);
  put(f, c0, a.c0, BH);
  f.fill(0, norms / F, norms / F + 4 * G + 2 * H);
  a.extra!.forEach((p, i) => f.set(p, norms / F + slots[i]!));

  k.packB(1, I, G, wIh, I, packedIh);
  k.gemmPacked(0, TB, G, I, x, I, packedIh, xhatI, G, 0, 0, work);
  k.layerNormRows(TB, G, xhatI, xhatI, rstd, 0);
  k.packB(1, H, G, wHh, H, packedHh);
  for (let s = 0; s < T; s++) {
    const r = steps.first[s]!; // this step's first row; it runs Bs rows
    const rPrev = s > 0 ? steps.first[s - 1]! : -1;
    const Bs = steps.count[s]!;
    const hPrev = rPrev >= 0 ? out + rPrev * H * F : h0;
    const cPrev = rPrev >= 0 ? cells + rPrev * H * F : c0;
    const g = r * G * F;
    k.gemmPacked(0, Bs, G, H, hPrev, H, packedHh, hp, G, 0, 0, work);
    k.lnLstmForwardStep(Bs, H, hp, xhatI + g, xhatH + g, norms, rstd + r * 3 * F, acts + g, cPrev, xhatC + r * H * F, cells + r * H * F, out + r * H * F);
  }
  a.out.set(f.subarray(out / F, out / F + TB * H));
  for (let b = 0; b < B; b++) {
    const row = steps.last[b]!;
    a.hN.set(f.subarray(out / F + row * H, out / F + (row + 1) * H), b * H);
    a.cN?.set(f.subarray(cells / F + row * H, cells / F + (row + 1) * H), b * H);
  }
  if (!a.training) return { backend: "wasm", buffers: [NONE, NONE, NONE, NONE, NONE, NONE] };
  return {
    backend: "wasm",
    buffers: [take(f, acts, TB * G), take(f, cells, TB * H), take(f, xhatI, TB * G), take(f, xhatH, TB * G), take(f, xhatC, TB * H), take(f, rstd, TB * 3)],
  };
}

export function layerNormBackward(ctx: WasmContext, a: RecurrentBackwardArgs): void {
  checkBackward(a);
  const { T, B, I, H, reverse } = a;
  const where = "wasm backend.recurrentBackward(layernorm_lstm)";
  const slots = normSlots(where, a.extra, H);
  const { kernels: k, arena, store } = ctx;
  const G = 4 * H;
  const steps = stepRows(where, T, B, reverse, a.batchSizes);
  const TB = steps.rows; // T·B, or N packed
  const BH = B * H;
  if (T === 0) {
    a.dh0?.set(a.dHN ?? new Float32Array(BH));
    a.dc0?.set(a.dCN ?? new Float32Array(BH));
    return;
  }
  const sizes: [string, string, number[]][] = [
    ["acts", "(rows, G)", [TB, G, 1]],
    ["c", "(rows, H)", [TB, H, 1]],
    ["xhatI", "(rows, G)", [TB, G, 1]],
    ["xhatH", "(rows, G)", [TB, G, 1]],
    ["xhatC", "(rows, H)", [TB, H, 1]],
    ["rstd", "(rows, 3)", [TB, 3, 1]],
  ];
  sizes.forEach(([name, shape, dims], i) => length(where, `cache ${name}`, a.cache.buffers[i] ?? NONE, shape, dims));
  arena.reset(store.top);
  const x = arena.alloc(TB * I); // (T, B, I)
  const wIh = arena.alloc(G * I); // (G, I)
  const wHh = arena.alloc(G * H); // (G, H)
  const cached = sizes.map(([, , dims]) => arena.alloc(dims[0]! * dims[1]! * dims[2]!)); // the six cache buffers
  const [acts, cells, xhatI, xhatH, xhatC, rstd] = [cached[0]!, cached[1]!, cached[2]!, cached[3]!, cached[4]!, cached[5]!];
  const c0 = arena.alloc(BH); // (B, H)
  const norms = arena.alloc(4 * G + 2 * H); // γ_i | β_i | γ_h | β_h | γ_c | β_c
  const dNorms = arena.alloc(4 * G + 2 * H); // the same layout, accumulated
  const hPrevAll = arena.alloc(TB * H); // (T, B, H)
  const dH = arena.alloc(TB * H); // (T, B, H)
  const dc = arena.alloc(BH); // (B, H)
  const dh0 = arena.alloc(BH); // (B, H)
  const dGx = arena.alloc(TB * G); // (T, B, G)
  const dGh = arena.alloc(TB * G); // (T, B, G)
  const scratch = arena.alloc(G); // (G)
  const packedHh = arena.alloc(k.packedBFloats(G, H));
  const work = arena.alloc(k.gemmWorkFloats());
  const f = arena.view();
  f.set(a.x, x / F);
  f.set(a.wIh, wIh / F);
  f.set(a.wHh, wHh / F);
  cached.forEach((at, i) => f.set(a.cache.buffers[i]!, at / F));
  put(f, c0, a.c0, BH);
  f.fill(0, norms / F, norms / F + 4 * G + 2 * H);
  a.extra!.forEach((p, i) => f.set(p, norms / F + slots[i]!));
  f.fill(0, dNorms / F, dNorms / F + 4 * G + 2 * H);
  putPreviousStates(f, hPrevAll, a.h0, a.out, steps, H);
  putOutputGradient(f, dH, a, steps);
  put(f, dc, a.dCN, BH);

  k.packB(0, G, H, wHh, H, packedHh);
  for (let s = T - 1; s >= 0; s--) {
    const r = steps.first[s]!; // this step's first row; it ran Bs rows
    const rPrev = s > 0 ? steps.first[s - 1]! : -1;
    const Bs = steps.count[s]!;
    const cPrev = rPrev >= 0 ? cells + rPrev * H * F : c0;
    const g = r * G * F;
    const h = r * H * F;
    k.lnLstmBackwardStep(Bs, H, acts + g, cells + h, cPrev, xhatI + g, xhatH + g, xhatC + h, rstd + r * 3 * F, norms, dH + h, dc, dGx + g, dGh + g, dNorms, scratch);
    if (rPrev >= 0) k.gemmPacked(0, Bs, H, G, dGh + g, G, packedHh, dH + rPrev * H * F, H, 1, 0, work);
    else if (a.dh0 !== null) k.gemmPacked(0, Bs, H, G, dGh + g, G, packedHh, dh0, H, 0, 0, work);
  }
  a.dh0?.set(take(f, dh0, BH));
  a.dc0?.set(take(f, dc, BH));
  a.dExtra?.forEach((d, i) => {
    if (d !== null) for (let j = 0; j < d.length; j++) d[j]! += f[dNorms / F + slots[i]! + j]!;
  });
  weightGradients(ctx, a, G, { x, wIh, hPrevAll, dGx, dGh }, steps);
}
