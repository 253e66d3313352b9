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

// ---- Activation primitives (each with its derivative beside it) ----

/** SELU's constants, from Klambauer et al. (2017), as in Keras, TF.js and PyTorch. */
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;

/**
 * The error function, to double precision: its Maclaurin series for |z| < 3 (at most ~1e-12 lost
 * to cancellation there) and the continued fraction of erfc beyond, where the series would cancel.
 */
export function erfScalar(z: number): number {
  if (Number.isNaN(z)) return NaN;
  const a = Math.abs(z);
  if (a < 3) {
    let term = z;
    let s = z;
    const z2 = z * z;
    for (let n = 1; n < 100; n++) {
      term *= -z2 / n;
      const add = term / (2 * n + 1);
      s += add;
      if (Math.abs(add) < 1e-17 * Math.abs(s)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * s;
  }
  // erfc(a) = exp(-a²)/√π · 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + …)))), evaluated from the tail.
  let f = a;
  for (let n = 60; n >= 1; n--) f = a + n / 2 / f;
  const erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
  return Math.sign(z) * (1 - erfc);
}

const INV_SQRT2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const GELU_C = Math.sqrt(2 / Math.PI);

/** ELU: x for x > 0, alpha·(exp(x) - 1) otherwise (alpha default 1). */
export const elu = (x: Tensor, alpha = 1): Tensor =>
  unary("elu", x, (v) => (v > 0 ? v : alpha * Math.expm1(v)), (v, y) => (v > 0 ? 1 : y + alpha));
/** SELU: scale · elu(x, alpha) with the fixed constants SELU_SCALE and SELU_ALPHA. */
export const selu = (x: Tensor): Tensor =>
  unary(
    "selu",
    x,
    (v) => SELU_SCALE * (v > 0 ? v : SELU_ALPHA * Math.expm1(v)),
    (v) => (v > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Math.exp(v)),
  );
/** softplus: log(1 + exp(x)), written max(x, 0) + log1p(exp(-|x|)) so it never overflows. Derivative sigmoid(x). */
export const softplus = (x: Tensor): Tensor =>
  unary("softplus", x, (v) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))), (v) => sigmoidScalar(v));
/** softsign: x / (1 + |x|). */
export const softsign = (x: Tensor): Tensor =>
  unary("softsign", x, (v) => v / (1 + Math.abs(v)), (v) => 1 / (1 + Math.abs(v)) ** 2);
/** relu6: min(max(x, 0), 6). */
export const relu6 = (x: Tensor): Tensor =>
  unary("relu6", x, (v) => Math.min(Math.max(v, 0), 6), (v) => (v > 0 && v < 6 ? 1 : 0));
/**
 * Hard sigmoid as Keras 3 and PyTorch's `Hardsigmoid` define it: relu6(x + 3) / 6, i.e.
 * clip(x/6 + 1/2, 0, 1). (Keras 2 and TF.js use clip(0.2x + 0.5, 0, 1): see `hardSigmoid`.)
 */
export const hardSigmoidKeras3 = (x: Tensor): Tensor =>
  unary("hardSigmoidKeras3", x, (v) => Math.min(Math.max(v + 3, 0), 6) / 6, (v) => (v > -3 && v < 3 ? 1 / 6 : 0));
/** SiLU (swish with beta 1): x · sigmoid(x). */
export const silu = (x: Tensor): Tensor =>
  unary("silu", x, (v) => v * sigmoidScalar(v), (v) => {
    const s = sigmoidScalar(v);
    return s * (1 + v * (1 - s));
  });
/** GELU, exact: x · Φ(x) = 0.5·x·(1 + erf(x/√2)) (PyTorch's default, Keras 3's `approximate=False`, TF.js `gelu`). */
export const gelu = (x: Tensor): Tensor =>
  unary("gelu", x, (v) => 0.5 * v * (1 + erfScalar(v * INV_SQRT2)), (v) =>
    0.5 * (1 + erfScalar(v * INV_SQRT2)) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v));
/**
 * GELU, tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) (PyTorch's
 * `approximate="tanh"`, Keras 3's `approximate=True`, TF.js `gelu_new`).
 */
export const geluTanh = (x: Tensor): Tensor =>
  unary("geluTanh", x, (v) => 0.5 * v * (1 + Math.tanh(GELU_C * (v + 0.044715 * v * v * v))), (v) => {
    const th = Math.tanh(GELU_C * (v + 0.044715 * v * v * v));
    return 0.5 * (1 + th) + 0.5 * v * (1 - th * th) * GELU_C * (1 + 3 * 0.044715 * v * v);
  });
