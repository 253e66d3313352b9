import type { Tensor } from "../tensor/tensor.js";
import { sameShape, shapeStr } from "../tensor/shape.js";
import type { Reduction } from "./cross-entropy.js";

/** Mean squared error, a composite of sub, mul and sum/mean. Shapes must match exactly. */
export function mseLoss(input: Tensor, target: Tensor, opts: { reduction?: Reduction } = {}): Tensor {
  if (!sameShape(input.shape, target.shape)) {
    throw new Error(`mseLoss: input shape ${shapeStr(input.shape)} differs from target shape ${shapeStr(target.shape)}`);
  }
  const d = input.sub(target);
  const sq = d.mul(d);
  const reduction = opts.reduction ?? "mean";
  return reduction === "none" ? sq : reduction === "sum" ? sq.sum() : sq.mean();
}
