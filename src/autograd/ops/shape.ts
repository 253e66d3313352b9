import { Tensor, recordOp } from "../../tensor/tensor.js";
import { type Shape, normAxis, shapeStr, sizeOf, stridesOf } from "../../tensor/shape.js";

/** Same data, new shape; one dim may be -1 (inferred). Shares the data array. */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const target = [...shape];
  const inferred = target.indexOf(-1);
  if (inferred >= 0) {
    const known = target.reduce((p, d, i) => (i === inferred ? p : p * d), 1);
    if (known === 0 || x.size % known !== 0) throw new Error(`reshape: cannot reshape ${shapeStr(x.shape)} into ${shapeStr(shape)}`);
    target[inferred] = x.size / known;
  }
  if (sizeOf(target) !== x.size) {
    throw new Error(`reshape: cannot reshape ${shapeStr(x.shape)} (${x.size} elements) into ${shapeStr(shape)}`);
  }
  const t = new Tensor(x.data, target);
  recordOp("reshape", [x], [t], ([g]) => [g!]);
  return t;
}

export function unsqueeze(x: Tensor, axis: number): Tensor {
  const a = normAxis(axis, x.ndim + 1, "unsqueeze");
  const s = [...x.shape];
  s.splice(a, 0, 1);
  return reshape(x, s);
}

export function squeeze(x: Tensor, axis: number): Tensor {
  const a = normAxis(axis, x.ndim, "squeeze");
  if (x.shape[a] !== 1) throw new Error(`squeeze: dim ${axis} of ${shapeStr(x.shape)} has size ${x.shape[a]}, expected 1`);
  return reshape(x, x.shape.filter((_, i) => i !== a));
}

/** Copies `src` (shape `shape`) into a new array laid out with its axes reordered by `dims`. */
function permuteData(src: Float32Array, shape: readonly number[], dims: readonly number[]): Float32Array {
  const nd = shape.length;
  const inStrides = stridesOf(shape);
  const outShape = dims.map((d) => shape[d]!);
  const stepIn = dims.map((d) => inStrides[d]!);
  const out = new Float32Array(src.length);
  const idx = new Array<number>(nd).fill(0);
  let off = 0;
  for (let k = 0; k < out.length; k++) {
    out[k] = src[off]!;
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]!++;
      off += stepIn[d]!;
      if (idx[d]! < outShape[d]!) break;
      off -= stepIn[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
  return out;
}

export function permute(x: Tensor, dims: number[]): Tensor {
  const nd = x.ndim;
  const norm = dims.map((d) => normAxis(d, nd, "permute"));
  if (norm.length !== nd || new Set(norm).size !== nd) {
    throw new Error(`permute: dims [${dims.join(", ")}] must be a permutation of 0..${nd - 1}`);
  }
  const t = new Tensor(permuteData(x.data, x.shape, norm), norm.map((d) => x.shape[d]!));
  recordOp("permute", [x], [t], ([g]) => {
    const inverse = new Array<number>(nd);
    norm.forEach((d, i) => (inverse[d] = i));
    return [permuteData(g!, t.shape, inverse)];
  });
  return t;
}

export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const dims = x.shape.map((_, i) => i);
  const a = normAxis(dim0, x.ndim, "transpose");
  const b = normAxis(dim1, x.ndim, "transpose");
  dims[a] = b;
  dims[b] = a;
  return permute(x, dims);
}

/** Views a shape as (outer, n, inner) around one axis. */
function around(shape: readonly number[], axis: number): [number, number, number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  return [outer, shape[axis]!, inner];
}

/** Elements [start, end) along `axis` (a copy). */
export function slice(x: Tensor, axis: number, start: number, end: number): Tensor {
  const a = normAxis(axis, x.ndim, "slice");
  const n = x.shape[a]!;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > n || start > end) {
    throw new Error(`slice: range [${start}, ${end}) is not inside dim ${axis} of size ${n} (shape ${shapeStr(x.shape)})`);
  }
  const [outer, , inner] = around(x.shape, a);
  const len = end - start;
  const out = new Float32Array(outer * len * inner);
  for (let o = 0; o < outer; o++) {
    out.set(x.data.subarray((o * n + start) * inner, (o * n + end) * inner), o * len * inner);
  }
  const shape = [...x.shape];
  shape[a] = len;
  const t = new Tensor(out, shape);
  recordOp("slice", [x], [t], ([g]) => {
    const gx = new Float32Array(x.size);
    for (let o = 0; o < outer; o++) gx.set(g!.subarray(o * len * inner, (o + 1) * len * inner), (o * n + start) * inner);
    return [gx];
  });
  return t;
}

export function select(x: Tensor, axis: number, index: number): Tensor {
  const a = normAxis(axis, x.ndim, "select");
  const n = x.shape[a]!;
  const i = index < 0 ? index + n : index;
  if (!Number.isInteger(i) || i < 0 || i >= n) throw new Error(`select: index ${index} is out of range for dim ${axis} of size ${n}`);
  return squeeze(slice(x, a, i, i + 1), a);
}

/** Joins tensors along an existing axis; all other dims must agree. */
export function concat(xs: readonly Tensor[], axis: number): Tensor {
  if (xs.length === 0) throw new Error("concat: needs at least one tensor");
  const first = xs[0]!;
  const a = normAxis(axis, first.ndim, "concat");
  for (const x of xs) {
    if (x.ndim !== first.ndim || x.shape.some((d, i) => i !== a && d !== first.shape[i])) {
      throw new Error(`concat: shapes ${shapeStr(first.shape)} and ${shapeStr(x.shape)} differ outside axis ${axis}`);
    }
  }
  const [outer, , inner] = around(first.shape, a);
  const lens = xs.map((x) => x.shape[a]!);
  const total = lens.reduce((p, q) => p + q, 0);
  const out = new Float32Array(outer * total * inner);
  let pos = 0;
  xs.forEach((x, k) => {
    const len = lens[k]!;
    for (let o = 0; o < outer; o++) out.set(x.data.subarray(o * len * inner, (o + 1) * len * inner), (o * total + pos) * inner);
    pos += len;
  });
  const shape = [...first.shape];
  shape[a] = total;
  const t = new Tensor(out, shape);
  recordOp("concat", xs, [t], ([g]) => {
    let p = 0;
    return xs.map((x, k) => {
      const len = lens[k]!;
      const start = p;
      p += len;
      if (!x.requiresGrad) return null;
      const gx = new Float32Array(x.size);
      for (let o = 0; o < outer; o++) gx.set(g!.subarray((o * total + start) * inner, (o * total + start + len) * inner), o * len * inner);
      return gx;
    });
  });
  return t;
}

/** Stacks equal-shaped tensors along a new axis (composite: unsqueeze + concat). */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  if (xs.length === 0) throw new Error("stack: needs at least one tensor");
  return concat(xs.map((x) => unsqueeze(x, axis)), axis);
}

/** Splits along `axis` into pieces of the given sizes (composite: slices). */
export function split(x: Tensor, sizes: number[], axis: number): Tensor[] {
  const a = normAxis(axis, x.ndim, "split");
  const total = sizes.reduce((p, q) => p + q, 0);
  if (total !== x.shape[a]) throw new Error(`split: sizes [${sizes.join(", ")}] add up to ${total} but dim ${axis} has size ${x.shape[a]}`);
  let p = 0;
  return sizes.map((s) => {
    const piece = slice(x, a, p, p + s);
    p += s;
    return piece;
  });
}
