/**
 * The cell nonlinearities the wasm kernels run, by the codes of wasm/kernels/math.ts (`act4`):
 * any of these as gate and as candidate of lstm, gru and the plain RNN. Others run on the layers'
 * generic path.
 */
import type { ActivationName } from "../../nn/activations.js";

const CODES: Partial<Record<ActivationName, number>> = {
  tanh: 0,
  relu: 1,
  sigmoid: 2,
  hardSigmoid: 3,
  hardSigmoidKeras3: 4,
  linear: 5,
};

/** The kernel code of an activation, or undefined when the kernels do not run it. */
export function activationCode(name: ActivationName): number | undefined {
  return CODES[name];
}

/** The names the kernels run, for messages. */
export function kernelActivationNames(): string[] {
  return Object.keys(CODES);
}
