// Single-precision GEMM: C (M, N) = op(A) (M, K) · op(B) (K, N), optionally plus C or plus a bias row.
//
// Layout follows the GotoBLAS/BLIS scheme. op(B) is packed once into column panels of NR floats
// (panel p holds K rows of NR consecutive columns, zero-padded past N), so a caller that multiplies
// by the same matrix many times (the recurrent weights, once per time step) packs it once. op(A) is
// packed per (MC x KC) block into row panels of MR floats per k, zero-padded past M. The
// micro-kernel keeps an R x NR tile of C in 2R f32x4 registers. R <= MR = 5: 10 accumulators,
// 2 B vectors and 1 broadcast A value stay in registers under V8 on x86-64, which leaves 15 xmm
// registers to wasm; a 6 x 8 tile spills accumulators and runs at about 60% of the 5 x 8 speed.
//
// All pointers are byte offsets into linear memory; sizes and leading dimensions are in floats.

import { madd4 } from "./madd";

/** Tile rows. packA's fast paths (a v128 plus one f32 per k; the lane offsets 16, 36, 56, 76) assume 5. */
export const MR: i32 = 5;
/** Tile columns: two f32x4 registers per row. */
export const NR: i32 = 8;
/** Depth of one packed block: an (MR x KC) A panel plus a (KC x NR) B panel stay in L1. */
export const KC: i32 = 256;
/** Rows of A per packed block (a multiple of MR): the (MC x KC) block stays in L2. */
export const MC: i32 = 120;

/** Floats of scratch that gemmPacked needs: one packed A block, one edge tile and its bias row. */
export function gemmWorkFloats(): i32 {
  return MC * KC + MR * NR + NR;
}

/** Floats that packB writes for a (K, N) operand. */
export function packedBFloats(K: i32, N: i32): i32 {
  return K * (((N + NR - 1) / NR) * NR);
}

/** The 4 x 4 transpose used by the gathering packs: out[q] = (r0[q], r1[q], r2[q], r3[q]). */
// @ts-ignore: decorator
@inline
function transposeStore(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, stride: usize): void {
  const a = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const b = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const c = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const d = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, f32x4.shuffle(a, c, 0, 1, 4, 5));
  v128.store(dst + stride, f32x4.shuffle(a, c, 2, 3, 6, 7));
  v128.store(dst + 2 * stride, f32x4.shuffle(b, d, 0, 1, 4, 5));
  v128.store(dst + 3 * stride, f32x4.shuffle(b, d, 2, 3, 6, 7));
}

/**
 * Packs op(B) (K, N) into NR-column panels at dst. B is stored (K, N) with row stride ldb, or
 * (N, K) with row stride ldb when transB (then each panel is a gather of NR rows, done four k at
 * a time with 4 x 4 register transposes).
 */
export function packB(transB: bool, K: i32, N: i32, b: usize, ldb: i32, dst: usize): void {
  const ld = <usize>ldb << 2;
  for (let j0 = 0; j0 < N; j0 += NR) {
    const nr = min(NR, N - j0);
    if (!transB && nr == NR) {
      let src = b + (<usize>j0 << 2);
      for (let k = 0; k < K; k++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += ld;
        dst += NR << 2;
      }
    } else if (!transB) {
      let src = b + (<usize>j0 << 2);
      for (let k = 0; k < K; k++) {
        for (let j = 0; j < NR; j++) {
          store<f32>(dst + (<usize>j << 2), j < nr ? load<f32>(src + (<usize>j << 2)) : 0);
        }
        src += ld;
        dst += NR << 2;
      }
    } else {
      const col = b + <usize>j0 * ld;
      let k = 0;
      if (nr == NR) {
        for (; k + 4 <= K; k += 4) {
          const src = col + (<usize>k << 2);
          transposeStore(
            v128.load(src), v128.load(src + ld), v128.load(src + 2 * ld), v128.load(src + 3 * ld), dst, NR << 2,
          );
          transposeStore(
            v128.load(src + 4 * ld), v128.load(src + 5 * ld), v128.load(src + 6 * ld), v128.load(src + 7 * ld),
            dst + 16, NR << 2,
          );
          dst += 4 * NR << 2;
        }
      }
      for (; k < K; k++) {
        const src = col + (<usize>k << 2);
        for (let j = 0; j < NR; j++) {
          store<f32>(dst + (<usize>j << 2), j < nr ? load<f32>(src + <usize>j * ld) : 0);
        }
        dst += NR << 2;
      }
    }
  }
}

