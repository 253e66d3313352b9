// The multiply-add of the GEMM micro-kernel, the cell kernels (lstm.ts, gru.ts, gru-reset-before.ts,
// peephole-lstm.ts) and the exp and tanh polynomials of math.ts: c + a·b on four lanes.
//
// The relaxed-SIMD builds (asconfig targets *-relaxed, `relaxed-simd` enabled) use
// f32x4.relaxed_madd, which an engine lowers to a fused multiply-add (one rounding) where the CPU
// has FMA, and to a multiply then an add (two roundings, as the strict build) where it does not.
// Either way every output element is computed by the same sequence of operations whatever tile or
// thread it falls in, so results stay bit-identical across thread counts within one build; between
// the two builds they differ by the rounding of the products (within the parity tolerance).

/** c + a·b, fused where the build and the engine allow it. */
// @ts-ignore: decorator
@inline
export function madd4(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}
