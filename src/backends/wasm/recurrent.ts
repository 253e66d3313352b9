/**
 * Whole-sequence recurrent layers on the SIMD kernels: the drivers that lay buffers out in linear
 * memory and call the per-step kernels of wasm/kernels (lstm.ts, gru.ts, rnn.ts, gemm.ts).
 *
 * Symbols: B batch, T time steps, I input size, H hidden size, P recurrent width (projSize, or H),
 * G gate rows (H for RNN, 4H for LSTM, 3H for GRU). Every buffer comment gives its shape.
 *
 * Work plan. Forward: one GEMM for every step's input projection (x W_ihᵀ + biases, biases folded
 * into the GEMM's start value); per step one (B, P) × (P, G) GEMM against W_hhᵀ packed once per
 * call, then one fused pass for the gate math (batch 1 uses a matrix-vector product on W_hh as
 * stored instead). Backward: per step the fused gate gradient pass and one (B, G) × (G, P) GEMM for
 * the recurrent gradient; after the loop each parameter gradient is one GEMM over all T·B rows.
 *
 * Memory: inputs are copied into linear memory once per call and results copied out once. The
 * activations backward needs stay in linear memory (resident.ts) in the reference backend's
 * cache layout, which `cache.buffers` gives as JS copies on request:
 *   [0] acts  (T, B, G)  gate activations (LSTM i|f|g|o, GRU r|z|n); empty for RNN (h is out)
 *   [1] c     (T, B, H)  LSTM cell states, else empty
 *   [2] hfull (T, B, H)  LSTM o*tanh(c) before the projection (projection only), else empty
 *   [3] hhn   (T, B, H)  GRU h_prev W_hnᵀ + b_hn, else empty
 */
import type { RecurrentBackwardArgs, RecurrentCache, RecurrentForwardArgs } from "../backend.js";
import { GATES_PER_UNIT } from "../backend.js";
import type { WasmContext } from "./context.js";
import { WasmCache } from "./resident.js";
import { checkBackward, checkForward, length } from "./validate.js";

const F = 4; // bytes per float

/** Time index of the s-th processed step. */
const stepTime = (s: number, T: number, reverse: boolean): number => (reverse ? T - 1 - s : s);

/** Sums two optional bias vectors into one (G) array, or null when both are absent. */
function sumBiases(a: Float32Array | null, b: Float32Array | null): Float32Array | null {
  if (a === null) return b;
  if (b === null) return a;
  const s = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) s[i] = a[i]! + b[i]!;
  return s;
}

