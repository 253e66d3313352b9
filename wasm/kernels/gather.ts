// Row gathers and scatters for inputs made of one-hot rows (x (N, I) with a single 1 per row, as
// oneHot makes for characters): x · Wᵀ is then a lookup of one row of Wᵀ per input row, and the
// weight gradient Wᵀ += xᵀ · dY adds each row of dY into one row. Both replace an N x I x G
// product by N x G additions.
// Pointers are byte offsets; index is an Int32 array of N row numbers, -1 for a row of zeros
// (padding); strides are in floats.

/**
 * dst (r, 0 .. cols-1) = table (index[r], 0 .. cols-1) (+ bias when bias != 0), for r < rows; a
 * row with index -1 gets the bias (or zeros).
 */
export function gatherRows(
  rows: i32, cols: i32, table: usize, ldTable: i32, index: usize, bias: usize, dst: usize, ldDst: i32,
): void {
  const lt = <usize>ldTable << 2;
  const ldd = <usize>ldDst << 2;
  for (let r = 0; r < rows; r++) {
    const row = load<i32>(index + (<usize>r << 2));
    const out = dst + <usize>r * ldd;
    if (row < 0) {
      for (let j = 0; j < cols; j++) store<f32>(out + (<usize>j << 2), bias != 0 ? load<f32>(bias + (<usize>j << 2)) : 0);
      continue;
    }
    const src = table + <usize>row * lt;
    let j = 0;
    if (bias != 0) {
      // bias + w: for finite weights the value a product gives, bias + Σ x_k w_k with one x_k = 1.
      for (; j + 4 <= cols; j += 4) {
        const o = <usize>j << 2;
        v128.store(out + o, f32x4.add(v128.load(bias + o), v128.load(src + o)));
      }
      for (; j < cols; j++) {
        const o = <usize>j << 2;
        store<f32>(out + o, load<f32>(bias + o) + load<f32>(src + o));
      }
    } else {
      for (; j + 4 <= cols; j += 4) v128.store(out + (<usize>j << 2), v128.load(src + (<usize>j << 2)));
      for (; j < cols; j++) store<f32>(out + (<usize>j << 2), load<f32>(src + (<usize>j << 2)));
    }
  }
}

/** dst (index[r], 0 .. cols-1) += src (r, 0 .. cols-1), for r = 0 .. rows-1 in order (index -1: skipped). */
export function scatterAddRows(
  rows: i32, cols: i32, src: usize, ldSrc: i32, index: usize, dst: usize, ldDst: i32,
): void {
  const ls = <usize>ldSrc << 2;
  const ldd = <usize>ldDst << 2;
  for (let r = 0; r < rows; r++) {
    const row = load<i32>(index + (<usize>r << 2));
    if (row < 0) continue;
    const from = src + <usize>r * ls;
    const to = dst + <usize>row * ldd;
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      v128.store(to + o, f32x4.add(v128.load(to + o), v128.load(from + o)));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(to + o, load<f32>(to + o) + load<f32>(from + o));
    }
  }
}

/** dst (c, r) += src (r, c) for r < rows, c < cols: adds a transposed block. */
export function transposeAdd(rows: i32, cols: i32, src: usize, ldSrc: i32, dst: usize, ldDst: i32): void {
  const ls = <usize>ldSrc << 2;
  const ldd = <usize>ldDst << 2;
  for (let c = 0; c < cols; c++) {
    const out = dst + <usize>c * ldd;
    const from = src + (<usize>c << 2);
    for (let r = 0; r < rows; r++) {
      const o = out + (<usize>r << 2);
      store<f32>(o, load<f32>(o) + load<f32>(from + <usize>r * ls));
    }
  }
}
