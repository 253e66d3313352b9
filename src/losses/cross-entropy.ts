import { Tensor, recordOp } from "../tensor/tensor.js";
import { shapeStr } from "../tensor/shape.js";
import { takeZeroed } from "../tensor/pool.js";
import { checkOptions, describeArg, type OptionSchema } from "../nn/options.js";

export type Reduction = "mean" | "sum" | "none";

/** The accepted values of `reduction`. */
export const REDUCTIONS: readonly Reduction[] = ["mean", "sum", "none"];

export interface CrossEntropyOptions {
  /** "mean" (default) averages over targets that are not ignored; "sum"; "none" gives one loss per row. */
  reduction?: Reduction;
  /** Targets equal to this are skipped and get no gradient. Default -100, as in PyTorch. */
  ignoreIndex?: number;
  /** Mixes the one-hot target with the uniform distribution: (1-ε)·nll + ε·mean(-log p). Default 0. */
  labelSmoothing?: number;
}

const SCHEMA: OptionSchema = {
  reduction: { type: "enum", values: REDUCTIONS },
  ignoreIndex: { type: "integer" },
  labelSmoothing: { type: "number", min: 0, max: 1 },
};

/** Checks a loss's input tensor: a Tensor of shape (N, C) with C >= 1. */
function checkInput(where: string, name: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${where}: ${name} must be a Tensor of shape (N, C), got ${describeArg(x)}`);
  if (x.ndim !== 2) throw new RangeError(`${where}: ${name} must be 2-D (N, C), got shape ${shapeStr(x.shape)}`);
  if (x.shape[1] === 0) throw new RangeError(`${where}: ${name} has shape ${shapeStr(x.shape)}, with no classes (C = 0)`);
}

/** Class indices given as an array, or as a 1-D Tensor of whole numbers (PyTorch's form). */
export type Targets = ArrayLike<number> | Tensor;

function targetArray(where: string, targets: Targets): ArrayLike<number> {
  if (!(targets instanceof Tensor)) return targets;
  if (targets.ndim !== 1) throw new RangeError(`${where}: a targets Tensor must be 1-D (N), got shape ${shapeStr(targets.shape)}`);
  return targets.data;
}

/**
 * Cross-entropy of logits (N, C) against class indices (N), PyTorch's F.cross_entropy:
 * logSoftmax (a primitive) followed by the negative log-likelihood below. Options: `reduction`
 * "mean" (default) | "sum" | "none", `ignoreIndex` (default -100), `labelSmoothing` in [0, 1]
 * (default 0).
 */
export function crossEntropy(logits: Tensor, targets: Targets, opts: CrossEntropyOptions = {}): Tensor {
  checkInput("crossEntropy", "logits", logits);
  checkOptions<CrossEntropyOptions>("crossEntropy", opts, SCHEMA, { allowMissing: true });
  return fusedCrossEntropy(logits, targetArray("crossEntropy", targets), opts);
}

/** Negative log-likelihood of log-probabilities (N, C) at class indices (N); options as crossEntropy's. */
export function nllLoss(logp: Tensor, targets: Targets, opts: CrossEntropyOptions = {}): Tensor {
  checkInput("nllLoss", "input", logp);
  checkOptions<CrossEntropyOptions>("nllLoss", opts, SCHEMA, { allowMissing: true });
  return nll("nllLoss", logp, targetArray("nllLoss", targets), opts);
}

/** Checks the targets against (N, C) and returns how many rows are not ignored. */
function countTargets(where: string, x: Tensor, targets: ArrayLike<number>, ignoreIndex: number, reduction: Reduction): number {
  const [N, C] = x.shape as [number, number];
  if (typeof targets !== "object" || targets === null || typeof targets.length !== "number") {
    throw new TypeError(`${where}: targets must be an array or a 1-D Tensor of N class indices, got ${describeArg(targets)}`);
  }
  if (targets.length !== N) throw new RangeError(`${where}: ${targets.length} targets for ${N} rows of input (shape ${shapeStr(x.shape)})`);
  for (let i = 0; i < N; i++) {
    const y: unknown = targets[i];
    if (y === ignoreIndex) continue;
    if (typeof y !== "number" || !Number.isInteger(y) || y < 0 || y >= C) {
      throw new RangeError(`${where}: target ${describeArg(y)} at position ${i} is outside [0, ${C}) (and is not ignoreIndex ${ignoreIndex})`);
    }
  }
  let count = 0;
  for (let i = 0; i < N; i++) if (targets[i] !== ignoreIndex) count++;
  if (reduction === "mean" && count === 0) {
    throw new Error(`${where}: every target equals ignoreIndex (${ignoreIndex}), so the mean loss is undefined`);
  }
  return count;
}

/** The loss of rows' losses: per row, their sum, or their mean over `count` rows. */
function reduceRows(perRow: Float32Array, reduction: Reduction, count: number): Tensor {
  if (reduction === "none") return new Tensor(perRow, [perRow.length]);
  let s = 0;
  for (let i = 0; i < perRow.length; i++) s += perRow[i]!;
  return new Tensor(new Float32Array([reduction === "mean" ? s / count : s]), []);
}

/** Row i's share of the output gradient g. */
function rowGrad(g: Float32Array, i: number, reduction: Reduction, count: number): number {
  return reduction === "none" ? g[i]! : reduction === "mean" ? g[0]! / count : g[0]!;
}

/** Each row's loss from log-probabilities lp (N, C): (1-ε)·(-lp[y]) + ε·mean(-lp); 0 for ignored rows. */
function rowLosses(lp: Float32Array, N: number, C: number, targets: ArrayLike<number>, ignoreIndex: number, eps: number): Float32Array {
  const perRow = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    const y = targets[i]!;
    if (y === ignoreIndex) continue;
    let smooth = 0;
    if (eps > 0) {
      for (let c = 0; c < C; c++) smooth -= lp[i * C + c]!;
      smooth /= C;
    }
    perRow[i] = (1 - eps) * -lp[i * C + y]! + eps * smooth;
  }
  return perRow;
}

/**
 * Row i's gradient of the loss with respect to its log-probabilities, into gl (C), which must
 * hold zeros: -(1-ε)·gi at the target and -(ε/C)·gi everywhere when smoothing.
 */
function rowNllGrad(gl: Float32Array, at: number, C: number, y: number, gi: number, eps: number): void {
  gl[at + y]! -= (1 - eps) * gi;
  if (eps > 0) for (let c = 0; c < C; c++) gl[at + c]! -= (eps / C) * gi;
}

function nll(where: string, logp: Tensor, targets: ArrayLike<number>, opts: CrossEntropyOptions = {}): Tensor {
  const reduction = opts.reduction ?? "mean";
  const ignoreIndex = opts.ignoreIndex ?? -100;
  const eps = opts.labelSmoothing ?? 0;
  const [N, C] = logp.shape as [number, number];
  const count = countTargets(where, logp, targets, ignoreIndex, reduction);
  const out = reduceRows(rowLosses(logp.data, N, C, targets, ignoreIndex, eps), reduction, count);
  recordOp("nllLoss", [logp], [out], ([g]) => {
    const gl = takeZeroed(N * C);
    for (let i = 0; i < N; i++) {
      const y = targets[i]!;
      if (y !== ignoreIndex) rowNllGrad(gl, i * C, C, y, rowGrad(g!, i, reduction, count), eps);
    }
    return [gl];
  });
  return out;
}

/**
 * Cross-entropy as one tape node: the log-softmax rows (kept for backward) and the loss in the
 * forward; in the backward, per row, the nll gradient gl and then the log-softmax backward
 * gl - softmax·sum(gl), written straight into the logits' gradient. The arithmetic is that of
 * logSoftmax followed by nllLoss, operation for operation, so the results are bit-identical to the
 * two-node graph; only the intermediate (N, C) arrays are gone.
 */
function fusedCrossEntropy(logits: Tensor, targets: ArrayLike<number>, opts: CrossEntropyOptions): Tensor {
  const reduction = opts.reduction ?? "mean";
  const ignoreIndex = opts.ignoreIndex ?? -100;
  const eps = opts.labelSmoothing ?? 0;
  const [N, C] = logits.shape as [number, number];
  const count = countTargets("crossEntropy", logits, targets, ignoreIndex, reduction);
  const lp = logSoftmaxRows(logits.data, N, C);
  const out = reduceRows(rowLosses(lp, N, C, targets, ignoreIndex, eps), reduction, count);
  recordOp("crossEntropy", [logits], [out], ([g]) => {
    const gx = takeZeroed(N * C);
    const gl = new Float32Array(C);
    for (let i = 0; i < N; i++) {
      const y = targets[i]!;
      if (y === ignoreIndex) continue; // gl = 0, so gx = 0 - softmax · 0
      gl.fill(0);
      rowNllGrad(gl, 0, C, y, rowGrad(g!, i, reduction, count), eps);
      let s = 0;
      for (let k = 0; k < C; k++) s += gl[k]!;
      for (let k = 0; k < C; k++) gx[i * C + k] = gl[k]! - Math.exp(lp[i * C + k]!) * s;
    }
    return [gx];
  });
  return out;
}

/** Log-softmax of each row of x (N, C), as logSoftmax computes it: x - max - log(sum(exp(x - max))). */
function logSoftmaxRows(x: Float32Array, N: number, C: number): Float32Array {
  const out = new Float32Array(N * C);
  for (let i = 0; i < N; i++) {
    const base = i * C;
    let m = -Infinity;
    for (let k = 0; k < C; k++) m = Math.max(m, x[base + k]!);
    let s = 0;
    for (let k = 0; k < C; k++) s += Math.exp(x[base + k]! - m);
    const lse = m + Math.log(s);
    for (let k = 0; k < C; k++) out[base + k] = x[base + k]! - lse;
  }
  return out;
}