export function recurrentForward(ctx: WasmContext, a: RecurrentForwardArgs): RecurrentCache {
  checkForward(a);
  const { kernels: k, arena, store } = ctx;
  const { mode, T, B, I, H, P, reverse } = a;
  const G = GATES_PER_UNIT[mode] * H;
  const TB = T * B;
  const lstm = mode === "lstm";
  const gru = mode === "gru";
  const proj = a.wHr !== null;
  const vector = B === 1;
  const relu = mode === "rnn_relu" ? 1 : 0;
  if (T === 0) {
    a.hN.set(a.h0);
    if (a.cN !== null) a.cN.set(a.c0 ?? new Float32Array(B * H));
    return emptyCache();
  }
  // GRU keeps b_hh apart (r scales h_n + b_hn); the other cells add it to the input projection.
  const inputBias = gru ? a.bIh : sumBiases(a.bIh, a.bHh);
  const hiddenBias = gru ? a.bHh : null;

  // Training keeps what backward needs in a resident slot; the kernels write it there directly.
  const cache = a.training && (lstm || gru) ? store.create([TB * G, lstm ? TB * H : 0, proj ? TB * H : 0, gru ? TB * H : 0]) : null;
  const kept = (i: number, floats: number): number => (cache === null ? arena.alloc(floats) : cache.residentOffset(store, i)!);
  arena.reset(store.top);
  const x = arena.alloc(TB * I); // (T, B, I)
  const wIh = arena.alloc(G * I); // (G, I)
  const wHh = arena.alloc(G * P); // (G, P)
  const wHr = proj ? arena.alloc(P * H) : 0; // (P, H)
  const bIn = inputBias !== null ? arena.alloc(G) : 0; // (G)
  const bHid = hiddenBias !== null ? arena.alloc(G) : 0; // (G)
  const h0 = arena.alloc(B * P); // (B, P)
  const c0 = lstm ? arena.alloc(B * H) : 0; // (B, H)
  const acts = kept(0, TB * G); // (T, B, G): pre-activations, then activations
  const cells = lstm ? kept(1, TB * H) : 0; // (T, B, H)
  const hfull = proj ? kept(2, TB * H) : 0; // (T, B, H)
  const hhn = gru ? kept(3, TB * H) : 0; // (T, B, H)
  const gh = gru ? arena.alloc(B * G) : 0; // (B, G) one step's h_prev W_hhᵀ + b_hh
  const out = arena.alloc(TB * P); // (T, B, P)
  const packedIh = arena.alloc(k.packedBFloats(I, G)); // W_ihᵀ (I, G) packed
  const packedHh = vector ? 0 : arena.alloc(k.packedBFloats(P, G)); // W_hhᵀ (P, G) packed
  const packedHr = proj && !vector ? arena.alloc(k.packedBFloats(H, P)) : 0; // W_hrᵀ (H, P) packed
  const work = arena.alloc(k.gemmWorkFloats());
  const f = arena.view();
  f.set(a.x, x / F);
  f.set(a.wIh, wIh / F);
  f.set(a.wHh, wHh / F);
  if (a.wHr !== null) f.set(a.wHr, wHr / F);
  if (inputBias !== null) f.set(inputBias, bIn / F);
  if (hiddenBias !== null) f.set(hiddenBias, bHid / F);
  f.set(a.h0, h0 / F);
  if (lstm) {
    if (a.c0 !== null) f.set(a.c0, c0 / F);
    else f.fill(0, c0 / F, c0 / F + B * H);
  }

  // Every step's input projection in one GEMM: acts (T·B, G) = x (T·B, I) · W_ihᵀ + bias.
  k.gemm(0, 1, TB, G, I, x, I, wIh, I, acts, G, 0, bIn, packedIh, work);
  if (!vector) k.packB(1, P, G, wHh, P, packedHh);
  if (proj && !vector) k.packB(1, H, P, wHr, H, packedHr);

  for (let s = 0; s < T; s++) {
    const t = stepTime(s, T, reverse);
    const tPrev = s > 0 ? stepTime(s - 1, T, reverse) : -1;
    const hPrev = tPrev >= 0 ? out + tPrev * B * P * F : h0; // (B, P)
    const aT = acts + t * B * G * F; // (B, G)
    const hT = out + t * B * P * F; // (B, P)
    if (gru) {
      if (vector) k.gemv(G, P, wHh, P, hPrev, gh, 0, bHid);
      else k.gemmPacked(0, B, G, P, hPrev, P, packedHh, gh, G, 0, bHid, work);
      k.gruForwardStep(B, H, aT, gh, hPrev, hhn + t * B * H * F, hT);
      continue;
    }
    if (vector) k.gemv(G, P, wHh, P, hPrev, aT, 1, 0);
    else k.gemmPacked(0, B, G, P, hPrev, P, packedHh, aT, G, 1, 0, work);
    if (!lstm) {
      k.rnnForwardStep(B * H, relu, aT, hT);
      continue;
    }
    const cPrev = tPrev >= 0 ? cells + tPrev * B * H * F : c0; // (B, H)
    const hOut = proj ? hfull + t * B * H * F : hT; // (B, H)
    k.lstmForwardStep(B, H, aT, cPrev, cells + t * B * H * F, hOut);
    if (proj) {
      if (vector) k.gemv(P, H, wHr, H, hOut, hT, 0, 0);
      else k.gemmPacked(0, B, P, H, hOut, H, packedHr, hT, P, 0, 0, work);
    }
  }

  const tLast = stepTime(T - 1, T, reverse);
  a.out.set(f.subarray(out / F, out / F + TB * P));
  a.hN.set(f.subarray(out / F + tLast * B * P, out / F + (tLast + 1) * B * P));
  if (lstm && a.cN !== null) a.cN.set(f.subarray(cells / F + tLast * B * H, cells / F + (tLast + 1) * B * H));
  return cache ?? emptyCache();
}

/** The cache of a call that ran no step (T = 0) or kept nothing (inference). */
function emptyCache(): RecurrentCache {
  const none = new Float32Array(0);
  return { backend: "wasm", buffers: [none, none, none, none] };
}

