import { type Shape, shapeStr, stridesOf } from "../../tensor/shape.js";
import type { Tensor } from "../../tensor/tensor.js";

/** Views a shape as (outer, n, inner) around one axis: element (o, k, i) is at (o·n + k)·inner + i. */
export function aroundAxis(shape: Shape, axis: number): [number, number, number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  return [outer, shape[axis]!, inner];
}

/**
 * For each flat (row-major) position of `shape`, the offset `Σ idx[d] · strides[d]`, where
 * `strides` may belong to a larger tensor (a window of it) or hold 0 on some dims.
 */
export function offsetsOf(shape: Shape, strides: readonly number[]): Int32Array {
  const nd = shape.length;
  let n = 1;
  for (const d of shape) n *= d;
  const out = new Int32Array(n);
  const idx = new Array<number>(nd).fill(0);
  let off = 0;
  for (let k = 0; k < n; k++) {
    out[k] = off;
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]!++;
      off += strides[d]!;
      if (idx[d]! < shape[d]!) break;
      off -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
  return out;
}

/** Strides of `shape` with the stride of `axis` set to 0 (so offsets skip that axis). */
export function stridesWithout(shape: Shape, axis: number): number[] {
  const s = stridesOf(shape);
  s[axis] = 0;
  return s;
}

/** Resolves `dim` for op `where`, naming the argument and the shape in the error. */
export function resolveDim(where: string, dim: number, x: Tensor, arg = "dim"): number {
  const nd = x.ndim;
  const a = dim < 0 ? dim + nd : dim;
  if (!Number.isInteger(dim) || a < 0 || a >= nd) {
    throw new Error(`${where}: ${arg} must be an integer in [${-nd}, ${nd - 1}] for a tensor of shape ${shapeStr(x.shape)}, got ${dim}`);
  }
  return a;
}

/**
 * The integer values of an index tensor (float32 holding whole numbers), each checked to lie in
 * [0, size); negative values are not wrapped, as in PyTorch's gather and scatter.
 */
export function readIndex(where: string, arg: string, index: Tensor, size: number): Int32Array {
  const out = new Int32Array(index.size);
  const d = index.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= size) {
      throw new Error(`${where}: ${arg} must hold integers in [0, ${size - 1}], got ${v} at flat position ${i}`);
    }
    out[i] = v;
  }
  return out;
}
