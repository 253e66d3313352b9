// Four-lane exp, sigmoid and tanh accurate to a few float32 ulps, plus lane helpers that let one
// kernel body serve both full f32x4 chunks (W = 4) and single trailing elements (W = 1).
//
// exp follows Cephes expf: x = n ln2 + r with |r| <= ln2 / 2 (ln2 split in two parts so that
// n * LN2_HI is exact), e^r from a degree-7 polynomial, 2^n built in the exponent bits.
// Chosen for V8 on x86-64, where f32x4.min/max and i32x4.trunc_sat each expand to 6-8
// instructions: the clamp uses pmin/pmax (one instruction each, and NaN still passes through),
// and n comes from the round-to-nearest of adding 1.5 * 2^23, whose low bits are then n itself.
// The polynomials' multiply-adds are madd4 (madd.ts): fused in the relaxed build, a multiply then
// an add, exactly as before, in the strict one.
import { madd4 } from "./madd";

const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
/** Clamp bounds: e^88 and e^-87 are normal floats, so 2^n never overflows or goes subnormal. */
const EXP_HI: f32 = 88.0;
const EXP_LO: f32 = -87.0;
/** 1.5 * 2^23: adding it rounds to an integer, held in the low mantissa bits. */
const ROUND: f32 = 12582912.0;

// @ts-ignore: decorator
@inline
export function exp4(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(EXP_LO)), f32x4.splat(EXP_HI));
  // t rounds x·log2e to an integer n (a fused multiply-add rounds once, so n may differ by one
  // from the strict build's where x·log2e is within an ulp of a half: e^r covers |r| up to ln2).
  const t = madd4(x, f32x4.splat(LOG2E), f32x4.splat(ROUND));
  const n = f32x4.sub(t, f32x4.splat(ROUND));
  // n·LN2_HI is exact (LN2_HI has 9 significant bits), so only the second step gains from fusing.
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(1.9875691500e-4);
  p = madd4(p, r, f32x4.splat(1.3981999507e-3));
  p = madd4(p, r, f32x4.splat(8.3334519073e-3));
  p = madd4(p, r, f32x4.splat(4.1665795894e-2));
  p = madd4(p, r, f32x4.splat(1.6666665459e-1));
  p = madd4(p, r, f32x4.splat(5.0000001201e-1));
  p = f32x4.add(madd4(p, f32x4.mul(r, r), r), f32x4.splat(1));
  // The exponent field of 2^n is n + 127; the bits of ROUND above the low nine shift out.
  const scale = i32x4.shl(i32x4.add(t, i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

/** σ(x) = 1 / (1 + e^-x). */
// @ts-ignore: decorator
@inline
export function sigmoid4(x: v128): v128 {
  return f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), exp4(f32x4.neg(x))));
}

/** The cutoff below which tanh uses its odd polynomial rather than e^{2|x|}. */
const TANH_SMALL: f32 = 0.625;

/** 2 / (e^{2a} + 1) = 1 - tanh(a) for a >= 0, with small relative error even where tanh(a) -> 1. */
// @ts-ignore: decorator
@inline
function tanhTail4(a: v128): v128 {
  return f32x4.div(f32x4.splat(2), f32x4.add(exp4(f32x4.add(a, a)), f32x4.splat(1)));
}

/** tanh(a) for 0 <= a < 0.625 by the Cephes tanhf odd polynomial a + a^3 P(a^2). */
// @ts-ignore: decorator
@inline
function tanhSmall4(a: v128): v128 {
  const z = f32x4.mul(a, a);
  let p = f32x4.splat(-5.70498872745e-3);
  p = madd4(p, z, f32x4.splat(2.06390887954e-2));
  p = madd4(p, z, f32x4.splat(-5.37397155531e-2));
  p = madd4(p, z, f32x4.splat(1.33314422036e-1));
  p = madd4(p, z, f32x4.splat(-3.33332819422e-1));
  return madd4(f32x4.mul(p, z), a, a);
}

/** Copies the sign bit of x onto m (m >= 0); keeps tanh(-0) = -0. */
// @ts-ignore: decorator
@inline
function withSign(m: v128, x: v128): v128 {
  return v128.or(m, v128.and(x, i32x4.splat(0x80000000)));
}

/**
 * tanh(x) = sign(x) (1 - 2 / (e^{2|x|} + 1)) for |x| >= 0.625; below that the subtraction would
 * cancel, so the polynomial takes over.
 */
// @ts-ignore: decorator
@inline
export function tanh4(x: v128): v128 {
  const ax = f32x4.abs(x);
  const m = v128.bitselect(tanhSmall4(ax), f32x4.sub(f32x4.splat(1), tanhTail4(ax)), f32x4.lt(ax, f32x4.splat(TANH_SMALL)));
  return withSign(m, x);
}

/**
 * 1 - tanh(x)^2, accurate in relative terms where tanh saturates (where 1 - t*t from a rounded t
 * would keep only a few correct bits): (1 - |t|)(1 + |t|) with 1 - |t| taken from tanhTail4.
 */
// @ts-ignore: decorator
@inline
export function tanhDerivative4(x: v128): v128 {
  const ax = f32x4.abs(x);
  const small = tanhSmall4(ax);
  const one = f32x4.splat(1);
  const q = v128.bitselect(f32x4.sub(one, small), tanhTail4(ax), f32x4.lt(ax, f32x4.splat(TANH_SMALL)));
  return f32x4.mul(q, f32x4.sub(f32x4.splat(2), q));
}