/**
 * Packs rows i0 .. i0+mc and depth k0 .. k0+kc of op(A) into MR-row panels at dst, one panel
 * every `panel` floats (kc * MR for a packed block; more when this depth range is only part of
 * the panels' depth). A is stored (M, K) with row stride lda, or (K, M) with row stride lda when
 * transA.
 */
function packA(transA: bool, a: usize, lda: i32, i0: i32, k0: i32, mc: i32, kc: i32, dst: usize, panel: i32): void {
  const ld = <usize>lda << 2;
  const panelBytes = <usize>panel << 2;
  if (transA) {
    // Row k of the stored A holds every panel's values for that k: walk the rows once, in order,
    // rather than once per panel (each stored row may be a page apart).
    let src = a + <usize>k0 * ld + (<usize>i0 << 2);
    for (let k = 0; k < kc; k++) {
      let out = dst + (<usize>(k * MR) << 2);
      for (let r0 = 0; r0 < mc; r0 += MR) {
        const mr = min(MR, mc - r0);
        const from = src + (<usize>r0 << 2);
        if (mr == MR) {
          v128.store(out, v128.load(from));
          store<f32>(out, load<f32>(from, 16), 16);
        } else {
          for (let r = 0; r < MR; r++) store<f32>(out + (<usize>r << 2), r < mr ? load<f32>(from + (<usize>r << 2)) : 0);
        }
        out += panelBytes;
      }
      src += ld;
    }
    return;
  }
  for (let r0 = 0; r0 < mc; r0 += MR) {
    const mr = min(MR, mc - r0);
    let out = dst + <usize>(r0 / MR) * panelBytes;
    const row = a + <usize>(i0 + r0) * ld + (<usize>k0 << 2);
    if (mr == MR) {
      // Five rows: rows 0-3 through a 4 x 4 transpose, row 4 lane by lane.
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        const src = row + (<usize>k << 2);
        transposeStore(v128.load(src), v128.load(src + ld), v128.load(src + 2 * ld), v128.load(src + 3 * ld), out, MR << 2);
        const r4 = v128.load(src + 4 * ld);
        v128.store_lane<f32>(out, r4, 0, 16);
        v128.store_lane<f32>(out, r4, 1, 36);
        v128.store_lane<f32>(out, r4, 2, 56);
        v128.store_lane<f32>(out, r4, 3, 76);
        out += 4 * MR << 2;
      }
      for (; k < kc; k++) {
        const src = row + (<usize>k << 2);
        for (let r = 0; r < MR; r++) store<f32>(out + (<usize>r << 2), load<f32>(src + <usize>r * ld));
        out += MR << 2;
      }
    } else {
      for (let r = 0; r < MR; r++) {
        let o = out + (<usize>r << 2);
        if (r < mr) {
          let src = row + <usize>r * ld;
          for (let k = 0; k < kc; k++) {
            store<f32>(o, load<f32>(src));
            src += 4;
            o += MR << 2;
          }
        } else {
          for (let k = 0; k < kc; k++) {
            store<f32>(o, 0);
            o += MR << 2;
          }
        }
      }
    }
  }
}

/**
 * The register-blocked core: an R x NR tile (row stride ldc bytes) is set to the product of an
 * A panel (MR floats per k) and a B panel (NR floats per k) over kc steps, plus the bias row when
 * bias != 0. R is a constant at every call site, so after inlining the unused rows fold away.
 * (Adding into C inside this function makes V8 spill two accumulators and halves the speed, so
 * accumulation happens in fromTile.)
 */
