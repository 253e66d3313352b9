/**
 * Cutting kernel work into parts for an Executor. Every cut is by output rows or output columns,
 * never along a sum, and the kernels compute each output element the same way wherever it falls
 * in a tile or a band: so the result does not depend on the number of parts, bit for bit.
 */
import type { Executor } from "./exec.js";
import type { KernelExports } from "./module.js";

const F = 4; // bytes per float
/** GEMM tile rows, tile columns and rows per packed A block (MR, NR, MC of wasm/kernels/gemm.ts). */
const MR = 5;
const NR = 8;
const MC = 120;
/**
 * Hidden units per part come in multiples of this: whole B panels, whole SIMD lanes, and whole
 * 64-byte cache lines, so that two parts never write the same line.
 */
const UNIT_ALIGN = 16;
/** Matrix-vector outputs per part come in multiples of this: whole 16-column strips, whole cache lines. */
const COLUMN_ALIGN = 16;

/**
 * Boundaries 0 = b[0] <= b[1] <= ... <= b[parts] = n that cut n items into `parts` runs of about
 * equal length; every inner boundary is a multiple of `align`.
 */
export function cut(n: number, parts: number, align: number): number[] {
  const b = [0];
  for (let p = 1; p < parts; p++) b.push(Math.min(n, Math.round((n * p) / parts / align) * align));
  b.push(n);
  return b;
}

/** Each part's hidden units: part p runs units units[p] .. units[p + 1] - 1. */
export function cutUnits(H: number, parts: number): number[] {
  return cut(H, parts, UNIT_ALIGN);
}

/** Whether H hidden units give two parts work each (else splitting a step only costs barriers). */
export function unitsSplit(H: number): boolean {
  return H >= 2 * UNIT_ALIGN;
}

/** Columns col0 .. col0 + cols - 1 of a product's output, with their B panels at float `packed` of a packed buffer. */
export interface Band {
  col0: number;
  cols: number;
  packed: number;
}

/** Bands per part, and the floats their packed B panels need in all. */
export interface BandPlan {
  bands: Band[][];
  packedFloats: number;
}

/**
 * For gate-major weights (gates blocks of H columns, PyTorch's i|f|g|o or r|z|n), the columns
 * each part's hidden units touch: gate q's columns q*H + u0 .. q*H + u1 - 1, merged where they
 * meet (one part owning every unit gets one band). K is the depth of the product.
 */
export function gateBands(k: KernelExports, units: number[], gates: number, H: number, K: number): BandPlan {
  const bands: Band[][] = [];
  let packed = 0;
  for (let p = 0; p + 1 < units.length; p++) {
    const u0 = units[p]!;
    const u1 = units[p + 1]!;
    const mine: Band[] = [];
    if (u1 > u0) {
      for (let q = 0; q < gates; q++) {
        const last = mine[mine.length - 1];
        if (last !== undefined && last.col0 + last.cols === q * H + u0) last.cols += u1 - u0;
        else mine.push({ col0: q * H + u0, cols: u1 - u0, packed: 0 });
      }
    }
    for (const band of mine) {
      band.packed = packed;
      packed += k.packedBFloats(K, band.cols);
    }
    bands.push(mine);
  }
  return { bands, packedFloats: packed };
}

/** Bands of plain columns: part p gets columns cols[p] .. cols[p + 1] - 1. */
export function columnBands(k: KernelExports, cols: number[], K: number): BandPlan {
  return gateBands(k, cols, 1, cols[cols.length - 1]!, K);
}

/**
 * Each part packs its own bands of op(B) (K, N), with B at byte offset b (row stride ldb) and
 * the panels going to byte offset `packed`. Each part reads only its own panels later, so no
 * synchronisation is needed before it uses them.
 */
export function packBands(ex: Executor, plan: BandPlan, transB: boolean, K: number, b: number, ldb: number, packed: number): void {
  plan.bands.forEach((bands, part) => {
    for (const band of bands) {
      const from = transB ? b + band.col0 * ldb * F : b + band.col0 * F;
      ex.call(part, "packB", transB ? 1 : 0, K, band.cols, from, ldb, packed + band.packed * F);
    }
  });
}

/** One GEMM: C (M, N) = op(A) · op(B), plus C when accumulate, else plus the bias row when bias != 0. */
export interface GemmCall {
  transA: boolean;
  transB: boolean;
  M: number;
  N: number;
  K: number;
  /** Byte offsets and row strides (floats) of A, B, C; bias is a byte offset or 0. */
  a: number;
  lda: number;
  b: number;
  ldb: number;
  c: number;
  ldc: number;
  accumulate: boolean;
  bias: number;
}

/**
 * A whole GEMM on every part, B packed inside: by column panels when A is short (each part packs
 * the few rows of A itself), else by row tiles (the parts pack B together first). `packed` holds
 * packedBFloats(K, N) floats; works[p] holds gemmWorkFloats() floats for part p. Ends with a sync.
 */
