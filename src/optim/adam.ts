import { AdamFamily, type AdamOptions } from "./adam-core.js";
import type { ParamLike } from "./param.js";

/**
 * Adam, as `torch.optim.Adam` (1.13): weight decay is an L2 penalty added to the gradient.
 * Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0. The update is written out on `AdamFamily`.
 */
export class Adam extends AdamFamily {
  constructor(params: Iterable<ParamLike>, options: AdamOptions = {}) {
    super("Adam", params, options);
  }
}