// @ts-ignore: decorator
@inline
function tile(R: i32, pa: usize, pb: usize, kc: i32, c: usize, ldc: usize, bias: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  if (bias != 0) {
    const b0 = v128.load(bias), b1 = v128.load(bias, 16);
    c00 = b0; c01 = b1; c10 = b0; c11 = b1; c20 = b0; c21 = b1; c30 = b0; c31 = b1; c40 = b0; c41 = b1;
  }
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd4(a, b0, c00); c01 = madd4(a, b1, c01);
    if (R > 1) {
      a = v128.load32_splat(pa, 4);
      c10 = madd4(a, b0, c10); c11 = madd4(a, b1, c11);
    }
    if (R > 2) {
      a = v128.load32_splat(pa, 8);
      c20 = madd4(a, b0, c20); c21 = madd4(a, b1, c21);
    }
    if (R > 3) {
      a = v128.load32_splat(pa, 12);
      c30 = madd4(a, b0, c30); c31 = madd4(a, b1, c31);
    }
    if (R > 4) {
      a = v128.load32_splat(pa, 16);
      c40 = madd4(a, b0, c40); c41 = madd4(a, b1, c41);
    }
    pa += MR << 2;
    pb += NR << 2;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  if (R > 1) { v128.store(c + ldc, c10); v128.store(c + ldc, c11, 16); }
  if (R > 2) { v128.store(c + 2 * ldc, c20); v128.store(c + 2 * ldc, c21, 16); }
  if (R > 3) { v128.store(c + 3 * ldc, c30); v128.store(c + 3 * ldc, c31, 16); }
  if (R > 4) { v128.store(c + 4 * ldc, c40); v128.store(c + 4 * ldc, c41, 16); }
}

function tile5(pa: usize, pb: usize, kc: i32, c: usize, ldc: usize, bias: usize): void {
  tile(5, pa, pb, kc, c, ldc, bias);
}
function tile4(pa: usize, pb: usize, kc: i32, c: usize, ldc: usize, bias: usize): void {
  tile(4, pa, pb, kc, c, ldc, bias);
}
function tile3(pa: usize, pb: usize, kc: i32, c: usize, ldc: usize, bias: usize): void {
  tile(3, pa, pb, kc, c, ldc, bias);
}
function tile2(pa: usize, pb: usize, kc: i32, c: usize, ldc: usize, bias: usize): void {
  tile(2, pa, pb, kc, c, ldc, bias);
}
function tile1(pa: usize, pb: usize, kc: i32, c: usize, ldc: usize, bias: usize): void {
  tile(1, pa, pb, kc, c, ldc, bias);
}

// @ts-ignore: decorator
@inline
function tileRows(mr: i32, pa: usize, pb: usize, kc: i32, c: usize, ldc: usize, bias: usize): void {
  if (mr == 5) tile5(pa, pb, kc, c, ldc, bias);
  else if (mr == 4) tile4(pa, pb, kc, c, ldc, bias);
  else if (mr == 3) tile3(pa, pb, kc, c, ldc, bias);
  else if (mr == 2) tile2(pa, pb, kc, c, ldc, bias);
  else tile1(pa, pb, kc, c, ldc, bias);
}

/** C (mr x nr, row stride ldc bytes) = tmp (row stride NR floats), or += tmp when add. */
function fromTile(mr: i32, nr: i32, tmp: usize, c: usize, ldc: usize, add: bool): void {
  for (let r = 0; r < mr; r++) {
    const row = c + <usize>r * ldc;
    const t = tmp + (<usize>(r * NR) << 2);
    if (nr == NR) {
      let v0 = v128.load(t), v1 = v128.load(t, 16);
      if (add) {
        v0 = f32x4.add(v0, v128.load(row));
        v1 = f32x4.add(v1, v128.load(row, 16));
      }
      v128.store(row, v0);
      v128.store(row, v1, 16);
    } else {
      for (let j = 0; j < nr; j++) {
        const o = <usize>j << 2;
        store<f32>(row + o, add ? load<f32>(row + o) + load<f32>(t + o) : load<f32>(t + o));
      }
    }
  }
}

