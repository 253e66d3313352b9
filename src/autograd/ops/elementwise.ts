import { Tensor, recordOp, needsGrad, type Operand } from "../../tensor/tensor.js";
import { broadcastShapes, sizeOf } from "../../tensor/shape.js";
import { broadcastMap, reduceToShape } from "./broadcast.js";

function asTensor(v: Operand): Tensor {
  return typeof v === "number" ? new Tensor(new Float32Array([v]), []) : v;
}

type BinaryKernel = (a: number, b: number) => number;

/** Applies f elementwise with broadcasting; returns the output and the two index maps. */
function binaryForward(a: Tensor, b: Tensor, f: BinaryKernel, where: string) {
  const shape = broadcastShapes(a.shape, b.shape, where);
  const n = sizeOf(shape);
  const out = new Float32Array(n);
  const ma = broadcastMap(shape, a.shape);
  const mb = broadcastMap(shape, b.shape);
  const ad = a.data;
  const bd = b.data;
  if (ma === null && mb === null) {
    for (let i = 0; i < n; i++) out[i] = f(ad[i]!, bd[i]!);
  } else if (ma === null && b.size === 1) {
    const bv = bd[0]!;
    for (let i = 0; i < n; i++) out[i] = f(ad[i]!, bv);
  } else {
    for (let i = 0; i < n; i++) out[i] = f(ad[ma === null ? i : ma[i]!]!, bd[mb === null ? i : mb[i]!]!);
  }
  return { shape, out, ma, mb };
}

function gatherBy(data: Float32Array, map: Int32Array | null, n: number): Float32Array {
  if (map === null) return data;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = data[map[i]!]!;
  return out;
}

export function add(x: Tensor, y: Operand): Tensor {
  const b = asTensor(y);
  const { shape, out, ma, mb } = binaryForward(x, b, (p, q) => p + q, "add");
  const t = new Tensor(out, shape);
  recordOp("add", [x, b], [t], ([g]) => [reduceToShape(g!, ma, x.size), reduceToShape(g!, mb, b.size)]);
  return t;
}

export function sub(x: Tensor, y: Operand): Tensor {
  const b = asTensor(y);
  const { shape, out, ma, mb } = binaryForward(x, b, (p, q) => p - q, "sub");
  const t = new Tensor(out, shape);
  recordOp("sub", [x, b], [t], ([g]) => {
    const neg = new Float32Array(g!.length);
    for (let i = 0; i < neg.length; i++) neg[i] = -g![i]!;
    return [reduceToShape(g!, ma, x.size), reduceToShape(neg, mb, b.size)];
  });
  return t;
}

export function mul(x: Tensor, y: Operand): Tensor {
  const b = asTensor(y);
  const { shape, out, ma, mb } = binaryForward(x, b, (p, q) => p * q, "mul");
  const t = new Tensor(out, shape);
  recordOp("mul", [x, b], [t], ([g]) => {
    const n = out.length;
    const av = gatherBy(x.data, ma, n);
    const bv = gatherBy(b.data, mb, n);
    const ga = x.requiresGrad ? new Float32Array(n) : null;
    const gb = b.requiresGrad ? new Float32Array(n) : null;
    for (let i = 0; i < n; i++) {
      if (ga) ga[i] = g![i]! * bv[i]!;
      if (gb) gb[i] = g![i]! * av[i]!;
    }
    return [ga && reduceToShape(ga, ma, x.size), gb && reduceToShape(gb, mb, b.size)];
  });
  return t;
}

export function div(x: Tensor, y: Operand): Tensor {
  const b = asTensor(y);
  const { shape, out, ma, mb } = binaryForward(x, b, (p, q) => p / q, "div");
  const t = new Tensor(out, shape);
  recordOp("div", [x, b], [t], ([g]) => {
    const n = out.length;
    const bv = gatherBy(b.data, mb, n);
    const ga = x.requiresGrad ? new Float32Array(n) : null;
    const gb = b.requiresGrad ? new Float32Array(n) : null;
    for (let i = 0; i < n; i++) {
      if (ga) ga[i] = g![i]! / bv[i]!;
      // d(a/b)/db = -(a/b)/b, written with the output to avoid re-reading a.
      if (gb) gb[i] = (-g![i]! * out[i]!) / bv[i]!;
    }
    return [ga && reduceToShape(ga, ma, x.size), gb && reduceToShape(gb, mb, b.size)];
  });
  return t;
}

/**
 * A unary op given by its forward f and its derivative written in terms of the input x and
 * the output y (whichever is cheaper), side by side.
 */
function unary(name: string, x: Tensor, f: (v: number) => number, df: (x: number, y: number) => number): Tensor {
  const n = x.size;
  const out = new Float32Array(n);
  const xd = x.data;
  for (let i = 0; i < n; i++) out[i] = f(xd[i]!);
  const t = new Tensor(out, x.shape);
  if (needsGrad(x)) {
    recordOp(name, [x], [t], ([g]) => {
      const gx = new Float32Array(n);
      for (let i = 0; i < n; i++) gx[i] = g![i]! * df(xd[i]!, out[i]!);
      return [gx];
    });
  }
  return t;
}

export const sigmoidScalar = (v: number): number => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));

export const neg = (x: Tensor): Tensor => unary("neg", x, (v) => -v, () => -1);
export const exp = (x: Tensor): Tensor => unary("exp", x, Math.exp, (_x, y) => y);
export const log = (x: Tensor): Tensor => unary("log", x, Math.log, (v) => 1 / v);
export const sigmoid = (x: Tensor): Tensor => unary("sigmoid", x, sigmoidScalar, (_x, y) => y * (1 - y));
export const tanh = (x: Tensor): Tensor => unary("tanh", x, Math.tanh, (_x, y) => 1 - y * y);
export const relu = (x: Tensor): Tensor => unary("relu", x, (v) => (v > 0 ? v : 0), (v) => (v > 0 ? 1 : 0));
export const sqrt = (x: Tensor): Tensor => unary("sqrt", x, Math.sqrt, (_x, y) => 0.5 / y);
export const abs = (x: Tensor): Tensor => unary("abs", x, Math.abs, (v) => (v > 0 ? 1 : v < 0 ? -1 : 0));
export const powScalar = (x: Tensor, p: number): Tensor =>
  unary("pow", x, (v) => v ** p, (v) => p * v ** (p - 1));
/** Hard sigmoid as Keras defines it: clip(0.2 x + 0.5, 0, 1). */
export const hardSigmoid = (x: Tensor): Tensor =>
  unary("hardSigmoid", x, (v) => Math.min(1, Math.max(0, 0.2 * v + 0.5)), (v) => (v > -2.5 && v < 2.5 ? 0.2 : 0));