export function recurrentBackward(ctx: WasmContext, a: RecurrentBackwardArgs): void {
  checkBackward(a);
  const { kernels: k, arena, store } = ctx;
  const { mode, T, B, I, H, P, reverse } = a;
  const G = GATES_PER_UNIT[mode] * H;
  const TB = T * B;
  const lstm = mode === "lstm";
  const gru = mode === "gru";
  const proj = a.wHr !== null;
  const relu = mode === "rnn_relu" ? 1 : 0;
  const where = "wasm backend.recurrentBackward";
  if (T === 0) {
    if (a.dh0 !== null) a.dh0.set(a.dHN ?? new Float32Array(B * P));
    if (a.dc0 !== null) a.dc0.set(a.dCN ?? new Float32Array(B * H));
    return;
  }
  // The cache is read in place when it is resident in this backend's memory, else copied in.
  const resident = a.cache instanceof WasmCache && a.cache.residentOffset(store, 0) !== null ? a.cache : null;
  const lengths = resident !== null ? resident.lengths : a.cache.buffers.map((b) => b.length);
  if (lengths.length !== 4) {
    throw new Error(`${where}: the cache has ${lengths.length} buffers, expected 4 (acts, c, hfull, hhn)`);
  }
  const expect: [string, boolean, string, number[]][] = [
    ["acts", lstm || gru, "(T, B, G)", [T, B, G]],
    ["c", lstm, "(T, B, H)", [T, B, H]],
    ["hfull", proj, "(T, B, H)", [T, B, H]],
    ["hhn", gru, "(T, B, H)", [T, B, H]],
  ];
  expect.forEach(([name, needed, shape, dims], i) => {
    const want = dims.reduce((p, d) => p * d, 1);
    if (needed && lengths[i] !== want) {
      throw new Error(
        `${where}: cache ${name} has ${lengths[i]} floats, expected ${shape} = (${dims.join(", ")}) = ${want} (was forward run with training: true on the same shapes?)`,
      );
    }
  });
  const copied = (i: number, floats: number): number => (resident === null ? arena.alloc(floats) : resident.residentOffset(store, i)!);
  const needDx = a.dx !== null;
  const needDWIh = a.dWIh !== null;

  arena.reset(store.top);
  const x = needDWIh ? arena.alloc(TB * I) : 0; // (T, B, I)
  const wIh = needDx ? arena.alloc(G * I) : 0; // (G, I)
  const wHh = arena.alloc(G * P); // (G, P)
  const wHr = proj ? arena.alloc(P * H) : 0; // (P, H)
  const acts = lstm || gru ? copied(0, TB * G) : 0; // (T, B, G)
  const cells = lstm ? copied(1, TB * H) : 0; // (T, B, H)
  const hfull = proj ? copied(2, TB * H) : 0; // (T, B, H)
  const hhn = gru ? copied(3, TB * H) : 0; // (T, B, H)
  const c0 = lstm ? arena.alloc(B * H) : 0; // (B, H)
  const hPrevAll = arena.alloc(TB * P); // (T, B, P): the state each step started from
  const outAll = mode === "rnn_tanh" || mode === "rnn_relu" ? arena.alloc(TB * P) : 0; // (T, B, P)
  const dH = arena.alloc(TB * P); // (T, B, P): full gradient reaching each step's output
  const dGx = arena.alloc(TB * G); // (T, B, G): gradient of the input-side pre-activations
  // GRU's hidden-side gradient differs from the input side in the n gate (r*(…)); others share dGx.
  const dGh = gru ? arena.alloc(TB * G) : dGx; // (T, B, G)
  const dc = lstm ? arena.alloc(B * H) : 0; // (B, H): gradient reaching the cell state
  const dhFull = proj ? arena.alloc(B * H) : 0; // (B, H): gradient reaching o*tanh(c)
  const dh0 = arena.alloc(B * P); // (B, P)
  const packedHh = arena.alloc(k.packedBFloats(G, P)); // W_hh (G, P) packed
  const packedHr = proj ? arena.alloc(k.packedBFloats(P, H)) : 0; // W_hr (P, H) packed
  const dWIh = needDWIh ? arena.alloc(G * I) : 0; // (G, I)
  const dWHh = a.dWHh !== null ? arena.alloc(G * P) : 0; // (G, P)
  const dWHr = proj && a.dWHr !== null ? arena.alloc(P * H) : 0; // (P, H)
  const dB = a.dBIh !== null || a.dBHh !== null ? arena.alloc(G) : 0; // (G)
  const dx = needDx ? arena.alloc(TB * I) : 0; // (T, B, I)
  const packed = arena.alloc(
    Math.max(k.packedBFloats(TB, I), k.packedBFloats(TB, P), k.packedBFloats(G, I), proj ? k.packedBFloats(TB, H) : 0),
  );
  const work = arena.alloc(k.gemmWorkFloats());
  const f = arena.view();

  if (needDWIh) f.set(a.x, x / F);
  if (needDx) f.set(a.wIh, wIh / F);
  f.set(a.wHh, wHh / F);
  if (a.wHr !== null) f.set(a.wHr, wHr / F);
  if (resident === null) {
    const [cActs, cCells, cHfull, cHhn] = a.cache.buffers;
    if (lstm || gru) f.set(cActs!, acts / F);
    if (lstm) f.set(cCells!, cells / F);
    if (proj) f.set(cHfull!, hfull / F);
    if (gru) f.set(cHhn!, hhn / F);
  }
  if (lstm) {
    if (a.c0 !== null) f.set(a.c0, c0 / F);
    else f.fill(0, c0 / F, c0 / F + B * H);
  }
  // hPrevAll[t] = out[t - 1] (out[t + 1] when reverse), and h0 for the first processed step.
  const BP = B * P;
  if (!reverse) {
    f.set(a.h0, hPrevAll / F);
    f.set(a.out.subarray(0, (T - 1) * BP), hPrevAll / F + BP);
  } else {
    f.set(a.out.subarray(BP), hPrevAll / F);
    f.set(a.h0, hPrevAll / F + (T - 1) * BP);
  }
  if (outAll !== 0) f.set(a.out, outAll / F);
  if (a.dOut !== null) f.set(a.dOut, dH / F);
  else f.fill(0, dH / F, dH / F + TB * P);
  if (a.dHN !== null) {
    const at = dH / F + stepTime(T - 1, T, reverse) * BP;
    for (let i = 0; i < BP; i++) f[at + i]! += a.dHN[i]!;
  }
  if (lstm) {
    if (a.dCN !== null) f.set(a.dCN, dc / F);
    else f.fill(0, dc / F, dc / F + B * H);
  }

  k.packB(0, G, P, wHh, P, packedHh);
  if (proj) k.packB(0, P, H, wHr, H, packedHr);
  for (let s = T - 1; s >= 0; s--) {
    const t = stepTime(s, T, reverse);
    const tPrev = s > 0 ? stepTime(s - 1, T, reverse) : -1;
    const dHT = dH + t * BP * F; // (B, P), complete: later steps have added into it
    // Where the gradient of h_prev goes: the previous step's dH row, or dh0 after the first step.
    const dHPrev = tPrev >= 0 ? dH + tPrev * BP * F : dh0; // (B, P)
    const dGxT = dGx + t * B * G * F; // (B, G)
    const dGhT = dGh + t * B * G * F; // (B, G)
    if (lstm) {
      let dhH = dHT;
      if (proj) {
        k.gemmPacked(0, B, H, P, dHT, P, packedHr, dhFull, H, 0, 0, work);
        dhH = dhFull;
      }
      const cPrev = tPrev >= 0 ? cells + tPrev * B * H * F : c0;
      k.lstmBackwardStep(B, H, acts + t * B * G * F, cells + t * B * H * F, cPrev, dhH, dc, dGxT);
    } else if (gru) {
      if (tPrev < 0) f.fill(0, dh0 / F, dh0 / F + BP);
      const hPrev = hPrevAll + t * BP * F;
      k.gruBackwardStep(B, H, acts + t * B * G * F, hhn + t * B * H * F, hPrev, dHT, dGxT, dGhT, dHPrev);
    } else {
      k.rnnBackwardStep(B * H, relu, outAll + t * BP * F, dHT, dGxT);
    }
    // dh_prev (+)= dGates_h (B, G) · W_hh (G, P); only GRU has a direct path already in place.
    if (tPrev >= 0 || a.dh0 !== null) k.gemmPacked(0, B, P, G, dGhT, G, packedHh, dHPrev, P, tPrev >= 0 || gru ? 1 : 0, 0, work);
  }

  // Parameter gradients, one GEMM each over all steps; they accumulate into the caller's arrays.
  if (a.dWIh !== null) {
    f.set(a.dWIh, dWIh / F);
    k.gemm(1, 0, G, I, TB, dGx, G, x, I, dWIh, I, 1, 0, packed, work);
    a.dWIh.set(f.subarray(dWIh / F, dWIh / F + G * I));
  }
  if (a.dx !== null) {
    k.gemm(0, 0, TB, I, G, dGx, G, wIh, I, dx, I, 0, 0, packed, work);
    a.dx.set(f.subarray(dx / F, dx / F + TB * I));
  }
  if (a.dWHh !== null) {
    f.set(a.dWHh, dWHh / F);
    k.gemm(1, 0, G, P, TB, dGh, G, hPrevAll, P, dWHh, P, 1, 0, packed, work);
    a.dWHh.set(f.subarray(dWHh / F, dWHh / F + G * P));
  }
  if (a.dWHr !== null && proj) {
    f.set(a.dWHr, dWHr / F);
    k.gemm(1, 0, P, H, TB, dH, P, hfull, H, dWHr, H, 1, 0, packed, work);
    a.dWHr.set(f.subarray(dWHr / F, dWHr / F + P * H));
  }
  const biasGrads: [Float32Array | null, number][] = [[a.dBIh, dGx], [a.dBHh, dGh]];
  for (const [dst, src] of biasGrads) {
    if (dst === null) continue;
    f.set(dst, dB / F);
    k.colsumAccumulate(TB, G, src, dB);
    dst.set(f.subarray(dB / F, dB / F + G));
  }
  if (a.dh0 !== null) a.dh0.set(f.subarray(dh0 / F, dh0 / F + BP));
  if (a.dc0 !== null && lstm) a.dc0.set(f.subarray(dc / F, dc / F + B * H));
  resident?.consume();
}