/**
 * One mr x nr tile of C. A full tile that replaces C is written in place; otherwise the kernel
 * writes a scratch tile that fromTile adds or copies, so the packed zero padding (and bias reads
 * past N) never reach C. Each KC block is summed from zero and then added to C, which keeps the
 * float32 rounding of long sums about 3x lower than continuing one running sum over all of K.
 */
// @ts-ignore: decorator
@inline
function blockTile(
  mr: i32, nr: i32, pa: usize, pb: usize, kc: i32, c: usize, ldc: usize, bias: usize, add: bool, tmp: usize,
): void {
  if (nr == NR && !add) {
    tileRows(mr, pa, pb, kc, c, ldc, bias);
    return;
  }
  let b = bias;
  if (bias != 0 && nr < NR) {
    b = tmp + (<usize>(MR * NR) << 2);
    for (let j = 0; j < NR; j++) store<f32>(b + (<usize>j << 2), j < nr ? load<f32>(bias + (<usize>j << 2)) : 0);
  }
  tileRows(mr, pa, pb, kc, tmp, NR << 2, b);
  fromTile(mr, nr, tmp, c, ldc, add);
}

/** C (M, N) = bias broadcast over rows, or zeros when bias is 0 (null). */
function fillWithBias(M: i32, N: i32, c: usize, ldcBytes: usize, bias: usize): void {
  for (let i = 0; i < M; i++) {
    const row = c + <usize>i * ldcBytes;
    for (let j = 0; j < N; j++) store<f32>(row + (<usize>j << 2), bias != 0 ? load<f32>(bias + (<usize>j << 2)) : 0);
  }
}

/**
 * C = op(A) · B_packed (+ C when accumulate, else + bias row when bias != 0), with B already
 * packed by packB. work holds gemmWorkFloats() floats. When K = 0, C becomes its start value.
 */
export function gemmPacked(
  transA: bool, M: i32, N: i32, K: i32, a: usize, lda: i32, pb: usize, c: usize, ldc: i32,
  accumulate: bool, bias: usize, work: usize,
): void {
  const ldcBytes = <usize>ldc << 2;
  const tmp = work + (<usize>(MC * KC) << 2);
  if (accumulate) bias = 0;
  if (K == 0) {
    // An empty product: C is the bias (or zero), or unchanged when accumulating.
    if (!accumulate) fillWithBias(M, N, c, ldcBytes, bias);
    return;
  }
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    const add = accumulate || k0 > 0;
    for (let i0 = 0; i0 < M; i0 += MC) {
      const mc = min(MC, M - i0);
      packA(transA, a, lda, i0, k0, mc, kc, work, kc * MR);
      for (let j0 = 0; j0 < N; j0 += NR) {
        const nr = min(NR, N - j0);
        const panelB = pb + (<usize>(j0 * K + k0 * NR) << 2);
        const biasJ = bias != 0 && k0 == 0 ? bias + (<usize>j0 << 2) : 0;
        let cRow = c + <usize>i0 * ldcBytes + (<usize>j0 << 2);
        let panelA = work;
        for (let r0 = 0; r0 < mc; r0 += MR) {
          const mr = min(MR, mc - r0);
          blockTile(mr, nr, panelA, panelB, kc, cRow, ldcBytes, biasJ, add, tmp);
          panelA += <usize>(MR * kc) << 2;
          cRow += <usize>MR * ldcBytes;
        }
      }
    }
  }
}

/**
 * C (M, N) = op(A) · op(B) (+ C when accumulate, + bias row when bias != 0), packing op(B) into
 * packed (packedBFloats(K, N) floats) first. work holds gemmWorkFloats() floats.
 */
