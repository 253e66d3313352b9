import { Tensor, recordOp } from "../../tensor/tensor.js";
import { normAxis, sizeOf } from "../../tensor/shape.js";
import { mul } from "./elementwise.js";

/** The reduced axes, resolved and sorted; all axes when none are given. */
function normalizeAxes(shape: readonly number[], axes: number | number[] | undefined, where: string): number[] {
  if (axes === undefined) return shape.map((_, i) => i);
  const list = typeof axes === "number" ? [axes] : axes;
  const out = [...new Set(list.map((a) => normAxis(a, shape.length, where)))].sort((a, b) => a - b);
  return out;
}

export function sum(x: Tensor, axes?: number | number[], keepDim = false): Tensor {
  const ax = normalizeAxes(x.shape, axes, "sum");
  const reduced = new Set(ax);
  const keptShape = x.shape.map((d, i) => (reduced.has(i) ? 1 : d));
  const outShape = keepDim ? keptShape : x.shape.filter((_, i) => !reduced.has(i));
  const outSize = sizeOf(keptShape);
  const out = new Float32Array(outSize);
  // Map each input element to its output slot by walking the index with stride 0 on reduced dims.
  const nd = x.shape.length;
  const outStrides = new Array<number>(nd);
  let s = 1;
  for (let i = nd - 1; i >= 0; i--) {
    outStrides[i] = reduced.has(i) ? 0 : s;
    s *= keptShape[i]!;
  }
  const map = new Int32Array(x.size);
  const idx = new Array<number>(nd).fill(0);
  let off = 0;
  const xd = x.data;
  // Accumulate in float64: long sums (a loss over T·B·C terms) lose digits in float32.
  const acc = new Float64Array(outSize);
  for (let k = 0; k < xd.length; k++) {
    map[k] = off;
    acc[off]! += xd[k]!;
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]!++;
      off += outStrides[d]!;
      if (idx[d]! < x.shape[d]!) break;
      off -= outStrides[d]! * x.shape[d]!;
      idx[d] = 0;
    }
  }
  for (let i = 0; i < outSize; i++) out[i] = acc[i]!;
  const t = new Tensor(out, outShape);
  recordOp("sum", [x], [t], ([g]) => {
    const gx = new Float32Array(x.size);
    for (let k = 0; k < gx.length; k++) gx[k] = g![map[k]!]!;
    return [gx];
  });
  return t;
}

/** Mean as sum times 1/n: a composite, so it needs no backward of its own. */
export function mean(x: Tensor, axes?: number | number[], keepDim = false): Tensor {
  const ax = normalizeAxes(x.shape, axes, "mean");
  let n = 1;
  for (const a of ax) n *= x.shape[a]!;
  return mul(sum(x, ax, keepDim), 1 / n);
}
