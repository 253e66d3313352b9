/**
 * The cell nonlinearities the fused kernels run, on plain numbers: each function beside its
 * derivative written in terms of its OUTPUT, since the kernels keep activations (not
 * pre-activations) for backward. The forward formulas are those of the autograd ops
 * (src/autograd/ops/elementwise.ts), so the fused and generic paths agree; an activation whose
 * derivative does not follow from its output (swish, gelu, softmax, …) is not listed and runs on
 * the generic path.
 *
 * At the kinks the derivatives follow the autograd ops: 0 where the clipped value is reached
 * (relu at 0, the hard sigmoids at exactly 0 and 1). PyTorch's Hardsigmoid does the same; TF.js's
 * `hardSigmoid` (a clipByValue) passes 0.2 at exactly x = ±2.5, a measure-zero difference.
 */
import { SELU_ALPHA, SELU_SCALE, sigmoidScalar } from "../../autograd/ops/elementwise.js";
import type { ActivationName } from "../activations.js";

/** An activation and its derivative from its output y = f(x). */
export interface ScalarActivation {
  f: (x: number) => number;
  dFromY: (y: number) => number;
}

const TABLE: Partial<Record<ActivationName, ScalarActivation>> = {
  sigmoid: { f: sigmoidScalar, dFromY: (y) => y * (1 - y) },
  tanh: { f: Math.tanh, dFromY: (y) => 1 - y * y },
  hardSigmoid: { f: (v) => Math.min(1, Math.max(0, 0.2 * v + 0.5)), dFromY: (y) => (y > 0 && y < 1 ? 0.2 : 0) },
  hardSigmoidKeras3: { f: (v) => Math.min(Math.max(v + 3, 0), 6) / 6, dFromY: (y) => (y > 0 && y < 1 ? 1 / 6 : 0) },
  relu: { f: (v) => (v > 0 ? v : 0), dFromY: (y) => (y > 0 ? 1 : 0) },
  relu6: { f: (v) => Math.min(Math.max(v, 0), 6), dFromY: (y) => (y > 0 && y < 6 ? 1 : 0) },
  linear: { f: (v) => v, dFromY: () => 1 },
  elu: { f: (v) => (v > 0 ? v : Math.expm1(v)), dFromY: (y) => (y > 0 ? 1 : y + 1) },
  selu: { f: (v) => SELU_SCALE * (v > 0 ? v : SELU_ALPHA * Math.expm1(v)), dFromY: (y) => (y > 0 ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA) },
  softsign: { f: (v) => v / (1 + Math.abs(v)), dFromY: (y) => (1 - Math.abs(y)) ** 2 },
  softplus: { f: (v) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))), dFromY: (y) => -Math.expm1(-y) },
  exponential: { f: Math.exp, dFromY: (y) => y },
};

/** The scalar form of an activation, or undefined when the fused kernels do not run it. */
export function scalarActivation(name: ActivationName): ScalarActivation | undefined {
  return TABLE[name];
}

/** The scalar form of an activation the caller has checked is listed; throws naming `where` otherwise. */
export function requireScalar(where: string, name: ActivationName): ScalarActivation {
  const s = TABLE[name];
  if (s === undefined) throw new Error(`${where}: activation "${name}" has no fused kernel (known: ${Object.keys(TABLE).join(", ")}); run it on the generic path`);
  return s;
}
