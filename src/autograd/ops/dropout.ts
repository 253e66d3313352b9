import { Tensor } from "../../tensor/tensor.js";
import { type Generator, globalGenerator } from "../../tensor/random.js";
import { mul } from "./elementwise.js";

/**
 * Inverted dropout: zero each element with probability p and scale the rest by 1/(1-p), so
 * evaluation needs no rescaling. A composite (x times a constant mask), seeded by `generator`.
 */
export function dropout(x: Tensor, p: number, training: boolean, generator: Generator = globalGenerator): Tensor {
  if (!(p >= 0 && p < 1)) throw new Error(`dropout: p must be in [0, 1), got ${p}`);
  if (!training || p === 0) return x;
  const mask = new Float32Array(x.size);
  const scale = 1 / (1 - p);
  for (let i = 0; i < mask.length; i++) mask[i] = generator.uniform() < p ? 0 : scale;
  return mul(x, new Tensor(mask, x.shape));
}
