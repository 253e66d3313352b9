/**
 * The peephole LSTM on the SIMD kernels (wasm/kernels/peephole-lstm.ts; the math is in
 * src/nn/cells/peephole-lstm.ts). Forward: one GEMM for every step's input projection (biases
 * folded in), per step one (B, H) × (H, G) GEMM against W_hhᵀ packed once, then the fused gate
 * pass. Backward: per step the fused gradient pass and one (B, G) × (G, H) GEMM for dh_prev,
 * then each parameter gradient in one GEMM over all T·B rows (cell-sequence.ts).
 *
 * Cache (JS copies, the reference layout): [0] acts (T, B, G) i|f|g|o, [1] c (T, B, H), [2], [3] empty.
 * Symbols: B batch, T time steps, I input size, H hidden size, G = 4H.
 */
import type { RecurrentBackwardArgs, RecurrentCache, RecurrentForwardArgs } from "../backend.js";
import type { WasmContext } from "./context.js";
import { F, put, putOutputGradient, putPreviousStates, stepRows, sumBiases, take, weightGradients } from "./cell-sequence.js";
import { checkBackward, checkExtra, checkForward, length } from "./validate.js";

const NONE = new Float32Array(0);
const PEEPHOLES = ["weight_ci", "weight_cf", "weight_co"] as const;

export function peepholeForward(ctx: WasmContext, a: RecurrentForwardArgs): RecurrentCache {
  checkForward(a);
  const { T, B, I, H, reverse } = a;
  checkExtra("wasm backend.recurrentForward(peephole_lstm)", a.extra, PEEPHOLES, [H, H, H]);
  const { kernels: k, arena, store } = ctx;
  const G = 4 * H;
  const steps = stepRows("wasm backend.recurrentForward(peephole_lstm)", T, B, reverse, a.batchSizes);
  const TB = steps.rows; // T·B, or N packed
  const BH = B * H;
  if (T === 0) {
    a.hN.set(a.h0);
    a.cN?.set(a.c0 ?? new Float32Array(BH));
    return { backend: "wasm", buffers: [NONE, NONE, NONE, NONE] };
  }
  const bias = sumBiases(a.bIh, a.bHh);
  arena.reset(store.top);
  const x = arena.alloc(TB * I); // (T, B, I)
  const wIh = arena.alloc(G * I); // (G, I)
  const wHh = arena.alloc(G * H); // (G, H)
  const bIn = bias !== null ? arena.alloc(G) : 0; // (G)
  const h0 = arena.alloc(BH); // (B, H)
  const c0 = arena.alloc(BH); // (B, H)
  const peep = arena.alloc(3 * H); // (3H) p_i | p_f | p_o
  const acts = arena.alloc(TB * G); // (T, B, G): pre-activations, then activations
  const cells = arena.alloc(TB * H); // (T, B, H)
  const out = arena.alloc(TB * H); // (T, B, H)
  const packedIh = arena.alloc(k.packedBFloats(I, G)); // W_ihᵀ packed
  const packedHh = arena.alloc(k.packedBFloats(H, G)); // W_hhᵀ packed
  const work = arena.alloc(k.gemmWorkFloats());
  const f = arena.view();
  f.set(a.x, x / F);
  f.set(a.wIh, wIh / F);
  f.set(a.wHh, wHh / F);
  if (bias !== null) f.set(bias, bIn / F);
  f.set(a.h0, h0 / F);
  put(f, c0, a.c0, BH);
  a.extra!.forEach((p, i) => f.set(p, peep / F + i * H));

  k.packB(1, I, G, wIh, I, packedIh);
  k.gemmPacked(0, TB, G, I, x, I, packedIh, acts, G, 0, bIn, work);
  k.packB(1, H, G, wHh, H, packedHh);
  for (let s = 0; s < T; s++) {
    const r = steps.first[s]!; // this step's first row; it runs Bs rows
    const rPrev = s > 0 ? steps.first[s - 1]! : -1;
    const Bs = steps.count[s]!;
    const hPrev = rPrev >= 0 ? out + rPrev * H * F : h0;
    const cPrev = rPrev >= 0 ? cells + rPrev * H * F : c0;
    const aT = acts + r * G * F;
    k.gemmPacked(0, Bs, G, H, hPrev, H, packedHh, aT, G, 1, 0, work);
    k.peepholeForwardStep(Bs, H, H, aT, cPrev, cells + r * H * F, out + r * H * F, peep);
  }
  a.out.set(f.subarray(out / F, out / F + TB * H));
  for (let b = 0; b < B; b++) {
    const row = steps.last[b]!;
    a.hN.set(f.subarray(out / F + row * H, out / F + (row + 1) * H), b * H);
    a.cN?.set(f.subarray(cells / F + row * H, cells / F + (row + 1) * H), b * H);
  }
  if (!a.training) return { backend: "wasm", buffers: [NONE, NONE, NONE, NONE] };
  return { backend: "wasm", buffers: [take(f, acts, TB * G), take(f, cells, TB * H), NONE, NONE] };
}

