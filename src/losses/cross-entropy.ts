import { Tensor, recordOp } from "../tensor/tensor.js";
import { shapeStr } from "../tensor/shape.js";
import { logSoftmax } from "../autograd/ops/softmax.js";

export type Reduction = "mean" | "sum" | "none";

export interface CrossEntropyOptions {
  /** "mean" (default) averages over targets that are not ignored; "sum"; "none" gives one loss per row. */
  reduction?: Reduction;
  /** Targets equal to this are skipped and get no gradient. Default -100, as in PyTorch. */
  ignoreIndex?: number;
  /** Mixes the one-hot target with the uniform distribution: (1-ε)·nll + ε·mean(-log p). Default 0. */
  labelSmoothing?: number;
}

/**
 * Cross-entropy of logits (N, C) against class indices (N), PyTorch's F.cross_entropy:
 * logSoftmax (a primitive) followed by the negative log-likelihood below.
 */
export function crossEntropy(logits: Tensor, targets: ArrayLike<number>, opts: CrossEntropyOptions = {}): Tensor {
  if (logits.ndim !== 2) throw new Error(`crossEntropy: logits must be 2-D (N, C), got shape ${shapeStr(logits.shape)}`);
  return nllLoss(logSoftmax(logits, 1), targets, opts);
}

/** Negative log-likelihood of log-probabilities (N, C) at class indices (N). */
export function nllLoss(logp: Tensor, targets: ArrayLike<number>, opts: CrossEntropyOptions = {}): Tensor {
  const reduction = opts.reduction ?? "mean";
  const ignoreIndex = opts.ignoreIndex ?? -100;
  const eps = opts.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps <= 1)) throw new Error(`crossEntropy: labelSmoothing must be in [0, 1], got ${eps}`);
  const [N, C] = logp.shape as [number, number];
  if (targets.length !== N) throw new Error(`crossEntropy: ${targets.length} targets for ${N} rows of logits (shape ${shapeStr(logp.shape)})`);
  let count = 0;
  for (let i = 0; i < N; i++) {
    const y = targets[i]!;
    if (y === ignoreIndex) continue;
    if (!Number.isInteger(y) || y < 0 || y >= C) throw new Error(`crossEntropy: target ${y} at position ${i} is outside [0, ${C})`);
    count++;
  }
  if (reduction === "mean" && count === 0) {
    throw new Error(`crossEntropy: every target equals ignoreIndex (${ignoreIndex}), so the mean loss is undefined`);
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