/** 1 - t*t for a stored t = tanh(·), as (1 - t)(1 + t): exact 1 - t where t is near ±1. */
// @ts-ignore: decorator
@inline
export function oneMinusSquare4(t: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.mul(f32x4.sub(one, t), f32x4.add(one, t));
}

/** Loads W (4 or 1) floats; a single float goes to lane 0 with the other lanes zero. */
// @ts-ignore: decorator
@inline
export function ld(W: i32, p: usize): v128 {
  return W == 4 ? v128.load(p) : v128.load_zero<f32>(p);
}

/** Stores W (4 or 1) floats from the low lanes of v. */
// @ts-ignore: decorator
@inline
export function st(W: i32, p: usize, v: v128): void {
  if (W == 4) v128.store(p, v);
  else v128.store_lane<f32>(p, v, 0);
}

/** dst[i] = σ(src[i]) for n floats; exported so that tests can measure the accuracy. */
export function sigmoidArray(n: i32, src: usize, dst: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) st(4, dst + (<usize>i << 2), sigmoid4(ld(4, src + (<usize>i << 2))));
  for (; i < n; i++) st(1, dst + (<usize>i << 2), sigmoid4(ld(1, src + (<usize>i << 2))));
}

/** dst[i] = tanh(src[i]) for n floats; exported so that tests can measure the accuracy. */
export function tanhArray(n: i32, src: usize, dst: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) st(4, dst + (<usize>i << 2), tanh4(ld(4, src + (<usize>i << 2))));
  for (; i < n; i++) st(1, dst + (<usize>i << 2), tanh4(ld(1, src + (<usize>i << 2))));
}

/** dst[i] = e^src[i] for n floats (inputs clamped to [-87, 88]). */
export function expArray(n: i32, src: usize, dst: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) st(4, dst + (<usize>i << 2), exp4(ld(4, src + (<usize>i << 2))));
  for (; i < n; i++) st(1, dst + (<usize>i << 2), exp4(ld(1, src + (<usize>i << 2))));
}

// ---- Cell nonlinearities by code, for the cell variants (src/backends/wasm/variant.ts keeps the
// same numbering) ----

export const ACT_TANH: i32 = 0;
export const ACT_RELU: i32 = 1;
export const ACT_SIGMOID: i32 = 2;
/** clip(0.2x + 0.5, 0, 1): Keras 2 and TF.js. */
export const ACT_HARD_SIGMOID: i32 = 3;
/** relu6(x + 3) / 6: Keras 3 and PyTorch. */
export const ACT_HARD_SIGMOID_KERAS3: i32 = 4;
export const ACT_LINEAR: i32 = 5;

/** The activation with this code, on four lanes. Not inlined: one copy serves every variant kernel. */
export function act4(code: i32, x: v128): v128 {
  if (code == ACT_TANH) return tanh4(x);
  if (code == ACT_SIGMOID) return sigmoid4(x);
  if (code == ACT_RELU) return f32x4.max(x, f32x4.splat(0));
  if (code == ACT_HARD_SIGMOID) return f32x4.min(f32x4.max(madd4(x, f32x4.splat(0.2), f32x4.splat(0.5)), f32x4.splat(0)), f32x4.splat(1));
  if (code == ACT_HARD_SIGMOID_KERAS3) return f32x4.div(f32x4.min(f32x4.max(f32x4.add(x, f32x4.splat(3)), f32x4.splat(0)), f32x4.splat(6)), f32x4.splat(6));
  return x;
}

/**
 * The derivative of the activation with this code, from its output y. At the kinks it is 0 where
 * the clipped value is reached (relu at 0, the hard sigmoids at 0 and 1), as the autograd ops.
 */
export function actDerivative4(code: i32, y: v128): v128 {
  const one = f32x4.splat(1);
  if (code == ACT_TANH) return oneMinusSquare4(y);
  if (code == ACT_SIGMOID) return f32x4.mul(y, f32x4.sub(one, y));
  if (code == ACT_RELU) return v128.and(one, f32x4.gt(y, f32x4.splat(0)));
  const inside = v128.and(f32x4.gt(y, f32x4.splat(0)), f32x4.lt(y, one));
  if (code == ACT_HARD_SIGMOID) return v128.and(f32x4.splat(0.2), inside);
  if (code == ACT_HARD_SIGMOID_KERAS3) return v128.and(f32x4.splat(<f32>(1.0 / 6.0)), inside);
  return one;
}

/**
 * dst (rows, cols) = src ⊙ mask, plus dst when accumulate: a recurrent dropout mask applied to
 * h_prev before the recurrent product, or to that product's gradient. Row strides in floats.
 */
export function maskRows(
  rows: i32, cols: i32, src: usize, ldSrc: i32, mask: usize, ldMask: i32, dst: usize, ldDst: i32, accumulate: i32,
): void {
  for (let r = 0; r < rows; r++) {
    const s = src + (<usize>r * ldSrc << 2);
    const m = mask + (<usize>r * ldMask << 2);
    const d = dst + (<usize>r * ldDst << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      const v = f32x4.mul(ld(4, s + o), ld(4, m + o));
      st(4, d + o, accumulate ? f32x4.add(ld(4, d + o), v) : v);
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      const v = f32x4.mul(ld(1, s + o), ld(1, m + o));
      st(1, d + o, accumulate ? f32x4.add(ld(1, d + o), v) : v);
    }
  }
}