export function splitGemm(ex: Executor, g: GemmCall, packed: number, works: number[]): void {
  if (thinGemm(ex, g)) return;
  const tA = g.transA ? 1 : 0;
  const tB = g.transB ? 1 : 0;
  const acc = g.accumulate ? 1 : 0;
  const parts = ex.parts;
  const panels = Math.ceil(g.N / NR);
  const tiles = Math.ceil(g.M / MR);
  const plan = parts === 1 ? "whole" : g.M <= MC && panels >= parts ? "columns" : tiles >= parts ? "rows" : panels >= parts ? "columns" : "whole";
  if (plan === "whole") {
    ex.call(0, "gemm", tA, tB, g.M, g.N, g.K, g.a, g.lda, g.b, g.ldb, g.c, g.ldc, acc, g.bias, packed, works[0]!);
    ex.sync();
    return;
  }
  // Panel-aligned column cuts: the panel of column j0 starts at float j0 * K of the packed buffer.
  const cols = cut(g.N, parts, NR);
  for (let p = 0; p < parts; p++) {
    const j0 = cols[p]!;
    const j1 = cols[p + 1]!;
    if (j1 === j0) continue;
    ex.call(p, "packB", tB, g.K, j1 - j0, g.transB ? g.b + j0 * g.ldb * F : g.b + j0 * F, g.ldb, packed + j0 * g.K * F);
    if (plan === "columns") {
      const bias = g.bias !== 0 ? g.bias + j0 * F : 0;
      ex.call(p, "gemmPacked", tA, g.M, j1 - j0, g.K, g.a, g.lda, packed + j0 * g.K * F, g.c + j0 * F, g.ldc, acc, bias, works[p]!);
    }
  }
  if (plan === "rows") {
    ex.sync();
    const rows = cut(g.M, parts, MR);
    for (let p = 0; p < parts; p++) {
      const i0 = rows[p]!;
      const i1 = rows[p + 1]!;
      if (i1 === i0) continue;
      const a = g.transA ? g.a + i0 * F : g.a + i0 * g.lda * F;
      ex.call(p, "gemmPacked", tA, i1 - i0, g.N, g.K, a, g.lda, packed, g.c + i0 * g.ldc * F, g.ldc, acc, g.bias, works[p]!);
    }
  }
  ex.sync();
}

/**
 * A product with one output row or column is a matrix-vector product: gemv over the rows of the
 * stored matrix, or a weighted column sum down it; either reads the matrix once, in place, where a
 * packed GEMM would fill one column of eight. Split by output elements. Returns false, doing
 * nothing, for any other product (or a bias, or a vector or output that is not contiguous).
 */
function thinGemm(ex: Executor, g: GemmCall): boolean {
  if (g.K === 0 || g.bias !== 0 || (g.M !== 1 && g.N !== 1)) return false;
  const column = g.N === 1;
  // The operand that is a vector and its stride, the other operand, and whether that one's stored
  // rows run along the output (gemv) or down the sum (weighted column sums).
  const [n, vec, step, mat, ld, rowsAlongOut] = column
    ? [g.M, g.b, g.transB ? 1 : g.ldb, g.a, g.lda, !g.transA]
    : [g.N, g.a, g.transA ? g.lda : 1, g.b, g.ldb, g.transB];
  if (step !== 1 || (column && g.ldc !== 1)) return false;
  const acc = g.accumulate ? 1 : 0;
  const b = cut(n, ex.parts, COLUMN_ALIGN);
  for (let p = 0; p < ex.parts; p++) {
    const i0 = b[p]!;
    const i1 = b[p + 1]!;
    if (i1 === i0) continue;
    if (rowsAlongOut) ex.call(p, "gemv", i1 - i0, g.K, mat + i0 * ld * F, ld, vec, g.c + i0 * F, acc, 0);
    else ex.call(p, "colsumWeighted", g.K, i1 - i0, mat + i0 * F, ld, vec, 1, g.c + i0 * F, acc);
  }
  ex.sync();
  return true;
}

/**
 * The product whose output rows are the bands' columns of A: C (rows of the bands, N) (+)=
 * op(A)[band rows] · B, with A stored (K, M) and read transposed (the parameter gradients
 * dW = dGᵀ · X, where part p wrote the columns of dG in its bands and so reads them from its own
 * cache). The parts pack B (K, N), stored row-major with stride ldb, together first. `packed`
 * holds packedBFloats(K, N) floats. Ends with a sync.
 */
export function bandRowsGemm(
  ex: Executor, plan: BandPlan, N: number, K: number, a: number, lda: number, b: number, ldb: number,
  c: number, ldc: number, accumulate: boolean, packed: number, works: number[],
): void {
  if (N === 1 && ldc === 1 && K > 0) {
    // One output column (a layer with one input): weighted column sums of A, no packing.
    plan.bands.forEach((bands, part) => {
      for (const band of bands) ex.call(part, "colsumWeighted", K, band.cols, a + band.col0 * F, lda, b, ldb, c + band.col0 * ldc * F, accumulate ? 1 : 0);
    });
    ex.sync();
    return;
  }
  const cols = cut(N, ex.parts, NR);
  for (let p = 0; p < ex.parts; p++) {
    const j0 = cols[p]!;
    const j1 = cols[p + 1]!;
    if (j1 > j0) ex.call(p, "packB", 0, K, j1 - j0, b + j0 * F, ldb, packed + j0 * K * F);
  }
  ex.sync();
  plan.bands.forEach((bands, part) => {
    for (const band of bands) {
      ex.call(part, "gemmPacked", 1, band.cols, N, K, a + band.col0 * F, lda, packed, c + band.col0 * ldc * F, ldc, accumulate ? 1 : 0, 0, works[part]!);
    }
  });
  ex.sync();
}

/** dst (cols) += column sums of src (rows, cols) over the bands' columns, each part its own. Ends with a sync. */
export function bandColsum(ex: Executor, plan: BandPlan, rows: number, cols: number, src: number, dst: number): void {
  plan.bands.forEach((bands, part) => {
    for (const band of bands) ex.call(part, "colsumAccumulate", rows, band.cols, src + band.col0 * F, cols, dst + band.col0 * F);
  });
  ex.sync();
}
