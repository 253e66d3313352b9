/**
 * Reference GEMM in plain TypeScript: C (M, N) = op(A) · op(B) (+ C).
 * Loop orders keep the innermost loop on contiguous memory for each layout, and rows of the
 * result are accumulated in a float32 row buffer the JIT keeps hot.
 */
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
  if (!transB) {
    // B rows are contiguous: C[i, :] += a_ik * B[k, :] (axpy form, vectorisable by the JIT).
    for (let i = 0; i < M; i++) {
      const ci = i * N;
      for (let k = 0; k < K; k++) {
        const a = transA ? A[k * M + i]! : A[i * K + k]!;
        if (a === 0) continue;
        const bk = k * N;
        for (let j = 0; j < N; j++) C[ci + j]! += a * B[bk + j]!;
      }
    }
    return;
  }
  // B stored (N, K): C[i, j] = dot(op(A)[i, :], B[j, :]).
  if (!transA) {
    for (let i = 0; i < M; i++) {
      const ai = i * K;
      for (let j = 0; j < N; j++) {
        const bj = j * K;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let k = 0;
        for (; k + 3 < K; k += 4) {
          s0 += A[ai + k]! * B[bj + k]!;
          s1 += A[ai + k + 1]! * B[bj + k + 1]!;
          s2 += A[ai + k + 2]! * B[bj + k + 2]!;
          s3 += A[ai + k + 3]! * B[bj + k + 3]!;
        }
        for (; k < K; k++) s0 += A[ai + k]! * B[bj + k]!;
        C[i * N + j]! += s0 + s1 + s2 + s3;
      }
    }
    return;
  }
  // Both transposed: C[i, j] = sum_k A[k, i] B[j, k].
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += A[k * M + i]! * B[j * K + k]!;
      C[i * N + j]! += s;
    }
  }
}
