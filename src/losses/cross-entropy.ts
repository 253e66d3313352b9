import { Tensor, recordOp } from "../tensor/tensor.js";
import { shapeStr } from "../tensor/shape.js";
import { logSoftmax } from "../autograd/ops/softmax.js";
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
  return nll("crossEntropy", logSoftmax(logits, 1), targetArray("crossEntropy", targets), opts);
}

/** Negative log-likelihood of log-probabilities (N, C) at class indices (N); options as crossEntropy's. */
export function nllLoss(logp: Tensor, targets: Targets, opts: CrossEntropyOptions = {}): Tensor {
  checkInput("nllLoss", "input", logp);
  checkOptions<CrossEntropyOptions>("nllLoss", opts, SCHEMA, { allowMissing: true });
  return nll("nllLoss", logp, targetArray("nllLoss", targets), opts);
}

function nll(where: string, logp: Tensor, targets: ArrayLike<number>, opts: CrossEntropyOptions = {}): Tensor {
  const reduction = opts.reduction ?? "mean";
  const ignoreIndex = opts.ignoreIndex ?? -100;
  const eps = opts.labelSmoothing ?? 0;
  const [N, C] = logp.shape as [number, number];
  if (typeof targets !== "object" || targets === null || typeof targets.length !== "number") {
    throw new TypeError(`${where}: targets must be an array or a 1-D Tensor of N class indices, got ${describeArg(targets)}`);
  }
  if (targets.length !== N) throw new RangeError(`${where}: ${targets.length} targets for ${N} rows of input (shape ${shapeStr(logp.shape)})`);
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
  const lp = logp.data;
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
  let out: Tensor;
  if (reduction === "none") out = new Tensor(perRow, [N]);
  else {
    let s = 0;
    for (let i = 0; i < N; i++) s += perRow[i]!;
    out = new Tensor(new Float32Array([reduction === "mean" ? s / count : s]), []);
  }
  recordOp("nllLoss", [logp], [out], ([g]) => {
    const gl = new Float32Array(N * C);
    for (let i = 0; i < N; i++) {
      const y = targets[i]!;
      if (y === ignoreIndex) continue;
      const gi = reduction === "none" ? g![i]! : reduction === "mean" ? g![0]! / count : g![0]!;
      gl[i * C + y]! -= (1 - eps) * gi;
      if (eps > 0) for (let c = 0; c < C; c++) gl[i * C + c]! -= (eps / C) * gi;
    }
    return [gl];
  });
  return out;
}
