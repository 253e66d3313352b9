/**
 * Whole-sequence recurrent layers on the SIMD kernels: the drivers that lay buffers out in linear
 * memory and call the per-step kernels of wasm/kernels (lstm.ts, gru.ts, rnn.ts, gemm.ts), for the
 * built-in cells rnn_tanh, rnn_relu, lstm and gru. Other fused cells have their own driver
 * (fused.ts lists them), to which the two entry points hand the call first.
 *
 * Symbols: B batch, T time steps, I input size, H hidden size, P recurrent width (projSize, or H),
 * G gate rows (H for RNN, 4H for LSTM, 3H for GRU). Every buffer comment gives its shape.
 *
 * Work plan. Forward: one GEMM for every step's input projection (x W_ihᵀ + biases, biases folded
 * into the GEMM's start value; a row lookup in W_ihᵀ when x is one-hot rows, done step by step
 * into one (B, G) block when nothing is kept for backward); per step one
 * (B, P) × (P, G) GEMM against W_hhᵀ packed once per call, then one fused pass for the gate math
 * (batch 1 uses a matrix-vector product on W_hh as stored instead). When [h_prev | x_t] fits one
 * packed block (P + I <= 256, LSTM and RNN), each step's product takes both instead, against
 * [W_hh | W_ih]ᵀ, and the separate projection is skipped. Backward: per step the fused gate
 * gradient pass and one (B, G) × (G, P) GEMM for the recurrent gradient; after the loop each
 * parameter gradient is one GEMM over all T·B rows.
 *
 * Threads (exec.ts, split.ts). Each part owns a range of hidden units: the gate columns of those
 * units in the input projection, in each step's product and gate math, and in the parameter
 * gradients, so most of what a part reads it wrote itself; a step ends with one barrier (two with a
 * projection), where the next step needs every part's h or dh. Backward cuts dh_prev (B, P) by the
 * same units, so a part's next step reads its own columns. Nothing is cut along a sum: the results
 * are the same, bit for bit, on any number of threads.
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
import { cellDriver, fusedGates } from "./fused.js";
import type { WasmContext } from "./context.js";
import { WasmCache } from "./resident.js";
import { oneHotColumns } from "./one-hot.js";
import { bandColsum, bandRowsGemm, columnBands, cutUnits, gateBands, packBands, splitGemm, unitsSplit } from "./split.js";
import { checkBackward, checkForward } from "./validate.js";
import { stepRows, sumBiases } from "./cell-sequence.js";
import { activationCode } from "./variant.js";
import type { CellActivations, CellName } from "../../nn/cells/spec.js";

/**
 * The kernel codes of a call's nonlinearities (variant.ts), or null for the cell's defaults, which
 * run on the default kernels; rnn is the code of its candidate (0 tanh for rnn_tanh, 1 relu for rnn_relu).
 */
function kernelCodes(where: string, mode: CellName, a: CellActivations | undefined): { gate: number; cand: number; rnn: number } | null {
  const rnnDefault = mode === "rnn_relu" ? 1 : 0;
  if (a === undefined) return mode === "lstm" || mode === "gru" ? null : { gate: 2, cand: rnnDefault, rnn: rnnDefault };
  const gate = mode === "lstm" || mode === "gru" ? activationCode(a.gate) : 2;
  const cand = activationCode(a.candidate);
  if (gate === undefined || cand === undefined) throw new Error(`${where}: no kernel for activations gate=${a.gate}, candidate=${a.candidate} (runsFused("${mode}", …) is false)`);
  return { gate, cand, rnn: cand };
}

const F = 4; // bytes per float


