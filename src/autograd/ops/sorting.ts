/**
 * Ops that pick positions by value: argmax, argmin and topk, with PyTorch's semantics.
 * Positions come back as float32 tensors holding whole numbers (the library has one dtype), so
 * they can be fed straight to `gather`, `oneHot` (via `toArray()`) or compared with labels.
 */
import { Tensor, recordOp } from "../../tensor/tensor.js";
import { shapeStr } from "../../tensor/shape.js";
import { aroundAxis, resolveDim } from "./axis.js";

/** True when `v` should replace `best` (NaN wins, as in PyTorch; the first of equal values stays). */
type Better = (v: number, best: number) => boolean;
const greater: Better = (v, best) => !Number.isNaN(best) && (v > best || Number.isNaN(v));
const less: Better = (v, best) => !Number.isNaN(best) && (v < best || Number.isNaN(v));

function argBest(where: string, x: Tensor, better: Better, dim: number | undefined, keepdim: boolean): Tensor {
  if (x.size === 0) throw new Error(`${where}: x is empty (shape ${shapeStr(x.shape)}), there is no position to return`);
  if (dim === undefined) {
    let bi = 0;
    for (let i = 1; i < x.size; i++) if (better(x.data[i]!, x.data[bi]!)) bi = i;
    return new Tensor(new Float32Array([bi]), []);
  }
  const d = resolveDim(where, dim, x);
  const [outer, n, inner] = aroundAxis(x.shape, d);
  const out = new Float32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let bk = 0;
      for (let k = 1; k < n; k++) if (better(x.data[base + k * inner]!, x.data[base + bk * inner]!)) bk = k;
      out[o * inner + i] = bk;
    }
  }
  const shape = keepdim ? x.shape.map((s, i) => (i === d ? 1 : s)) : x.shape.filter((_, i) => i !== d);
  return new Tensor(out, shape);
}

/**
 * Position of the largest value along `dim` (of the flattened tensor when `dim` is omitted, giving
 * a 0-d tensor), as `torch.argmax`. The first position wins ties; NaN counts as the largest.
 * Returns float32 values holding whole numbers; `keepdim` (default false) keeps `dim` with size 1.
 * Not differentiable (the result is cut from the tape).
 */
export function argmax(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argBest("argmax", x, greater, dim, keepdim);
}

/** Position of the smallest value along `dim`, as `torch.argmin`; otherwise as {@link argmax}. */
export function argmin(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argBest("argmin", x, less, dim, keepdim);
}

/**
 * The `k` largest (or, with `largest = false`, smallest) values along `dim` (default the last),
 * sorted, and their positions: `[values, indices]`, as `torch.topk(x, k, dim, largest, sorted=True)`.
 * Equal values keep their order of position. `indices` is float32 holding whole numbers. The
 * gradient of `values` goes back to the positions they came from.
 */
export function topk(x: Tensor, k: number, dim = -1, largest = true): [Tensor, Tensor] {
  const d = resolveDim("topk", dim, x);
  const [outer, n, inner] = aroundAxis(x.shape, d);
  if (!Number.isInteger(k) || k < 0 || k > n) {
    throw new Error(`topk: k must be an integer in [0, ${n}] (the size of dim ${dim} of shape ${shapeStr(x.shape)}), got ${k}`);
  }
  const values = new Float32Array(outer * k * inner);
  const indices = new Float32Array(outer * k * inner);
  const src = new Int32Array(outer * k * inner);
  const order = Array.from({ length: n }, (_, i) => i);
  const sign = largest ? -1 : 1;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      const val = (j: number): number => x.data[base + j * inner]!;
      order.sort((p, q) => {
        const a = val(p);
        const b = val(q);
        // NaN sorts as the largest value, as in PyTorch.
        if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) === Number.isNaN(b) ? p - q : (Number.isNaN(a) ? sign : -sign);
        return a === b ? p - q : sign * (a - b);
      });
      for (let j = 0; j < k; j++) {
        const at = (o * k + j) * inner + i;
        values[at] = val(order[j]!);
        indices[at] = order[j]!;
        src[at] = base + order[j]! * inner;
      }
    }
  }
  const shape = x.shape.map((s, i) => (i === d ? k : s));
  const v = new Tensor(values, shape);
  recordOp("topk", [x], [v], ([g]) => {
    const gx = new Float32Array(x.size);
    for (let j = 0; j < src.length; j++) gx[src[j]!]! += g![j]!;
    return [gx];
  });
  return [v, new Tensor(indices, shape)];
}
