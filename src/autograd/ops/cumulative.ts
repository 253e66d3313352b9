/** Running and log-domain reductions along an axis: cumsum and logsumexp, as in PyTorch. */
import { Tensor, recordOp } from "../../tensor/tensor.js";
import { shapeStr } from "../../tensor/shape.js";
import { aroundAxis, resolveDim } from "./axis.js";

/**
 * Running sum along `dim`: `out[k] = x[0] + … + x[k]`, as `torch.cumsum`. Accumulates in float64.
 * Backward: the gradient summed from the end, `gx[k] = g[k] + … + g[n-1]`.
 */
export function cumsum(x: Tensor, dim: number): Tensor {
  const d = resolveDim("cumsum", dim, x);
  const [outer, n, inner] = aroundAxis(x.shape, d);
  const out = new Float32Array(x.size);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let s = 0;
      for (let k = 0; k < n; k++) {
        s += x.data[base + k * inner]!;
        out[base + k * inner] = s;
      }
    }
  }
  const t = new Tensor(out, x.shape);
  recordOp("cumsum", [x], [t], ([g]) => {
    const gx = new Float32Array(x.size);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        let s = 0;
        for (let k = n - 1; k >= 0; k--) {
          s += g![base + k * inner]!;
          gx[base + k * inner] = s;
        }
      }
    }
    return [gx];
  });
  return t;
}

/**
 * `log(Σ exp(x))` along `dim` (one axis or several), as `torch.logsumexp(x, dim, keepdim)`,
 * computed as `m + log(Σ exp(x - m))` with `m` the maximum so that large inputs do not overflow.
 * A slice that is all -inf gives -inf; one containing +inf gives +inf. Backward:
 * `gx = g · exp(x - out)` (the softmax of the slice).
 */
export function logsumexp(x: Tensor, dim: number | readonly number[], keepdim = false): Tensor {
  const dims = typeof dim === "number" ? [dim] : [...dim];
  if (dims.length === 0) throw new Error(`logsumexp: dim must name at least one axis of shape ${shapeStr(x.shape)}, got []`);
  const axes = [...new Set(dims.map((a) => resolveDim("logsumexp", a, x)))].sort((a, b) => a - b);
  // Move the reduced axes last (a permutation of offsets), then reduce contiguous runs.
  const keptAxes = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const order = [...keptAxes, ...axes];
  const strides = new Array<number>(x.ndim);
  let s = 1;
  for (let i = x.ndim - 1; i >= 0; i--) {
    strides[i] = s;
    s *= x.shape[i]!;
  }
  let m = 1;
  for (const a of axes) m *= x.shape[a]!;
  const groups = x.size / Math.max(m, 1);
  const offs = new Int32Array(x.size);
  {
    const shp = order.map((a) => x.shape[a]!);
    const st = order.map((a) => strides[a]!);
    const idx = new Array<number>(order.length).fill(0);
    let off = 0;
    for (let k = 0; k < x.size; k++) {
      offs[k] = off;
      for (let d = order.length - 1; d >= 0; d--) {
        idx[d]!++;
        off += st[d]!;
        if (idx[d]! < shp[d]!) break;
        off -= st[d]! * shp[d]!;
        idx[d] = 0;
      }
    }
  }
  // Kept in float64 for the backward, so exp(x - lse) sums to 1 without float32 rounding.
  const lse = new Float64Array(groups);
  for (let gi = 0; gi < groups; gi++) {
    let mx = -Infinity;
    for (let k = 0; k < m; k++) mx = Math.max(mx, x.data[offs[gi * m + k]!]!);
    if (mx === -Infinity || mx === Infinity || Number.isNaN(mx)) {
      lse[gi] = mx;
      continue;
    }
    let acc = 0;
    for (let k = 0; k < m; k++) acc += Math.exp(x.data[offs[gi * m + k]!]! - mx);
    lse[gi] = mx + Math.log(acc);
  }
  const out = Float32Array.from(lse);
  const shape = keepdim ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : keptAxes.map((a) => x.shape[a]!);
  const t = new Tensor(out, shape);
  recordOp("logsumexp", [x], [t], ([g]) => {
    const gx = new Float32Array(x.size);
    for (let gi = 0; gi < groups; gi++) {
      for (let k = 0; k < m; k++) {
        const o = offs[gi * m + k]!;
        gx[o] = g![gi]! * Math.exp(x.data[o]! - lse[gi]!);
      }
    }
    return [gx];
  });
  return t;
}
