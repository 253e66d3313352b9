import { Tensor, recordOp } from "../../tensor/tensor.js";
import { normAxis } from "../../tensor/shape.js";
import { exp } from "./elementwise.js";

/**
 * log softmax along one axis, computed as x - max - log(sum(exp(x - max))) for stability.
 * Backward: dx = g - softmax * sum(g) along the axis.
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const a = normAxis(axis, x.ndim, "logSoftmax");
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < a; i++) outer *= x.shape[i]!;
  for (let i = a + 1; i < x.ndim; i++) inner *= x.shape[i]!;
  const n = x.shape[a]!;
  const xd = x.data;
  const out = new Float32Array(x.size);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      let m = -Infinity;
      for (let k = 0; k < n; k++) m = Math.max(m, xd[base + k * inner]!);
      let s = 0;
      for (let k = 0; k < n; k++) s += Math.exp(xd[base + k * inner]! - m);
      const lse = m + Math.log(s);
      for (let k = 0; k < n; k++) out[base + k * inner] = xd[base + k * inner]! - lse;
    }
  }
  const t = new Tensor(out, x.shape);
  recordOp("logSoftmax", [x], [t], ([g]) => {
    const gd = g!;
    const gx = new Float32Array(x.size);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const base = o * n * inner + j;
        let s = 0;
        for (let k = 0; k < n; k++) s += gd[base + k * inner]!;
        for (let k = 0; k < n; k++) gx[base + k * inner] = gd[base + k * inner]! - Math.exp(out[base + k * inner]!) * s;
      }
    }
    return [gx];
  });
  return t;
}

/** softmax = exp(logSoftmax): a composite, so its gradient comes from the two primitives. */
export function softmax(x: Tensor, axis = -1): Tensor {
  return exp(logSoftmax(x, axis));
}
