import { Tensor } from "../tensor/tensor.js";
import { sameShape, shapeStr } from "../tensor/shape.js";
import { checkOptions, describeArg, type OptionSchema } from "../nn/options.js";
import { REDUCTIONS, type Reduction } from "./cross-entropy.js";

const SCHEMA: OptionSchema = { reduction: { type: "enum", values: REDUCTIONS } };

/**
 * Mean squared error, a composite of sub, mul and sum/mean. Shapes must match exactly.
 * `reduction`: "mean" (default) | "sum" | "none".
 */
export function mseLoss(input: Tensor, target: Tensor, opts: { reduction?: Reduction } = {}): Tensor {
  if (!(input instanceof Tensor)) throw new TypeError(`mseLoss: input must be a Tensor, got ${describeArg(input)}`);
  if (!(target instanceof Tensor)) throw new TypeError(`mseLoss: target must be a Tensor, got ${describeArg(target)}`);
  checkOptions<{ reduction?: Reduction }>("mseLoss", opts, SCHEMA, { allowMissing: true });
  if (!sameShape(input.shape, target.shape)) {
    throw new Error(`mseLoss: input shape ${shapeStr(input.shape)} differs from target shape ${shapeStr(target.shape)}`);
  }
  const d = input.sub(target);
  const sq = d.mul(d);
  const reduction = opts.reduction ?? "mean";
  return reduction === "none" ? sq : reduction === "sum" ? sq.sum() : sq.mean();
}
