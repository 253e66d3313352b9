import { test } from "node:test";
import assert from "node:assert/strict";
import { referenceBackend, Generator } from "recurrent";

/** The definition, as a triple loop in float64. */
function naive(transA: boolean, transB: boolean, M: number, N: number, K: number, A: Float32Array, B: Float32Array): Float64Array {
  const C = new Float64Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += (transA ? A[k * M + i]! : A[i * K + k]!) * (transB ? B[j * K + k]! : B[k * N + j]!);
      C[i * N + j] = s;
    }
  return C;
}

test("reference GEMM matches the definition for every layout, odd sizes and accumulation", () => {
  const g = new Generator(2);
  const rand = (n: number): Float32Array => Float32Array.from({ length: n }, () => g.uniformRange(-1, 1));
  for (const [M, N, K] of [[1, 1, 1], [3, 7, 5], [17, 33, 9], [5, 4, 300], [65, 3, 130]] as const) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const A = rand(M * K);
        const B = rand(K * N);
        const C0 = rand(M * N);
        const want = naive(transA, transB, M, N, K, A, B);
        for (const accumulate of [false, true]) {
          const C = C0.slice();
          referenceBackend.gemm(transA, transB, M, N, K, A, B, C, accumulate);
          for (let i = 0; i < C.length; i++) {
            const w = want[i]! + (accumulate ? C0[i]! : 0);
            assert.ok(Math.abs(C[i]! - w) <= 1e-5 * (1 + Math.abs(w)), `M${M} N${N} K${K} tA${transA} tB${transB} acc${accumulate} [${i}]: ${C[i]} vs ${w}`);
          }
        }
      }
    }
  }
});
