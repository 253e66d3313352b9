/**
 * Activation functions by Keras name, for layers' `activation` and `recurrentActivation` options.
 * Each is built from autograd ops that carry their own derivative (see
 * `src/autograd/ops/elementwise.ts`), so each has a gradient and is gradient-checked.
 *
 * Two hard sigmoids exist and both are offered under distinct names:
 * - `hardSigmoid`: clip(0.2·x + 0.5, 0, 1), Keras 2's and TF.js's (the one Keras 2 LSTMs used as
 *   `recurrent_activation="hard_sigmoid"`);
 * - `hardSigmoidKeras3`: relu6(x + 3) / 6 = clip(x/6 + 1/2, 0, 1), Keras 3's `hard_sigmoid` and
 *   PyTorch's `Hardsigmoid`.
 * The snake_case name `hard_sigmoid` resolves to the Keras 2 / TF.js one, since that is what
 * saved Keras 2 and TF.js models mean by it.
 */
import type { Tensor } from "../tensor/tensor.js";
import {
  sigmoid,
  tanh,
  relu,
  exp,
  hardSigmoid,
  hardSigmoidKeras3,
  relu6,
  elu,
  selu,
  softplus,
  softsign,
  silu,
  gelu,
  geluTanh,
} from "../autograd/ops/elementwise.js";
import { softmax, logSoftmax } from "../autograd/ops/softmax.js";
import { describeArg } from "./options.js";
import { lookupName, normalizeKerasName } from "./keras-config.js";

/** An activation: a differentiable elementwise (or, for softmax, last-axis) function. */
export type Activation = (x: Tensor) => Tensor;

/** Every activation, by its canonical (TF.js-style camelCase) name. */
export const ACTIVATIONS = {
  /** tanh(x). */
  tanh,
  /** 1 / (1 + exp(-x)). */
  sigmoid,
  /** clip(0.2·x + 0.5, 0, 1): Keras 2 / TF.js. */
  hardSigmoid,
  /** relu6(x + 3) / 6: Keras 3 / PyTorch `Hardsigmoid`. */
  hardSigmoidKeras3,
  /** max(x, 0). */
  relu,
  /** min(max(x, 0), 6). */
  relu6,
  /** x. */
  linear: (x: Tensor): Tensor => x,
  /** x if x > 0 else exp(x) - 1 (alpha 1). */
  elu: (x: Tensor): Tensor => elu(x),
  /** 1.0507009873554805 · elu(x, alpha 1.6732632423543772). */
  selu,
  /** log(1 + exp(x)). */
  softplus,
  /** x / (1 + |x|). */
  softsign,
  /** x · sigmoid(x). */
  swish: silu,
  /** x · sigmoid(x) (the same function as swish). */
  silu,
  /** Exact: x · Φ(x) = 0.5·x·(1 + erf(x/√2)). */
  gelu,
  /** Tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
  geluTanh,
  /** exp(x). */
  exponential: exp,
  /** softmax over the last axis. */
  softmax: (x: Tensor): Tensor => softmax(x, -1),
  /** log softmax over the last axis. */
  logSoftmax: (x: Tensor): Tensor => logSoftmax(x, -1),
} as const satisfies Record<string, Activation>;

/** A canonical activation name. */
export type ActivationName = keyof typeof ACTIVATIONS;

/** Other spellings used by Keras and TF.js configs, mapped to canonical names. */
const ALIASES: Readonly<Record<string, ActivationName>> = {
  gelu_new: "geluTanh",
  gelu_tanh: "geluTanh",
  hard_sigmoid_keras3: "hardSigmoidKeras3",
  log_softmax: "logSoftmax",
};

const CANONICAL = Object.keys(ACTIVATIONS) as ActivationName[];
const TABLE = new Map<string, Activation>();
for (const name of CANONICAL) TABLE.set(normalizeKerasName(name), ACTIVATIONS[name]);
for (const [alias, name] of Object.entries(ALIASES)) TABLE.set(normalizeKerasName(alias), ACTIVATIONS[name]);

/** The canonical activation names. */
export function activationNames(): ActivationName[] {
  return [...CANONICAL];
}

/**
 * The activation for a Keras or TF.js name (`hardSigmoid`, `hard_sigmoid`, `gelu_new`, …; case and
 * underscores do not matter), or the function itself when one is given. Throws listing the
 * known names for an unknown one.
 */
export function getActivation(identifier: string | Activation): Activation {
  if (typeof identifier === "function") return identifier;
  if (typeof identifier !== "string") {
    throw new Error(`getActivation: expected an activation name or function, got ${describeArg(identifier)}`);
  }
  return lookupName("getActivation", "activation", identifier, TABLE, CANONICAL);
}

/** The canonical name of a registered activation function (for `getConfig`), or null for a user function. */
export function activationName(fn: Activation): ActivationName | null {
  return CANONICAL.find((n) => ACTIVATIONS[n] === fn) ?? null;
}
