/**
 * Row gather with a scatter-add backward: the one primitive that packs padded sequences for the
 * fused kernels and unpacks their results (lengths, masks, per-sequence reversal).
 *
 * Symbols: N source rows, M result rows, W row width.
 */
import { Tensor, recordOp } from "../../tensor/tensor.js";
import { shapeStr } from "../../tensor/shape.js";

/**
 * Rows of `src` (N, W) at `index` (M): result (M, W), where index -1 gives a row of zeros.
 * Backward adds each result row's gradient into the row it came from (rows picked several times
 * accumulate). `src` must be 2-D.
 */
export function gatherRows(src: Tensor, index: Int32Array): Tensor {
  if (src.ndim !== 2) throw new Error(`gatherRows: source must be 2-D (N, W), got ${shapeStr(src.shape)}`);
  const [N, W] = src.shape as [number, number];
  const M = index.length;
  const out = new Float32Array(M * W);
  for (let m = 0; m < M; m++) {
    const r = index[m]!;
    if (r < -1 || r >= N) throw new Error(`gatherRows: index ${r} at position ${m} is outside [-1, ${N})`);
    if (r >= 0) out.set(src.data.subarray(r * W, (r + 1) * W), m * W);
  }
  const t = new Tensor(out, [M, W]);
  recordOp("gatherRows", [src], [t], ([g]) => {
    const gs = new Float32Array(N * W);
    for (let m = 0; m < M; m++) {
      const r = index[m]!;
      if (r < 0) continue;
      const at = r * W;
      const from = m * W;
      for (let w = 0; w < W; w++) gs[at + w]! += g![from + w]!;
    }
    return [gs];
  });
  return t;
}