export function recurrentForward(ctx: WasmContext, a: RecurrentForwardArgs): RecurrentCache {
  const driver = cellDriver(a.mode);
  if (driver !== undefined) return driver.forward(ctx, a);
  checkForward(a);
  const { kernels: k, arena, store } = ctx;
  const { mode, T, B, I, H, P, reverse } = a;
  const gates = fusedGates("wasm backend.recurrentForward", mode);
  const G = gates * H;
  const steps = stepRows("wasm backend.recurrentForward", T, B, reverse, a.batchSizes);
  const TB = steps.rows; // T·B, or N packed
  const lstm = mode === "lstm";
  const gru = mode === "gru";
  const proj = a.wHr !== null;
  const vector = B === 1;
  const codes = kernelCodes("wasm backend.recurrentForward", mode, a.activations);
  const rnnCode = codes?.rnn ?? 0;
  if (T === 0) {
    a.hN.set(a.h0);
    if (a.cN !== null) a.cN.set(a.c0 ?? new Float32Array(B * H));
    return emptyCache();
  }
  // GRU keeps b_hh apart (r scales h_n + b_hn); the other cells add it to the input projection.
  const inputBias = gru ? a.bIh : sumBiases(a.bIh, a.bHh);
  const hiddenBias = gru ? a.bHh : null;
  // Parts own hidden units (their gate columns everywhere) and the projection's output columns.
  const ex = ctx.executor(unitsSplit(H) ? B * G * P : 0);
  const parts = ex.parts;
  const units = cutUnits(H, parts);
  // One-hot rows make the input projection a lookup in W_ihᵀ (one-hot.ts).
  const hot = oneHotColumns(a.x, TB, I); // (T·B) column of each row's 1
  // Otherwise, where [h_prev | x] fits one packed block, each step multiplies it by [W_hh | W_ih]ᵀ:
  // the input terms then need no pass of their own and acts no accumulation (GRU keeps the two
  // sides apart, batch 1 multiplies W_hh as stored).
  const joined = !gru && !vector && hot === null && P + I <= k.gemmBlockDepth();
  const K = joined ? P + I : P; // depth of each step's product
  const ih = gateBands(k, units, gates, H, I); // W_ihᵀ (I, G) in bands of gate columns
  const hh = gateBands(k, units, gates, H, K); // W_hhᵀ (P, G), or [W_hh | W_ih]ᵀ (P + I, G), in the same bands
  const projCols = cutUnits(P, parts);
  const hr = columnBands(k, projCols, H); // W_hrᵀ (H, P) in bands of columns

  // Training keeps what backward needs in a resident slot; the kernels write it there directly.
  const cache = a.training && (lstm || gru) ? store.create([TB * G, lstm ? TB * H : 0, proj ? TB * H : 0, gru ? TB * H : 0]) : null;
  const kept = (i: number, floats: number): number => (cache === null ? arena.alloc(floats) : cache.residentOffset(store, i)!);
  // Without training, nothing keeps the activations: one-hot rows are then looked up step by step
  // into one (B, G) block that stays in cache, instead of all T·B rows written out before the loop
  // and read back from memory (26 MB for W4-b64). The same additions, so the same bits.
  const stepwise = hot !== null && !a.training;
  arena.reset(store.top);
  const x = hot === null ? arena.alloc(TB * I) : 0; // (T, B, I)
  const wIh = joined ? 0 : arena.alloc(G * I); // (G, I), or W_ihᵀ (I, G) for lookups
  const index = hot === null ? 0 : arena.alloc(TB); // (T·B) Int32
  const wHh = arena.alloc(G * K); // (G, P), or [W_hh | W_ih] (G, P + I)
  const wHr = proj ? arena.alloc(P * H) : 0; // (P, H)
  const bIn = inputBias !== null ? arena.alloc(G) : 0; // (G)
  const bHid = hiddenBias !== null ? arena.alloc(G) : 0; // (G)
  const h0 = arena.alloc(B * P); // (B, P)
  const c0 = lstm ? arena.alloc(B * H) : 0; // (B, H)
  const acts = kept(0, stepwise ? B * G : TB * G); // (T, B, G): pre-activations, then activations; (B, G) when stepwise
  const cells = lstm ? kept(1, TB * H) : 0; // (T, B, H)
  const hfull = proj ? kept(2, TB * H) : 0; // (T, B, H)
  const hhn = gru ? kept(3, TB * H) : 0; // (T, B, H)
  const gh = gru ? arena.alloc(B * G) : 0; // (B, G) one step's h_prev W_hhᵀ + b_hh
  const mask = a.recurrentMask != null ? arena.alloc(B * P) : 0; // (B, P) recurrent dropout mask
  // Each part multiplies h_prev by the mask into its own copy, so no part waits for another.
  const hMasked = mask !== 0 ? Array.from({ length: parts }, () => arena.alloc(B * P)) : []; // (B, P) each
  const out = arena.alloc(TB * P); // (T, B, P)
  const packedIh = hot === null && !joined ? arena.alloc(ih.packedFloats) : 0; // W_ihᵀ bands packed
  const packedHh = vector ? 0 : arena.alloc(hh.packedFloats); // W_hhᵀ bands packed
  const packedHr = proj && !vector ? arena.alloc(hr.packedFloats) : 0; // W_hrᵀ bands packed
  const works = allocWorks(ctx, parts);
  // Each part packs h_prev (B, P), or [h_prev | x_t], once per step for all its bands.
  const packedH = vector ? [] : Array.from({ length: parts }, () => arena.alloc(k.packedAFloats(B, K)));
  const f = arena.view();
  if (hot !== null) {
    new Int32Array(f.buffer, index, TB).set(hot);
    setTransposed(f, wIh / F, a.wIh, G, I);
  } else {
    f.set(a.x, x / F);
    if (!joined) f.set(a.wIh, wIh / F);
  }
  if (joined) {
    for (let g = 0; g < G; g++) {
      f.set(a.wHh.subarray(g * P, (g + 1) * P), wHh / F + g * K);
      f.set(a.wIh.subarray(g * I, (g + 1) * I), wHh / F + g * K + P);
    }
  } else {
    f.set(a.wHh, wHh / F);
  }
  if (a.wHr !== null) f.set(a.wHr, wHr / F);
  if (inputBias !== null) f.set(inputBias, bIn / F);
  if (hiddenBias !== null) f.set(hiddenBias, bHid / F);
  f.set(a.h0, h0 / F);
  if (mask !== 0) f.set(a.recurrentMask!, mask / F);
  if (lstm) {
    if (a.c0 !== null) f.set(a.c0, c0 / F);
    else f.fill(0, c0 / F, c0 / F + B * H);
  }

  // Every step's input projection in one GEMM per band: acts (T·B, G) = x (T·B, I) · W_ihᵀ + bias.
  // Each part fills the gate columns its steps will read, so they are in its own cache.
  if (hot === null && !joined) packBands(ex, ih, true, I, wIh, I, packedIh);
  if (!joined && !stepwise) {
    ih.bands.forEach((bands, part) => {
      for (const band of bands) {
        const col = band.col0 * F;
        const bias = bIn !== 0 ? bIn + col : 0;
        if (hot !== null) ex.call(part, "gatherRows", TB, band.cols, wIh + col, G, index, bias, acts + col, G);
        else ex.call(part, "gemmPacked", 0, TB, band.cols, I, x, I, packedIh + band.packed * F, acts + col, G, 0, bias, works[part]!);
      }
    });
  }
  if (!vector) packBands(ex, hh, true, K, wHh, K, packedHh);
  if (proj && !vector) packBands(ex, hr, true, H, wHr, H, packedHr);

  for (let s = 0; s < T; s++) {
    const r = steps.first[s]!; // this step's first row
    const rPrev = s > 0 ? steps.first[s - 1]! : -1;
    const Bs = steps.count[s]!; // rows this step runs
    const hPrev = rPrev >= 0 ? out + rPrev * P * F : h0; // (Bs, P)
    const aT = stepwise ? acts : acts + r * G * F; // (Bs, G)
    const hT = out + r * P * F; // (Bs, P)
    const cPrev = rPrev >= 0 ? cells + rPrev * H * F : c0; // (Bs, H)
    const hOut = proj ? hfull + r * H * F : hT; // (Bs, H)
    for (let p = 0; p < parts; p++) {
      // The recurrent product for this part's gate columns: GRU keeps it apart in gh (with b_hh),
      // the others add it to the input projection already in acts, or (joined) write all of acts.
      // With a recurrent mask the product reads h_prev * mask (the GRU's carry still reads h_prev).
      const hIn = mask !== 0 ? hMasked[p]! : hPrev; // (Bs, P)
      if (stepwise) {
        // This step's input projection for this part's gate columns: rows r .. r + Bs - 1 of the lookup.
        for (const band of ih.bands[p]!) {
          const col = band.col0 * F;
          ex.call(p, "gatherRows", Bs, band.cols, wIh + col, G, index + r * 4, bIn !== 0 ? bIn + col : 0, aT + col, G);
        }
      }
      if (mask !== 0 && hh.bands[p]!.length > 0) ex.call(p, "maskRows", Bs, P, hPrev, P, mask, P, hIn, P, 0);
      if (!vector && hh.bands[p]!.length > 0) {
        if (joined) ex.call(p, "packAJoined", Bs, P, hIn, P, I, x + r * I * F, I, packedH[p]!);
        else ex.call(p, "packAPanels", 0, Bs, P, hIn, P, packedH[p]!);
      }
      for (const band of hh.bands[p]!) {
        const col = band.col0 * F;
        const dst = gru ? gh + col : aT + col;
        const acc = gru || joined ? 0 : 1;
        const bias = gru ? (bHid !== 0 ? bHid + col : 0) : joined && bIn !== 0 ? bIn + col : 0;
        if (vector) ex.call(p, "gemv", band.cols, P, wHh + band.col0 * P * F, P, hIn, dst, acc, bias);
        else ex.call(p, "gemmPrepacked", Bs, band.cols, K, packedH[p]!, packedHh + band.packed * F, dst, G, acc, bias, works[p]!);
      }
      const u0 = units[p]!;
      const U = units[p + 1]! - u0;
      if (U === 0) continue;
      const o = u0 * F;
      if (gru && codes !== null) ex.call(p, "gruForwardStepAct", Bs, H, U, codes.gate, codes.cand, aT + o, gh + o, hPrev + o, hhn + r * H * F + o, hT + o);
      else if (gru) ex.call(p, "gruForwardStep", Bs, H, U, aT + o, gh + o, hPrev + o, hhn + r * H * F + o, hT + o);
      else if (lstm && codes !== null) ex.call(p, "lstmForwardStepAct", Bs, H, U, codes.gate, codes.cand, aT + o, cPrev + o, cells + r * H * F + o, hOut + o);
      else if (lstm) ex.call(p, "lstmForwardStep", Bs, H, U, aT + o, cPrev + o, cells + r * H * F + o, hOut + o);
      else ex.call(p, "rnnForwardStep", Bs, H, U, rnnCode, aT + o, hT + o);
    }
    ex.sync();
    if (proj) {
      // h (B, P) = o*tanh(c) (B, H) · W_hrᵀ, by output columns.
      for (let p = 0; p < parts; p++) {
        for (const band of hr.bands[p]!) {
          const dst = hT + band.col0 * F;
          if (vector) ex.call(p, "gemv", band.cols, H, wHr + band.col0 * H * F, H, hOut, dst, 0, 0);
          else ex.call(p, "gemmPacked", 0, Bs, band.cols, H, hOut, H, packedHr + band.packed * F, dst, P, 0, 0, works[p]!);
        }
      }
      ex.sync();
    }
  }
  ex.finish();

  a.out.set(f.subarray(out / F, out / F + TB * P));
  for (let b = 0; b < B; b++) {
    const row = steps.last[b]!;
    a.hN.set(f.subarray(out / F + row * P, out / F + (row + 1) * P), b * P);
    if (lstm && a.cN !== null) a.cN.set(f.subarray(cells / F + row * H, cells / F + (row + 1) * H), b * H);
  }
  return cache ?? emptyCache();
}

