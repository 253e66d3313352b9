import { Tensor } from "../../tensor/tensor.js";
import { dropout } from "../../autograd/ops/dropout.js";
import { Module, type LayerConfig } from "../module.js";
import { checkOptions, describeArg, type OptionSchema } from "../options.js";

export interface DropoutOptions {
  /** Probability of zeroing each element, in [0, 1). Default 0.5. */
  p?: number;
}

const DROPOUT_OPTIONS: OptionSchema = {
  p: { type: "number", doc: "probability of zeroing each element, in [0, 1) (default 0.5)" },
};

/**
 * Inverted dropout with probability p, active only in training mode: kept values are scaled by
 * 1/(1-p) so that eval mode is the identity. `new Dropout({ p })`, or `new Dropout(p)` as in
 * PyTorch. `forward(x: Tensor): Tensor` keeps the shape.
 */
export class Dropout extends Module {
  readonly p: number;

  constructor(opts: DropoutOptions | number = {}) {
    super();
    const p = typeof opts === "number" ? opts : (checkOptions<DropoutOptions>("Dropout", opts, DROPOUT_OPTIONS).p ?? 0.5);
    if (!(p >= 0 && p < 1)) throw new Error(`Dropout: p must be in [0, 1), got ${p}`);
    this.p = p;
  }

  override describe(): string {
    return `Dropout(p=${this.p})`;
  }

  /** `{ p }`: the options that rebuild this layer. */
  override getConfig(): LayerConfig {
    return { p: this.p };
  }

  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor)) throw new Error(`${this.describe()}.forward: input must be a Tensor, got ${describeArg(x)}`);
    return dropout(x, this.p, this.training);
  }
}
