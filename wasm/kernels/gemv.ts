// Matrix-vector product for batch-1 steps: y (M) = A (M, K) · x (K), plus y when accumulate, plus
// bias when bias != 0. A is read in place, row by row (a dot product per row, four rows at a time),
// so a batch-1 sequence needs no packed copy of the recurrent weights.
// Pointers are byte offsets; A has row stride lda floats.

// @ts-ignore: decorator
@inline
function hsum(v: v128): f32 {
  const s = f32x4.add(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(f32x4.add(s, i32x4.shuffle(s, s, 1, 0, 3, 2)), 0);
}

// @ts-ignore: decorator
@inline
function start(y: usize, bias: usize, i: i32, accumulate: bool): f32 {
  const o = <usize>i << 2;
  let v: f32 = accumulate ? load<f32>(y + o) : 0;
  if (bias != 0) v += load<f32>(bias + o);
  return v;
}

export function gemv(M: i32, K: i32, a: usize, lda: i32, x: usize, y: usize, accumulate: bool, bias: usize): void {
  const ld = <usize>lda << 2;
  const K4 = K & ~3;
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const r0 = a + <usize>i * ld, r1 = r0 + ld, r2 = r1 + ld, r3 = r2 + ld;
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    for (let k = 0; k < K4; k += 4) {
      const o = <usize>k << 2;
      const xv = v128.load(x + o);
      s0 = f32x4.add(s0, f32x4.mul(v128.load(r0 + o), xv));
      s1 = f32x4.add(s1, f32x4.mul(v128.load(r1 + o), xv));
      s2 = f32x4.add(s2, f32x4.mul(v128.load(r2 + o), xv));
      s3 = f32x4.add(s3, f32x4.mul(v128.load(r3 + o), xv));
    }
    let t0 = hsum(s0), t1 = hsum(s1), t2 = hsum(s2), t3 = hsum(s3);
    for (let k = K4; k < K; k++) {
      const o = <usize>k << 2;
      const xv = load<f32>(x + o);
      t0 += load<f32>(r0 + o) * xv;
      t1 += load<f32>(r1 + o) * xv;
      t2 += load<f32>(r2 + o) * xv;
      t3 += load<f32>(r3 + o) * xv;
    }
    store<f32>(y + (<usize>i << 2), start(y, bias, i, accumulate) + t0);
    store<f32>(y + (<usize>(i + 1) << 2), start(y, bias, i + 1, accumulate) + t1);
    store<f32>(y + (<usize>(i + 2) << 2), start(y, bias, i + 2, accumulate) + t2);
    store<f32>(y + (<usize>(i + 3) << 2), start(y, bias, i + 3, accumulate) + t3);
  }
  for (; i < M; i++) {
    const r0 = a + <usize>i * ld;
    let s0 = f32x4.splat(0);
    for (let k = 0; k < K4; k += 4) {
      const o = <usize>k << 2;
      s0 = f32x4.add(s0, f32x4.mul(v128.load(r0 + o), v128.load(x + o)));
    }
    let t0 = hsum(s0);
    for (let k = K4; k < K; k++) t0 += load<f32>(r0 + (<usize>k << 2)) * load<f32>(x + (<usize>k << 2));
    store<f32>(y + (<usize>i << 2), start(y, bias, i, accumulate) + t0);
  }
}
