import { type Shape, sizeOf, sameShape, stridesOf } from "../../tensor/shape.js";

/**
 * For each flat index of `outShape`, the flat index of the element of `inShape` that
 * broadcasting reads. Returns null when the shapes are equal (identity mapping).
 */
export function broadcastMap(outShape: Shape, inShape: Shape): Int32Array | null {
  if (sameShape(outShape, inShape)) return null;
  const n = sizeOf(outShape);
  const nd = outShape.length;
  const inStrides = stridesOf(inShape);
  // Stride 0 on broadcast dims: moving along them does not move in the input.
  const eff = new Array<number>(nd).fill(0);
  for (let i = 0; i < inShape.length; i++) {
    const od = nd - inShape.length + i;
    eff[od] = inShape[i] === 1 ? 0 : inStrides[i]!;
  }
  const map = new Int32Array(n);
  const idx = new Array<number>(nd).fill(0);
  let off = 0;
  for (let k = 0; k < n; k++) {
    map[k] = off;
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]!++;
      off += eff[d]!;
      if (idx[d]! < outShape[d]!) break;
      off -= eff[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
  return map;
}

/** Sums a gradient of the broadcast output shape back to the input's shape. */
export function reduceToShape(g: Float32Array, map: Int32Array | null, inSize: number): Float32Array {
  if (map === null) return g;
  const out = new Float32Array(inSize);
  for (let k = 0; k < g.length; k++) out[map[k]!]! += g[k]!;
  return out;
}
