// Column sums: dst (cols) += Σ_rows src (rows, cols) for bias gradients, and the weighted form
// dst (cols) (+)= Σ_rows w[r] · src (r, cols), which is a matrix product with one row or one
// column (xᵀ · A or Aᵀ · x: a weight gradient of a layer with one input or one output) done in one
// pass over A instead of a packed GEMM that would use one column of eight.
// src has row stride `stride` floats (>= cols: threads each take a band of columns).
// Columns are summed in strips of 16 (one 64-byte cache line per row, four f32x4 registers), so
// every line of src is read once, walking down the rows. Rows are summed in blocks of 64 and the
// block sums added, which keeps the float32 rounding error near that of a pairwise sum.
import { ld, st } from "./math";

const BLOCK: i32 = 64;

/** One row's contribution: the row itself, or the row scaled by its weight. */
// @ts-ignore: decorator
@inline
function term(weighted: bool, v: v128, w: v128): v128 {
  return weighted ? f32x4.mul(v, w) : v;
}

// @ts-ignore: decorator
@inline
function strip16(weighted: bool, rows: i32, src: usize, ldBytes: usize, w: usize, wBytes: usize, dst: usize, add: bool): void {
  let t0 = f32x4.splat(0), t1 = f32x4.splat(0), t2 = f32x4.splat(0), t3 = f32x4.splat(0);
  for (let r0 = 0; r0 < rows; r0 += BLOCK) {
    const r1 = min(rows, r0 + BLOCK);
    let p0 = f32x4.splat(0), p1 = f32x4.splat(0), p2 = f32x4.splat(0), p3 = f32x4.splat(0);
    let row = src + <usize>r0 * ldBytes;
    let wr = w + <usize>r0 * wBytes;
    for (let r = r0; r < r1; r++) {
      const s = weighted ? v128.load32_splat(wr) : f32x4.splat(1);
      p0 = f32x4.add(p0, term(weighted, v128.load(row), s));
      p1 = f32x4.add(p1, term(weighted, v128.load(row, 16), s));
      p2 = f32x4.add(p2, term(weighted, v128.load(row, 32), s));
      p3 = f32x4.add(p3, term(weighted, v128.load(row, 48), s));
      row += ldBytes;
      wr += wBytes;
    }
    t0 = f32x4.add(t0, p0);
    t1 = f32x4.add(t1, p1);
    t2 = f32x4.add(t2, p2);
    t3 = f32x4.add(t3, p3);
  }
  if (add) {
    t0 = f32x4.add(v128.load(dst), t0);
    t1 = f32x4.add(v128.load(dst, 16), t1);
    t2 = f32x4.add(v128.load(dst, 32), t2);
    t3 = f32x4.add(v128.load(dst, 48), t3);
  }
  v128.store(dst, t0);
  v128.store(dst, t1, 16);
  v128.store(dst, t2, 32);
  v128.store(dst, t3, 48);
}

// @ts-ignore: decorator
@inline
function strip(W: i32, weighted: bool, rows: i32, src: usize, ldBytes: usize, w: usize, wBytes: usize, dst: usize, add: bool): void {
  let total = f32x4.splat(0);
  for (let r0 = 0; r0 < rows; r0 += BLOCK) {
    const r1 = min(rows, r0 + BLOCK);
    let part = f32x4.splat(0);
    for (let r = r0; r < r1; r++) {
      const s = weighted ? v128.load32_splat(w + <usize>r * wBytes) : f32x4.splat(1);
      part = f32x4.add(part, term(weighted, ld(W, src + <usize>r * ldBytes), s));
    }
    total = f32x4.add(total, part);
  }
  st(W, dst, add ? f32x4.add(ld(W, dst), total) : total);
}

// @ts-ignore: decorator
@inline
function columns(weighted: bool, rows: i32, cols: i32, src: usize, stride: i32, w: usize, wStride: i32, dst: usize, add: bool): void {
  const ldBytes = <usize>stride << 2;
  const wBytes = <usize>wStride << 2;
  let j = 0;
  for (; j + 16 <= cols; j += 16) strip16(weighted, rows, src + (<usize>j << 2), ldBytes, w, wBytes, dst + (<usize>j << 2), add);
  for (; j + 4 <= cols; j += 4) strip(4, weighted, rows, src + (<usize>j << 2), ldBytes, w, wBytes, dst + (<usize>j << 2), add);
  for (; j < cols; j++) strip(1, weighted, rows, src + (<usize>j << 2), ldBytes, w, wBytes, dst + (<usize>j << 2), add);
}

/** dst (cols) += Σ_r src (r, cols). */
export function colsumAccumulate(rows: i32, cols: i32, src: usize, stride: i32, dst: usize): void {
  columns(false, rows, cols, src, stride, 0, 0, dst, true);
}

/**
 * dst (cols) = Σ_r w[r] · src (r, cols), plus dst when accumulate; w[r] is at w + r * wStride
 * floats. With K = rows this is C (1, N) = x (1, K) · B (K, N), or C (M, 1) = Aᵀ (M, K) · x (K, 1)
 * for A stored (K, M).
 */
export function colsumWeighted(
  rows: i32, cols: i32, src: usize, stride: i32, w: usize, wStride: i32, dst: usize, accumulate: bool,
): void {
  if (accumulate) columns(true, rows, cols, src, stride, w, wStride, dst, true);
  else columns(true, rows, cols, src, stride, w, wStride, dst, false);
}
