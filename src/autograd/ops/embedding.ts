import { Tensor, recordOp } from "../../tensor/tensor.js";
import { type Shape, sizeOf, shapeStr } from "../../tensor/shape.js";

/**
 * Rows of `weight` (V, E) at `indices`; result shape is `shape` + [E].
 * Backward scatters: rows picked several times accumulate their gradients.
 */
export function embedding(weight: Tensor, indices: ArrayLike<number>, shape?: Shape): Tensor {
  if (weight.ndim !== 2) throw new Error(`embedding: weight must be 2-D (V, E), got ${shapeStr(weight.shape)}`);
  const [V, E] = weight.shape as [number, number];
  const s = shape ?? [indices.length];
  if (sizeOf(s) !== indices.length) throw new Error(`embedding: ${indices.length} indices do not fill shape ${shapeStr(s)}`);
  const n = indices.length;
  const idx = Int32Array.from(indices as ArrayLike<number>);
  const out = new Float32Array(n * E);
  for (let i = 0; i < n; i++) {
    const v = idx[i]!;
    if (v < 0 || v >= V || indices[i] !== v) throw new Error(`embedding: index ${indices[i]} at position ${i} is outside [0, ${V})`);
    out.set(weight.data.subarray(v * E, (v + 1) * E), i * E);
  }
  const t = new Tensor(out, [...s, E]);
  recordOp("embedding", [weight], [t], ([g]) => {
    const gw = new Float32Array(V * E);
    for (let i = 0; i < n; i++) {
      const o = idx[i]! * E;
      for (let e = 0; e < E; e++) gw[o + e]! += g![i * E + e]!;
    }
    return [gw];
  });
  return t;
}
