// Column sums for bias gradients: dst (cols) += Σ_rows src (rows, cols).
// Columns are summed in strips of 16 (one 64-byte cache line per row, four f32x4 registers), so
// every line of src is read once, walking down the rows. Rows are summed in blocks of 64 and the
// block sums added, which keeps the float32 rounding error near that of a pairwise sum.
import { ld, st } from "./math";

const BLOCK: i32 = 64;

// @ts-ignore: decorator
@inline
function strip16(rows: i32, src: usize, ldBytes: usize, dst: usize): void {
  let t0 = f32x4.splat(0), t1 = f32x4.splat(0), t2 = f32x4.splat(0), t3 = f32x4.splat(0);
  for (let r0 = 0; r0 < rows; r0 += BLOCK) {
    const r1 = min(rows, r0 + BLOCK);
    let p0 = f32x4.splat(0), p1 = f32x4.splat(0), p2 = f32x4.splat(0), p3 = f32x4.splat(0);
    let row = src + <usize>r0 * ldBytes;
    for (let r = r0; r < r1; r++) {
      p0 = f32x4.add(p0, v128.load(row));
      p1 = f32x4.add(p1, v128.load(row, 16));
      p2 = f32x4.add(p2, v128.load(row, 32));
      p3 = f32x4.add(p3, v128.load(row, 48));
      row += ldBytes;
    }
    t0 = f32x4.add(t0, p0);
    t1 = f32x4.add(t1, p1);
    t2 = f32x4.add(t2, p2);
    t3 = f32x4.add(t3, p3);
  }
  v128.store(dst, f32x4.add(v128.load(dst), t0));
  v128.store(dst, f32x4.add(v128.load(dst, 16), t1), 16);
  v128.store(dst, f32x4.add(v128.load(dst, 32), t2), 32);
  v128.store(dst, f32x4.add(v128.load(dst, 48), t3), 48);
}

// @ts-ignore: decorator
@inline
function strip(W: i32, rows: i32, src: usize, ldBytes: usize, dst: usize): void {
  let total = f32x4.splat(0);
  for (let r0 = 0; r0 < rows; r0 += BLOCK) {
    const r1 = min(rows, r0 + BLOCK);
    let part = f32x4.splat(0);
    for (let r = r0; r < r1; r++) part = f32x4.add(part, ld(W, src + <usize>r * ldBytes));
    total = f32x4.add(total, part);
  }
  st(W, dst, f32x4.add(ld(W, dst), total));
}

export function colsumAccumulate(rows: i32, cols: i32, src: usize, dst: usize): void {
  const ldBytes = <usize>cols << 2;
  let j = 0;
  for (; j + 16 <= cols; j += 16) strip16(rows, src + (<usize>j << 2), ldBytes, dst + (<usize>j << 2));
  for (; j + 4 <= cols; j += 4) strip(4, rows, src + (<usize>j << 2), ldBytes, dst + (<usize>j << 2));
  for (; j < cols; j++) strip(1, rows, src + (<usize>j << 2), ldBytes, dst + (<usize>j << 2));
}
