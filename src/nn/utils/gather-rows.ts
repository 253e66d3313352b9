/**
 * Row gather with a scatter-add backward: the one primitive that packs padded sequences for the
 * fused kernels and unpacks their results (lengths, masks, per-sequence reversal).
 *
 * Symbols: N source rows (all sources stacked), M result rows, W row width.
 */
import { Tensor, recordOp } from "../../tensor/tensor.js";
import { shapeStr } from "../../tensor/shape.js";

/**
 * Rows of `src` (N, W) at `index` (M): result (M, W), where index -1 gives a row of zeros. With
 * several sources (each (N_k, W)), rows are numbered as if they were stacked, without the copy
 * that stacking would make. Backward adds each result row's gradient into the row it came from
 * (rows picked several times accumulate).
 */
export function gatherRows(src: Tensor | readonly Tensor[], index: Int32Array): Tensor {
  const sources = src instanceof Tensor ? [src] : src;
  if (sources.length === 0) throw new Error("gatherRows: needs at least one source");
  const W = sources[0]!.shape[1]!;
  const starts: number[] = [];
  let N = 0;
  for (const s of sources) {
    if (s.ndim !== 2 || s.shape[1] !== W) throw new Error(`gatherRows: sources must be 2-D (N, ${W}), got ${shapeStr(s.shape)}`);
    starts.push(N);
    N += s.shape[0]!;
  }
  const M = index.length;
  // Which source and row each result row reads, resolved once for forward and backward.
  const which = new Int32Array(M);
  const rowOf = new Int32Array(M);
  // When no row is read twice (packing, unpacking by lengths), backward is a copy, not a sum.
  const seen = new Uint8Array(N);
  let unique = true;
  for (let m = 0; m < M; m++) {
    const r = index[m]!;
    if (r < -1 || r >= N) throw new Error(`gatherRows: index ${r} at position ${m} is outside [-1, ${N})`);
    if (r >= 0) {
      if (seen[r] === 1) unique = false;
      seen[r] = 1;
    }
    let k = 0;
    while (k + 1 < sources.length && r >= starts[k + 1]!) k++;
    which[m] = r < 0 ? -1 : k;
    rowOf[m] = r < 0 ? 0 : r - starts[k]!;
  }
  const out = new Float32Array(M * W);
  for (let m = 0; m < M; m++) {
    const k = which[m]!;
    if (k < 0) continue;
    const d = sources[k]!.data;
    const from = rowOf[m]! * W;
    // Wide rows copy as a block; for narrow ones a subarray view costs more than the loop.
    if (W >= 32) out.set(d.subarray(from, from + W), m * W);
    else for (let w = 0, to = m * W; w < W; w++) out[to + w] = d[from + w]!;
  }
  const t = new Tensor(out, [M, W]);
  recordOp("gatherRows", sources, [t], ([g]) => {
    const grads = sources.map((s) => (s.requiresGrad ? new Float32Array(s.size) : null));
    const gOut = g!;
    for (let m = 0; m < M; m++) {
      const k = which[m]!;
      const gs = k < 0 ? null : grads[k]!;
      if (gs === null) continue;
      const to = rowOf[m]! * W;
      const from = m * W;
      if (unique && W >= 32) gs.set(gOut.subarray(from, from + W), to);
      else for (let w = 0; w < W; w++) gs[to + w]! += gOut[from + w]!;
    }
    return grads;
  });
  return t;
}
