import { Tensor, recordOp } from "../../tensor/tensor.js";
import { shapeStr } from "../../tensor/shape.js";
import { getBackend } from "../../backends/registry.js";
import { takeZeroed } from "../../tensor/pool.js";

export interface MatmulOptions {
  /** Use the transpose of the first operand (stored (K, M)). Default false. */
  transA?: boolean;
  /** Use the transpose of the second operand (stored (N, K)). Default false. */
  transB?: boolean;
}

/**
 * op(A) · op(B) for 2-D operands, or batched when A is 3-D (B may then be 3-D with the same
 * batch, or 2-D and shared by every batch entry). The transposes are layout flags handed to
 * the GEMM kernel, so no transposed copy is ever made.
 */
export function matmul(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor {
  const transA = opts.transA ?? false;
  const transB = opts.transB ?? false;
  if (a.ndim !== 2 && a.ndim !== 3) throw new Error(`matmul: first operand must be 2-D or 3-D, got shape ${shapeStr(a.shape)}`);
  if (b.ndim !== 2 && !(b.ndim === 3 && a.ndim === 3)) {
    throw new Error(`matmul: second operand must be 2-D (or 3-D with a 3-D first operand), got shape ${shapeStr(b.shape)}`);
  }
  const batch = a.ndim === 3 ? a.shape[0]! : 1;
  const sharedB = b.ndim === 2;
  if (!sharedB && b.shape[0] !== batch) {
    throw new Error(`matmul: batch sizes differ: ${shapeStr(a.shape)} and ${shapeStr(b.shape)}`);
  }
  const [ar, ac] = a.shape.slice(-2) as [number, number];
  const [br, bc] = b.shape.slice(-2) as [number, number];
  const M = transA ? ac : ar;
  const K = transA ? ar : ac;
  const Kb = transB ? bc : br;
  const N = transB ? br : bc;
  if (K !== Kb) {
    throw new Error(
      `matmul: inner sizes differ: ${shapeStr(a.shape)}${transA ? "ᵀ" : ""} · ${shapeStr(b.shape)}${transB ? "ᵀ" : ""} (${K} vs ${Kb})`,
    );
  }
  const be = getBackend();
  const out = new Float32Array(batch * M * N);
  const aStride = M * K;
  const bStride = sharedB ? 0 : K * N;
  for (let i = 0; i < batch; i++) {
    be.gemm(
      transA,
      transB,
      M,
      N,
      K,
      a.data.subarray(i * aStride, (i + 1) * aStride),
      b.data.subarray(i * bStride, i * bStride + K * N),
      out.subarray(i * M * N, (i + 1) * M * N),
      false,
    );
  }
  const t = new Tensor(out, a.ndim === 3 ? [batch, M, N] : [M, N]);
  recordOp("matmul", [a, b], [t], ([g]) => {
    const gc = g!;
    const ga = a.requiresGrad ? takeZeroed(a.size) : null;
    const gb = b.requiresGrad ? takeZeroed(b.size) : null;
    for (let i = 0; i < batch; i++) {
      const A = a.data.subarray(i * aStride, (i + 1) * aStride);
      const B = b.data.subarray(i * bStride, i * bStride + K * N);
      const dC = gc.subarray(i * M * N, (i + 1) * M * N);
      if (ga) {
        const dA = ga.subarray(i * aStride, (i + 1) * aStride);
        // dA = dC · op(B)ᵀ, or its transpose op(B) · dCᵀ when A is stored transposed.
        if (!transA) be.gemm(false, !transB, M, K, N, dC, B, dA, false);
        else be.gemm(transB, true, K, M, N, B, dC, dA, false);
      }
      if (gb) {
        const dB = gb.subarray(i * bStride, i * bStride + K * N);
        // dB = op(A)ᵀ · dC, or dCᵀ · op(A) when B is stored transposed. A shared B sums over the batch.
        if (!transB) be.gemm(!transA, false, K, N, M, A, dC, dB, sharedB && i > 0);
        else be.gemm(true, transA, N, K, M, dC, A, dB, sharedB && i > 0);
      }
    }
    return [ga, gb];
  });
  return t;
}
