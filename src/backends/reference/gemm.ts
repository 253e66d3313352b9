/**
 * Reference GEMM in plain TypeScript: C (M, N) = op(A) · op(B) (+ C).
 *
 * Symbols: M rows of C, N columns of C, K the shared dim; KC the depth of one packed block.
 *
 * Why it is shaped like this: a plain triple loop runs at 1-2 GFLOP/s in V8 because every
 * multiply-add needs two loads. Packing both operands into small contiguous panels (which also
 * absorbs the transposes, so every layout runs the same inner loop) and computing a 4×4 tile of
 * C in sixteen local accumulators gives 16 multiply-adds per 8 loads, which the JIT keeps in
 * registers: about 4-5 GFLOP/s on one core. Accumulation is in float64 (JS numbers) over each
 * KC block, then added to the float32 C.
 */
const KC = 256;
const MR = 4;
const NR = 4;
let packA = new Float32Array(MR * KC); // (KC, MR) one row panel of op(A), k-major
let packB = new Float32Array(KC * NR); // (N/NR, KC, NR) column panels of op(B), k-major

export function gemmReference(
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  B: Float32Array,
  C: Float32Array,
  accumulate: boolean,
): void {
  if (!accumulate) C.fill(0, 0, M * N);
  const NP = Math.ceil(N / NR) * NR;
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = Math.min(KC, K - k0);
    if (packB.length < kc * NP) packB = new Float32Array(kc * NP);
    // Pack op(B)[k0 : k0+kc, :] into NR-wide column panels, zero-padded past N.
    for (let j0 = 0; j0 < NP; j0 += NR) {
      const base = j0 * kc;
      for (let k = 0; k < kc; k++) {
        const kk = k0 + k;
        for (let c = 0; c < NR; c++) {
          const j = j0 + c;
          packB[base + k * NR + c] = j < N ? (transB ? B[j * K + kk]! : B[kk * N + j]!) : 0;
        }
      }
    }
    for (let i0 = 0; i0 < M; i0 += MR) {
      const mr = Math.min(MR, M - i0);
      // Pack op(A)[i0 : i0+MR, k0 : k0+kc], zero-padded past M.
      for (let k = 0; k < kc; k++) {
        const kk = k0 + k;
        for (let r = 0; r < MR; r++) {
          const i = i0 + r;
          packA[k * MR + r] = r < mr ? (transA ? A[kk * M + i]! : A[i * K + kk]!) : 0;
        }
      }
      for (let j0 = 0; j0 < N; j0 += NR) {
        microKernel(kc, j0 * kc, C, i0, j0, mr, Math.min(NR, N - j0), N);
      }
    }
  }
}

/** C[i0 : i0+mr, j0 : j0+nr] += packA panel · packB panel at offset pb. */
function microKernel(kc: number, pb: number, C: Float32Array, i0: number, j0: number, mr: number, nr: number, N: number): void {
  const pa = packA;
  const pbuf = packB;
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let k = 0; k < kc; k++) {
    const a = k * MR;
    const b = pb + k * NR;
    const a0 = pa[a]!, a1 = pa[a + 1]!, a2 = pa[a + 2]!, a3 = pa[a + 3]!;
    const b0 = pbuf[b]!, b1 = pbuf[b + 1]!, b2 = pbuf[b + 2]!, b3 = pbuf[b + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  if (mr === MR && nr === NR) {
    let o = i0 * N + j0;
    C[o]! += c00; C[o + 1]! += c01; C[o + 2]! += c02; C[o + 3]! += c03;
    o += N;
    C[o]! += c10; C[o + 1]! += c11; C[o + 2]! += c12; C[o + 3]! += c13;
    o += N;
    C[o]! += c20; C[o + 1]! += c21; C[o + 2]! += c22; C[o + 3]! += c23;
    o += N;
    C[o]! += c30; C[o + 1]! += c31; C[o + 2]! += c32; C[o + 3]! += c33;
    return;
  }
  // Edge tile: write only the rows and columns inside C.
  const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let r = 0; r < mr; r++) {
    const o = (i0 + r) * N + j0;
    for (let c = 0; c < nr; c++) C[o + c]! += tile[r * NR + c]!;
  }
}
