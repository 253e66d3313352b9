/**
 * Elementwise maximum, minimum and clamp with PyTorch's gradients: the larger (smaller) operand
 * takes the gradient and ties split it half each, as torch's `maximum`/`minimum` backward does;
 * clamp passes the gradient where `min <= x <= max` (bounds included). NaN propagates.
 */
import { Tensor, recordOp, type Operand } from "../../tensor/tensor.js";
import { broadcastShapes, shapeStr, sizeOf } from "../../tensor/shape.js";
import { broadcastMap, reduceToShape } from "./broadcast.js";

function asTensor(v: Operand): Tensor {
  return typeof v === "number" ? new Tensor(new Float32Array([v]), []) : v;
}

function extremum(where: string, x: Tensor, y: Operand, sign: 1 | -1): Tensor {
  const b = asTensor(y);
  let shape: number[];
  try {
    shape = broadcastShapes(x.shape, b.shape, where);
  } catch {
    throw new Error(`${where}: x of shape ${shapeStr(x.shape)} and y of shape ${shapeStr(b.shape)} cannot be broadcast together`);
  }
  const n = sizeOf(shape);
  const ma = broadcastMap(shape, x.shape);
  const mb = broadcastMap(shape, b.shape);
  const out = new Float32Array(n);
  // Share of the gradient that goes to x: 1, 0 or 0.5 on ties (the rest goes to y).
  const share = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const p = x.data[ma === null ? i : ma[i]!]!;
    const q = b.data[mb === null ? i : mb[i]!]!;
    if (Number.isNaN(p) || Number.isNaN(q)) {
      out[i] = NaN;
      share[i] = Number.isNaN(p) ? 1 : 0;
    } else if (p === q) {
      out[i] = p;
      share[i] = 0.5;
    } else {
      const xWins = sign * (p - q) > 0;
      out[i] = xWins ? p : q;
      share[i] = xWins ? 1 : 0;
    }
  }
  const t = new Tensor(out, shape);
  recordOp(where, [x, b], [t], ([g]) => {
    const ga = new Float32Array(n);
    const gb = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      ga[i] = g![i]! * share[i]!;
      gb[i] = g![i]! * (1 - share[i]!);
    }
    return [x.requiresGrad ? reduceToShape(ga, ma, x.size) : null, b.requiresGrad ? reduceToShape(gb, mb, b.size) : null];
  });
  return t;
}

/** Elementwise larger of `x` and `y` (broadcast; `y` may be a number), as `torch.maximum`. */
export function maximum(x: Tensor, y: Operand): Tensor {
  return extremum("maximum", x, y, 1);
}

/** Elementwise smaller of `x` and `y` (broadcast; `y` may be a number), as `torch.minimum`. */
export function minimum(x: Tensor, y: Operand): Tensor {
  return extremum("minimum", x, y, -1);
}

/**
 * `min(max(x, min), max)` elementwise, as `torch.clamp(x, min, max)`; either bound may be omitted
 * (not both). When `min > max` every element becomes `max`, as in PyTorch. The gradient passes
 * where `min <= x <= max`.
 */
export function clamp(x: Tensor, min?: number, max?: number): Tensor {
  if (min === undefined && max === undefined) throw new Error("clamp: give at least one of min and max, got neither");
  for (const [name, v] of [["min", min], ["max", max]] as const) {
    if (v !== undefined && (typeof v !== "number" || Number.isNaN(v))) throw new Error(`clamp: ${name} must be a number, got ${String(v)}`);
  }
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  const n = x.size;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.min(Math.max(x.data[i]!, lo), hi);
  const t = new Tensor(out, x.shape);
  recordOp("clamp", [x], [t], ([g]) => {
    const gx = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const v = x.data[i]!;
      gx[i] = v >= lo && v <= hi ? g![i]! : 0;
    }
    return [gx];
  });
  return t;
}