export function gemm(
  transA: bool, transB: bool, M: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, ldb: i32,
  c: usize, ldc: i32, accumulate: bool, bias: usize, packed: usize, work: usize,
): void {
  packB(transB, K, N, b, ldb, packed);
  gemmPacked(transA, M, N, K, a, lda, packed, c, ldc, accumulate, bias, work);
}

/** Floats that packAPanels writes for an (M, K) operand: MR-row panels, zero-padded past M. */
export function packedAFloats(M: i32, K: i32): i32 {
  return ((M + MR - 1) / MR) * MR * K;
}

/**
 * Packs all of op(A) (M, K) at dst for gemmPrepacked, one KC block after another: block k0 holds
 * the MR-row panels of depth k0 .. k0+kc at float k0 * Mpad (Mpad = M rounded up to MR), panel r0
 * at float r0 * kc within it. A product of a short A by several bands of B packs A once.
 */
export function packAPanels(transA: bool, M: i32, K: i32, a: usize, lda: i32, dst: usize): void {
  const mPad = ((M + MR - 1) / MR) * MR;
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    packA(transA, a, lda, 0, k0, M, kc, dst + (<usize>(k0 * mPad) << 2), kc * MR);
  }
}

/**
 * Packs [A1 | A2] (M, K1 + K2), the columns of A1 (M, K1) followed by those of A2 (M, K2), both
 * row-major, for gemmPrepacked, without building the joined matrix: a time step's h_prev next to
 * its x, so that one product adds both the recurrent and the input terms. K1 + K2 <= KC (one
 * block: the layout of packAPanels).
 */
export function packAJoined(M: i32, K1: i32, a1: usize, lda1: i32, K2: i32, a2: usize, lda2: i32, dst: usize): void {
  const panel = (K1 + K2) * MR;
  packA(false, a1, lda1, 0, 0, M, K1, dst, panel);
  packA(false, a2, lda2, 0, 0, M, K2, dst + (<usize>(K1 * MR) << 2), panel);
}

/** Depth of one packed block (KC): packAJoined takes at most this. */
export function gemmBlockDepth(): i32 {
  return KC;
}

/**
 * C = A_packed · B_packed (+ C when accumulate, else + bias row when bias != 0), with A packed by
 * packAPanels and B by packB: gemmPacked without its packing of A, for a short A (a time step's
 * B rows, which stay in L2) multiplied by several bands of B. Sums in the same KC blocks as
 * gemmPacked, so both give the same floats. work holds gemmWorkFloats() floats (only its edge
 * tile is used).
 */
export function gemmPrepacked(
  M: i32, N: i32, K: i32, pa: usize, pb: usize, c: usize, ldc: i32, accumulate: bool, bias: usize, work: usize,
): void {
  const ldcBytes = <usize>ldc << 2;
  const tmp = work + (<usize>(MC * KC) << 2);
  const mPad = ((M + MR - 1) / MR) * MR;
  if (accumulate) bias = 0;
  if (K == 0) {
    // An empty product: C is the bias (or zero), or unchanged when accumulating.
    if (!accumulate) fillWithBias(M, N, c, ldcBytes, bias);
    return;
  }
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    const add = accumulate || k0 > 0;
    const blockA = pa + (<usize>(k0 * mPad) << 2);
    for (let j0 = 0; j0 < N; j0 += NR) {
      const nr = min(NR, N - j0);
      const panelB = pb + (<usize>(j0 * K + k0 * NR) << 2);
      const biasJ = bias != 0 && k0 == 0 ? bias + (<usize>j0 << 2) : 0;
      let cRow = c + (<usize>j0 << 2);
      let panelA = blockA;
      for (let r0 = 0; r0 < M; r0 += MR) {
        const mr = min(MR, M - r0);
        blockTile(mr, nr, panelA, panelB, kc, cRow, ldcBytes, biasJ, add, tmp);
        panelA += <usize>(MR * kc) << 2;
        cRow += <usize>MR * ldcBytes;
      }
    }
  }
}
