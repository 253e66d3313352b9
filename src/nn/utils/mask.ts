/**
 * Keras-style implicit masks: a layer that knows which steps are padding (`Masking`,
 * `Embedding({ maskZero })`) attaches a (B, T) keep mask to its output tensor, and a recurrent
 * layer reading that tensor uses it when no `mask` or `lengths` is given. The attachment is held
 * weakly by the tensor, so it costs nothing once the tensor is gone.
 */
import { Tensor } from "../../tensor/tensor.js";

const masks = new WeakMap<Tensor, Tensor>();

/** Attaches `mask` (B, T), 1 = real step, to `x` and returns `x`. */
export function attachMask(x: Tensor, mask: Tensor): Tensor {
  masks.set(x, mask);
  return x;
}

/** The mask attached to `x` by a masking layer, or null. */
export function maskOf(x: Tensor): Tensor | null {
  return masks.get(x) ?? null;
}
