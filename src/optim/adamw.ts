import { AdamFamily, type AdamOptions } from "./adam-core.js";
import type { ParamLike } from "./param.js";

/** AdamW's options: Adam's, with weightDecay defaulting to 1e-2. */
export type AdamWOptions = AdamOptions;

/**
 * AdamW, as `torch.optim.AdamW` (1.13): weight decay is decoupled from the gradient,
 * θ ← θ·(1 - lr·λ) before the Adam step, so it is not rescaled by the second moment.
 * Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 1e-2. The update is written out on `AdamFamily`.
 */
export class AdamW extends AdamFamily {
  constructor(params: Iterable<ParamLike>, options: AdamWOptions = {}) {
    super("AdamW", params, options);
  }
}