export function peepholeBackward(ctx: WasmContext, a: RecurrentBackwardArgs): void {
  checkBackward(a);
  const { T, B, I, H, reverse } = a;
  const where = "wasm backend.recurrentBackward(peephole_lstm)";
  checkExtra(where, a.extra, PEEPHOLES, [H, H, H]);
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
  length(where, "cache acts", a.cache.buffers[0] ?? NONE, "(rows, G)", [TB, G]);
  length(where, "cache c", a.cache.buffers[1] ?? NONE, "(rows, H)", [TB, H]);
  arena.reset(store.top);
  const x = arena.alloc(TB * I); // (T, B, I)
  const wIh = arena.alloc(G * I); // (G, I)
  const wHh = arena.alloc(G * H); // (G, H)
  const acts = arena.alloc(TB * G); // (T, B, G)
  const cells = arena.alloc(TB * H); // (T, B, H)
  const c0 = arena.alloc(BH); // (B, H)
  const peep = arena.alloc(3 * H); // (3H)
  const dP = arena.alloc(3 * H); // (3H) accumulated peephole gradients
  const hPrevAll = arena.alloc(TB * H); // (T, B, H)
  const dH = arena.alloc(TB * H); // (T, B, H): gradient reaching each step's h
  const dc = arena.alloc(BH); // (B, H)
  const dh0 = arena.alloc(BH); // (B, H)
  const dG = arena.alloc(TB * G); // (T, B, G)
  const packedHh = arena.alloc(k.packedBFloats(G, H)); // W_hh (G, H) packed
  const work = arena.alloc(k.gemmWorkFloats());
  const f = arena.view();
  f.set(a.x, x / F);
  f.set(a.wIh, wIh / F);
  f.set(a.wHh, wHh / F);
  f.set(a.cache.buffers[0]!, acts / F);
  f.set(a.cache.buffers[1]!, cells / F);
  put(f, c0, a.c0, BH);
  a.extra!.forEach((p, i) => f.set(p, peep / F + i * H));
  f.fill(0, dP / F, dP / F + 3 * H);
  putPreviousStates(f, hPrevAll, a.h0, a.out, steps, H);
  putOutputGradient(f, dH, a, steps);
  put(f, dc, a.dCN, BH);

  k.packB(0, G, H, wHh, H, packedHh);
  for (let s = T - 1; s >= 0; s--) {
    const r = steps.first[s]!; // this step's first row; it ran Bs rows
    const rPrev = s > 0 ? steps.first[s - 1]! : -1;
    const Bs = steps.count[s]!;
    const cPrev = rPrev >= 0 ? cells + rPrev * H * F : c0;
    const dGT = dG + r * G * F;
    k.peepholeBackwardStep(Bs, H, H, acts + r * G * F, cells + r * H * F, cPrev, dH + r * H * F, dc, dGT, peep, dP);
    // dh_prev (+)= dG_t (Bs, G) · W_hh (G, H): into the previous step's dH rows, or dh0.
    if (rPrev >= 0) k.gemmPacked(0, Bs, H, G, dGT, G, packedHh, dH + rPrev * H * F, H, 1, 0, work);
    else if (a.dh0 !== null) k.gemmPacked(0, Bs, H, G, dGT, G, packedHh, dh0, H, 0, 0, work);
  }
  a.dh0?.set(take(f, dh0, BH));
  a.dc0?.set(take(f, dc, BH));
  a.dExtra?.forEach((d, i) => {
    if (d !== null) for (let j = 0; j < H; j++) d[j]! += f[dP / F + i * H + j]!;
  });
  weightGradients(ctx, a, G, { x, wIh, hPrevAll, dGx: dG, dGh: dG }, steps);
}