/** Writes the transpose of m (rows, cols) into f from float `at`: (cols, rows). */
function setTransposed(f: Float32Array, at: number, m: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) f[at + c * rows + r] = m[r * cols + c]!;
  }
}

/** One gemmWorkFloats() scratch block per part. */
function allocWorks(ctx: WasmContext, parts: number): number[] {
  const floats = ctx.kernels.gemmWorkFloats();
  return Array.from({ length: parts }, () => ctx.arena.alloc(floats));
}

/** The cache of a call that ran no step (T = 0) or kept nothing (inference). */
function emptyCache(): RecurrentCache {
  const none = new Float32Array(0);
  return { backend: "wasm", buffers: [none, none, none, none] };
}

export function recurrentBackward(ctx: WasmContext, a: RecurrentBackwardArgs): void {
  const driver = cellDriver(a.mode);
  if (driver !== undefined) return driver.backward(ctx, a);
  checkBackward(a);
  const { kernels: k, arena, store } = ctx;
  const { mode, T, B, I, H, P, reverse } = a;
  const where = "wasm backend.recurrentBackward";
  const gates = fusedGates(where, mode);
  const G = gates * H;
  const steps = stepRows(where, T, B, reverse, a.batchSizes);
  const TB = steps.rows; // T·B, or N packed
  const lstm = mode === "lstm";
  const gru = mode === "gru";
  const proj = a.wHr !== null;
  const codes = kernelCodes(where, mode, a.activations);
  const rnnCode = codes?.rnn ?? 0;
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
  const rowsName = a.batchSizes != null ? "(N" : "(T, B";
  const rowDims = a.batchSizes != null ? [TB] : [T, B];
  const expect: [string, boolean, string, number[]][] = [
    ["acts", lstm || gru, `${rowsName}, G)`, [...rowDims, G]],
    ["c", lstm, `${rowsName}, H)`, [...rowDims, H]],
    ["hfull", proj, `${rowsName}, H)`, [...rowDims, H]],
    ["hhn", gru, `${rowsName}, H)`, [...rowDims, H]],
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
  // Parts split each step by hidden units (gate gradients, and the projection's columns of
  // dhFull) and the recurrent gradient dh_prev (B, P) by its columns: without a projection both
  // cuts are the same, so a part's next step reads only what it wrote itself.
  const ex = ctx.executor(unitsSplit(H) ? B * G * P : 0);
  const parts = ex.parts;
  const units = cutUnits(H, parts);
  const pCols = proj ? cutUnits(P, parts) : units;
  const gateCols = gateBands(k, units, gates, H, 0); // each part's columns of dGx, dGh
  const hh = columnBands(k, pCols, G); // W_hh (G, P) in bands of columns
  const hr = columnBands(k, units, P); // W_hr (P, H) in bands of columns

  arena.reset(store.top);
  const hot = needDWIh ? oneHotColumns(a.x, TB, I) : null; // (T·B) column of each row's 1, see forward
  const x = needDWIh && hot === null ? arena.alloc(TB * I) : 0; // (T, B, I)
  const index = hot === null ? 0 : arena.alloc(TB); // (T·B) Int32
  const dWIhT = hot === null ? 0 : arena.alloc(I * G); // (I, G): xᵀ · dGx, scattered by rows
  const wIh = needDx ? arena.alloc(G * I) : 0; // (G, I)
  const wHh = arena.alloc(G * P); // (G, P)
  const wHr = proj ? arena.alloc(P * H) : 0; // (P, H)
  const acts = lstm || gru ? copied(0, TB * G) : 0; // (T, B, G)
  const cells = lstm ? copied(1, TB * H) : 0; // (T, B, H)
  const hfull = proj ? copied(2, TB * H) : 0; // (T, B, H)
  const hhn = gru ? copied(3, TB * H) : 0; // (T, B, H)
  const c0 = lstm ? arena.alloc(B * H) : 0; // (B, H)
  const hPrevAll = arena.alloc(TB * P); // (T, B, P): the state each step started from
  const maskArr = a.recurrentMask ?? null; // (B, P)
  const mask = maskArr !== null ? arena.alloc(B * P) : 0; // (B, P)
  const hmAll = maskArr !== null ? arena.alloc(TB * P) : hPrevAll; // (T, B, P): what entered each recurrent product
  const dhRec = maskArr !== null ? arena.alloc(B * P) : 0; // (B, P): one step's dGates_h · W_hh before the mask
  const outAll = mode === "rnn_tanh" || mode === "rnn_relu" ? arena.alloc(TB * P) : 0; // (T, B, P)
  const dH = arena.alloc(TB * P); // (T, B, P): full gradient reaching each step's output
  const dGx = arena.alloc(TB * G); // (T, B, G): gradient of the input-side pre-activations
  // GRU's hidden-side gradient differs from the input side in the n gate (r*(…)); others share dGx.
  const dGh = gru ? arena.alloc(TB * G) : dGx; // (T, B, G)
  const dc = lstm ? arena.alloc(B * H) : 0; // (B, H): gradient reaching the cell state
  const dhFull = proj ? arena.alloc(B * H) : 0; // (B, H): gradient reaching o*tanh(c)
  const dh0 = arena.alloc(B * P); // (B, P)
  const packedHh = arena.alloc(hh.packedFloats); // W_hh bands packed
  const packedHr = proj ? arena.alloc(hr.packedFloats) : 0; // W_hr bands packed
  const dWIh = needDWIh ? arena.alloc(G * I) : 0; // (G, I)
  const dWHh = a.dWHh !== null ? arena.alloc(G * P) : 0; // (G, P)
  const dWHr = proj && a.dWHr !== null ? arena.alloc(P * H) : 0; // (P, H)
  const dBIh = a.dBIh !== null ? arena.alloc(G) : 0; // (G)
  const dBHh = a.dBHh !== null ? arena.alloc(G) : 0; // (G)
  const dBSum = a.dBIh !== null && a.dBHh !== null && !gru ? arena.alloc(G) : 0; // (G): Σ_t,b dGates
  const dx = needDx ? arena.alloc(TB * I) : 0; // (T, B, I)
  const packed = arena.alloc(
    Math.max(k.packedBFloats(TB, I), k.packedBFloats(TB, P), k.packedBFloats(G, I), proj ? k.packedBFloats(TB, H) : 0),
  );
  const works = allocWorks(ctx, parts);
  const f = arena.view();

  if (x !== 0) f.set(a.x, x / F);
  if (hot !== null) {
    new Int32Array(f.buffer, index, TB).set(hot);
    f.fill(0, dWIhT / F, dWIhT / F + I * G);
  }
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
  // Each step's rows of hPrevAll: the previous step's first rows of out, or h0 for the first step.
  const BP = B * P;
  for (let s = 0; s < T; s++) {
    const n = steps.count[s]! * P;
    const from = s > 0 ? a.out.subarray(steps.first[s - 1]! * P, steps.first[s - 1]! * P + n) : a.h0.subarray(0, n);
    f.set(from, hPrevAll / F + steps.first[s]! * P);
    // A step's rows are rows 0 .. count-1 of the batch, so they take the mask's first rows.
    if (maskArr !== null) for (let i = 0, at = hmAll / F + steps.first[s]! * P; i < n; i++) f[at + i] = from[i]! * maskArr[i]!;
  }
  if (maskArr !== null) f.set(maskArr, mask / F);
  if (outAll !== 0) f.set(a.out, outAll / F);
  if (a.dOut !== null) f.set(a.dOut, dH / F);
  else f.fill(0, dH / F, dH / F + TB * P);
  if (a.dHN !== null) {
    // Each row's final state is the output of its last step.
    for (let b = 0; b < B; b++) {
      const at = dH / F + steps.last[b]! * P;
      for (let i = 0; i < P; i++) f[at + i]! += a.dHN[b * P + i]!;
    }
  }
  if (lstm) {
    if (a.dCN !== null) f.set(a.dCN, dc / F);
    else f.fill(0, dc / F, dc / F + B * H);
  }
  // GRU adds its direct path dh * z into dh0 before the recurrent product does.
  if (gru) f.fill(0, dh0 / F, dh0 / F + BP);
  // Parameter gradients accumulate into the caller's values.
  if (a.dWIh !== null) f.set(a.dWIh, dWIh / F);
  if (a.dWHh !== null) f.set(a.dWHh, dWHh / F);
  if (a.dWHr !== null && proj) f.set(a.dWHr, dWHr / F);
  if (a.dBIh !== null) f.set(a.dBIh, dBIh / F);
  if (a.dBHh !== null) f.set(a.dBHh, dBHh / F);
  if (dBSum !== 0) f.fill(0, dBSum / F, dBSum / F + G);

  packBands(ex, hh, false, G, wHh, P, packedHh);
  if (proj) packBands(ex, hr, false, P, wHr, H, packedHr);
  for (let s = T - 1; s >= 0; s--) {
    const r = steps.first[s]!; // this step's first row
    const rPrev = s > 0 ? steps.first[s - 1]! : -1;
    const Bs = steps.count[s]!; // rows this step ran
    const dHT = dH + r * P * F; // (Bs, P), complete: later steps have added into it
    // Where the gradient of h_prev goes: the previous step's dH rows, or dh0 after the first step.
    const dHPrev = rPrev >= 0 ? dH + rPrev * P * F : dh0; // (Bs, P)
    const dGxT = dGx + r * G * F; // (Bs, G)
    const dGhT = dGh + r * G * F; // (Bs, G)
    const cPrev = rPrev >= 0 ? cells + rPrev * H * F : c0; // (Bs, H)
    const hPrev = hPrevAll + r * P * F; // (Bs, P)
    for (let p = 0; p < parts; p++) {
      const u0 = units[p]!;
      const U = units[p + 1]! - u0;
      if (U === 0) continue;
      const o = u0 * F;
      if (lstm) {
        let dhH = dHT; // (B, H): the gradient reaching o*tanh(c)
        if (proj) {
          // This part's columns of dhFull (B, H) = dh (B, P) · W_hr (P, H).
          for (const band of hr.bands[p]!) ex.call(p, "gemmPacked", 0, Bs, band.cols, P, dHT, P, packedHr + band.packed * F, dhFull + band.col0 * F, H, 0, 0, works[p]!);
          dhH = dhFull;
        }
        if (codes !== null) ex.call(p, "lstmBackwardStepAct", Bs, H, U, codes.gate, codes.cand, acts + r * G * F + o, cells + r * H * F + o, cPrev + o, dhH + o, dc + o, dGxT + o);
        else ex.call(p, "lstmBackwardStep", Bs, H, U, acts + r * G * F + o, cells + r * H * F + o, cPrev + o, dhH + o, dc + o, dGxT + o);
      } else if (gru && codes !== null) {
        ex.call(p, "gruBackwardStepAct", Bs, H, U, codes.gate, codes.cand, acts + r * G * F + o, hhn + r * H * F + o, hPrev + o, dHT + o, dGxT + o, dGhT + o, dHPrev + o);
      } else if (gru) {
        ex.call(p, "gruBackwardStep", Bs, H, U, acts + r * G * F + o, hhn + r * H * F + o, hPrev + o, dHT + o, dGxT + o, dGhT + o, dHPrev + o);
      } else {
        ex.call(p, "rnnBackwardStep", Bs, H, U, rnnCode, outAll + r * P * F + o, dHT + o, dGxT + o);
      }
    }
    ex.sync();
    // dh_prev (+)= dGates_h (B, G) · W_hh (G, P), by columns; only GRU has a direct path already in place.
    if (rPrev >= 0 || a.dh0 !== null) {
      const acc = rPrev >= 0 || gru ? 1 : 0;
      for (let p = 0; p < parts; p++) {
        for (const band of hh.bands[p]!) {
          const col = band.col0 * F;
          if (mask === 0) ex.call(p, "gemmPacked", 0, Bs, band.cols, G, dGhT, G, packedHh + band.packed * F, dHPrev + col, P, acc, 0, works[p]!);
          else {
            // The product's gradient reaches h_prev through the mask: (dGates_h · W_hh) * mask.
            ex.call(p, "gemmPacked", 0, Bs, band.cols, G, dGhT, G, packedHh + band.packed * F, dhRec + col, P, 0, 0, works[p]!);
            ex.call(p, "maskRows", Bs, band.cols, dhRec + col, P, mask + col, P, dHPrev + col, P, acc);
          }
        }
      }
    }
    // With a projection the next step's dhFull reads every column of dh_prev.
    if (proj) ex.sync();
  }
  ex.sync();

  // Parameter gradients, one GEMM each over all steps: dW = dGᵀ · X with the rows of dW cut like
  // the columns of dG, so that each part reads the gradients it wrote.
  if (a.dWIh !== null && hot !== null) {
    // One-hot input: each row of dGx adds into the row of dW_ihᵀ its 1 selects.
    gateCols.bands.forEach((bands, part) => {
      for (const band of bands) {
        const col = band.col0 * F;
        ex.call(part, "scatterAddRows", TB, band.cols, dGx + col, G, index, dWIhT + col, G);
        ex.call(part, "transposeAdd", I, band.cols, dWIhT + col, G, dWIh + band.col0 * I * F, I);
      }
    });
    ex.sync();
  } else if (a.dWIh !== null) {
    bandRowsGemm(ex, gateCols, I, TB, dGx, G, x, I, dWIh, I, true, packed, works);
  }
  if (a.dx !== null) {
    splitGemm(ex, { transA: false, transB: false, M: TB, N: I, K: G, a: dGx, lda: G, b: wIh, ldb: I, c: dx, ldc: I, accumulate: false, bias: 0 }, packed, works);
  }
  if (a.dWHh !== null) bandRowsGemm(ex, gateCols, P, TB, dGh, G, hmAll, P, dWHh, P, true, packed, works);
  if (a.dWHr !== null && proj) bandRowsGemm(ex, columnBands(k, pCols, 0), H, TB, dH, P, hfull, H, dWHr, H, true, packed, works);
  if (dBSum !== 0) {
    // Both biases get the same column sums (only GRU tells the two sides apart): sum once.
    bandColsum(ex, gateCols, TB, G, dGx, dBSum);
    bandColsum(ex, gateCols, 1, G, dBSum, dBIh);
    bandColsum(ex, gateCols, 1, G, dBSum, dBHh);
  } else {
    if (a.dBIh !== null) bandColsum(ex, gateCols, TB, G, dGx, dBIh);
    if (a.dBHh !== null) bandColsum(ex, gateCols, TB, G, dGh, dBHh);
  }
  ex.finish();

  if (a.dWIh !== null) a.dWIh.set(f.subarray(dWIh / F, dWIh / F + G * I));
  if (a.dx !== null) a.dx.set(f.subarray(dx / F, dx / F + TB * I));
  if (a.dWHh !== null) a.dWHh.set(f.subarray(dWHh / F, dWHh / F + G * P));
  if (a.dWHr !== null && proj) a.dWHr.set(f.subarray(dWHr / F, dWHr / F + P * H));
  if (a.dBIh !== null) a.dBIh.set(f.subarray(dBIh / F, dBIh / F + G));
  if (a.dBHh !== null) a.dBHh.set(f.subarray(dBHh / F, dBHh / F + G));
  if (a.dh0 !== null) a.dh0.set(f.subarray(dh0 / F, dh0 / F + BP));
  if (a.dc0 !== null && lstm) a.dc0.set(f.subarray(dc / F, dc / F + B * H));
  resident?.consume();
}
