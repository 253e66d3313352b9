/**
 * Index-driven ops with PyTorch's semantics: gather, scatterAdd, maskedFill, where.
 * Index tensors are float32 tensors holding whole numbers (the library has one dtype); masks and
 * conditions count any non-zero value as true.
 */
import { Tensor, recordOp, type Operand } from "../../tensor/tensor.js";
import { broadcastShapes, shapeStr, sizeOf, stridesOf } from "../../tensor/shape.js";
import { broadcastMap, reduceToShape } from "./broadcast.js";
import { offsetsOf, readIndex, resolveDim, stridesWithout } from "./axis.js";

function asTensor(v: Operand): Tensor {
  return typeof v === "number" ? new Tensor(new Float32Array([v]), []) : v;
}

/** Checks that `index` has `ref`'s number of dims and fits inside it (on every dim but `skip`). */
function checkIndexShape(where: string, index: Tensor, refName: string, ref: Tensor, skip: number): void {
  if (index.ndim !== ref.ndim) {
    throw new Error(`${where}: index must have as many dims as ${refName} (${ref.ndim}, shape ${shapeStr(ref.shape)}), got shape ${shapeStr(index.shape)}`);
  }
  for (let d = 0; d < ref.ndim; d++) {
    if (d !== skip && index.shape[d]! > ref.shape[d]!) {
      throw new Error(`${where}: index size ${index.shape[d]} on dim ${d} exceeds ${refName}'s size ${ref.shape[d]} (index ${shapeStr(index.shape)}, ${refName} ${shapeStr(ref.shape)})`);
    }
  }
}

/** Flat offsets into `x` of the elements that `index` points at along `dim`. */
function targetOffsets(x: Tensor, dim: number, index: Tensor, idx: Int32Array): Int32Array {
  const xStrides = stridesOf(x.shape);
  const base = offsetsOf(index.shape, stridesWithout(x.shape, dim));
  for (let p = 0; p < base.length; p++) base[p]! += idx[p]! * xStrides[dim]!;
  return base;
}

/**
 * `out[i][j][k] = x[index[i][j][k]][j][k]` for dim 0 (likewise for other dims), as
 * `torch.gather(x, dim, index)`. The result has `index`'s shape; `index` has `x`'s number of dims
 * and is no larger than `x` on the other dims. Backward scatters the gradient back (+= where an
 * element was picked more than once).
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = resolveDim("gather", dim, x);
  checkIndexShape("gather", index, "x", x, d);
  const idx = readIndex("gather", "index", index, x.shape[d]!);
  const offs = targetOffsets(x, d, index, idx);
  const out = new Float32Array(offs.length);
  for (let p = 0; p < offs.length; p++) out[p] = x.data[offs[p]!]!;
  const t = new Tensor(out, index.shape);
  recordOp("gather", [x], [t], ([g]) => {
    const gx = new Float32Array(x.size);
    for (let p = 0; p < offs.length; p++) gx[offs[p]!]! += g![p]!;
    return [gx];
  });
  return t;
}

/**
 * A copy of `x` with `src[i][j][k]` added at `[index[i][j][k]][j][k]` (for dim 0), as
 * `torch.Tensor.scatter_add(dim, index, src)`; repeated indices accumulate. `index` has the
 * dims of `x` and `src`, no larger than `src` anywhere nor than `x` off `dim`; elements of `src`
 * beyond `index`'s extent are ignored (and get zero gradient). Gradients: x gets g unchanged, src
 * gets g gathered at the same positions.
 */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  const d = resolveDim("scatterAdd", dim, x);
  checkIndexShape("scatterAdd", index, "x", x, d);
  checkIndexShape("scatterAdd", index, "src", src, -1);
  const idx = readIndex("scatterAdd", "index", index, x.shape[d]!);
  const offs = targetOffsets(x, d, index, idx);
  const srcOffs = offsetsOf(index.shape, stridesOf(src.shape));
  const out = x.data.slice();
  for (let p = 0; p < offs.length; p++) out[offs[p]!]! += src.data[srcOffs[p]!]!;
  const t = new Tensor(out, x.shape);
  recordOp("scatterAdd", [x, src], [t], ([g]) => {
    let gs: Float32Array | null = null;
    if (src.requiresGrad) {
      gs = new Float32Array(src.size);
      for (let p = 0; p < offs.length; p++) gs[srcOffs[p]!] = g![offs[p]!]!;
    }
    return [x.requiresGrad ? g!.slice() : null, gs];
  });
  return t;
}

/**
 * `x` with `value` wherever `mask` is non-zero, as `torch.Tensor.masked_fill`. `mask` broadcasts
 * to `x`'s shape (the result keeps `x`'s shape). The gradient passes only where the mask is zero.
 */
export function maskedFill(x: Tensor, mask: Tensor, value: number): Tensor {
  const lead = x.ndim - mask.ndim;
  if (lead < 0 || mask.shape.some((d, i) => d !== 1 && d !== x.shape[lead + i])) {
    throw new Error(`maskedFill: mask of shape ${shapeStr(mask.shape)} must broadcast to x's shape ${shapeStr(x.shape)}`);
  }
  if (typeof value !== "number") throw new Error(`maskedFill: value must be a number, got ${typeof value}`);
  const map = broadcastMap(x.shape, mask.shape);
  const n = x.size;
  const on = new Uint8Array(n);
  const out = x.data.slice();
  for (let i = 0; i < n; i++) {
    if (mask.data[map === null ? i : map[i]!] !== 0) {
      on[i] = 1;
      out[i] = value;
    }
  }
  const t = new Tensor(out, x.shape);
  recordOp("maskedFill", [x], [t], ([g]) => {
    const gx = new Float32Array(n);
    for (let i = 0; i < n; i++) gx[i] = on[i] ? 0 : g![i]!;
    return [gx];
  });
  return t;
}

/**
 * Elementwise `cond ? a : b` with broadcasting of all three, as `torch.where`. `a` and `b` may be
 * numbers. The gradient goes to `a` where cond is non-zero and to `b` elsewhere, summed back over
 * broadcast dims.
 */
export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  const ta = asTensor(a);
  const tb = asTensor(b);
  let shape: number[];
  try {
    shape = broadcastShapes(broadcastShapes(cond.shape, ta.shape, "where"), tb.shape, "where");
  } catch {
    throw new Error(
      `where: cond of shape ${shapeStr(cond.shape)}, a of shape ${shapeStr(ta.shape)} and b of shape ${shapeStr(tb.shape)} cannot be broadcast together`,
    );
  }
  const n = sizeOf(shape);
  const mc = broadcastMap(shape, cond.shape);
  const ma = broadcastMap(shape, ta.shape);
  const mb = broadcastMap(shape, tb.shape);
  const pick = new Uint8Array(n);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = cond.data[mc === null ? i : mc[i]!] !== 0;
    pick[i] = c ? 1 : 0;
    out[i] = c ? ta.data[ma === null ? i : ma[i]!]! : tb.data[mb === null ? i : mb[i]!]!;
  }
  const t = new Tensor(out, shape);
  recordOp("where", [ta, tb], [t], ([g]) => {
    const ga = new Float32Array(n);
    const gb = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      if (pick[i]) ga[i] = g![i]!;
      else gb[i] = g![i]!;
    }
    return [ta.requiresGrad ? reduceToShape(ga, ma, ta.size) : null, tb.requiresGrad ? reduceToShape(gb, mb, tb.size) : null];
  });
  return t;
}
