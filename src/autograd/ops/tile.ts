/**
 * Ops that enlarge a tensor by reuse: expand (broadcast to a shape), repeat (torch
 * `Tensor.repeat`) and tile (`torch.tile`). Each output element reads one input element, so the
 * backward sums the output gradient over the copies of each input element.
 */
import { Tensor, recordOp } from "../../tensor/tensor.js";
import { type Shape, shapeStr, sizeOf, stridesOf } from "../../tensor/shape.js";
import { broadcastMap, reduceToShape } from "./broadcast.js";

function checkCounts(where: string, arg: string, values: readonly number[]): void {
  values.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0) throw new Error(`${where}: ${arg}[${i}] must be a non-negative integer, got ${v}`);
  });
}

/**
 * `x` broadcast to `shape`, as `torch.Tensor.expand`: dims of size 1 grow to any size, new dims
 * may be added in front, and -1 keeps an existing dim's size. The result is a copy (the library
 * has no strided views). Backward sums over the expanded dims.
 */
export function expand(x: Tensor, shape: Shape): Tensor {
  const lead = shape.length - x.ndim;
  if (lead < 0) {
    throw new Error(`expand: shape ${shapeStr(shape)} has ${shape.length} dims, fewer than x's ${x.ndim} (shape ${shapeStr(x.shape)})`);
  }
  const target = shape.map((s, i) => {
    if (s === -1) {
      if (i < lead) throw new Error(`expand: -1 is not allowed for the new leading dim ${i} of shape ${shapeStr(shape)}`);
      return x.shape[i - lead]!;
    }
    if (!Number.isInteger(s) || s < 0) throw new Error(`expand: shape[${i}] must be a non-negative integer or -1, got ${s}`);
    if (i >= lead) {
      const have = x.shape[i - lead]!;
      if (have !== s && have !== 1) {
        throw new Error(`expand: dim ${i - lead} of x (shape ${shapeStr(x.shape)}) has size ${have}, which cannot expand to ${s} (only size-1 dims expand); target ${shapeStr(shape)}`);
      }
    }
    return s;
  });
  const map = broadcastMap(target, x.shape);
  const n = sizeOf(target);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = x.data[map === null ? i : map[i]!]!;
  const t = new Tensor(out, target);
  recordOp("expand", [x], [t], ([g]) => [reduceToShape(g!, map, x.size).slice()]);
  return t;
}

/** Output shape and, per output element, the input element it copies, for repeating by `reps`. */
function repeatMap(shape: Shape, reps: readonly number[]): { outShape: number[]; map: Int32Array } {
  const padded = [...new Array<number>(reps.length - shape.length).fill(1), ...shape];
  const strides = stridesOf(padded);
  const outShape = padded.map((s, i) => s * reps[i]!);
  const nd = outShape.length;
  const n = sizeOf(outShape);
  const map = new Int32Array(n);
  const idx = new Array<number>(nd).fill(0);
  for (let k = 0; k < n; k++) {
    let off = 0;
    for (let d = 0; d < nd; d++) off += (idx[d]! % padded[d]!) * strides[d]!;
    map[k] = off;
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d]! < outShape[d]!) break;
      idx[d] = 0;
    }
  }
  return { outShape, map };
}

function repeatWith(where: string, x: Tensor, reps: readonly number[]): Tensor {
  const { outShape, map } = repeatMap(x.shape, reps);
  const out = new Float32Array(map.length);
  for (let k = 0; k < map.length; k++) out[k] = x.data[map[k]!]!;
  const t = new Tensor(out, outShape);
  recordOp(where, [x], [t], ([g]) => {
    const gx = new Float32Array(x.size);
    for (let k = 0; k < map.length; k++) gx[map[k]!]! += g![k]!;
    return [gx];
  });
  return t;
}

/**
 * `x` copied `reps[i]` times along each dim, as `torch.Tensor.repeat(*reps)`: `reps` needs at
 * least `x.ndim` entries; extra leading entries add new leading dims. E.g. shape (2, 3) repeated
 * by [2, 1, 2] gives (2, 2, 6).
 */
export function repeat(x: Tensor, reps: readonly number[]): Tensor {
  if (reps.length < x.ndim) {
    throw new Error(`repeat: reps [${reps.join(", ")}] has ${reps.length} entries but x has ${x.ndim} dims (shape ${shapeStr(x.shape)}); give one count per dim`);
  }
  checkCounts("repeat", "reps", reps);
  return repeatWith("repeat", x, reps);
}

/**
 * As {@link repeat}, but `reps` shorter than `x.ndim` is padded with leading 1s, as `torch.tile`
 * (and NumPy's `tile`): tile(shape (2, 3), [2]) gives (2, 6).
 */
export function tile(x: Tensor, reps: readonly number[]): Tensor {
  checkCounts("tile", "reps", reps);
  const full = reps.length < x.ndim ? [...new Array<number>(x.ndim - reps.length).fill(1), ...reps] : [...reps];
  return repeatWith("tile", x, full);
}
