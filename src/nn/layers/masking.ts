import { Tensor } from "../../tensor/tensor.js";
import { shapeStr } from "../../tensor/shape.js";
import { Module, type LayerConfig } from "../module.js";
import { checkOptions, describeArg, type OptionSchema } from "../options.js";
import { attachMask } from "../utils/mask.js";
import { mul } from "../../autograd/ops/elementwise.js";

export interface MaskingOptions {
  /** A step whose features all equal this value is padding. Default 0. */
  maskValue?: number;
}

const MASKING_OPTIONS: OptionSchema = {
  maskValue: { type: "number", doc: "feature value that marks padding, default 0" },
};

/**
 * Keras's `Masking`: for input (B, T, F) (or (T, B, F), the layout of the recurrent layer that
 * reads it), a step whose F features all equal `maskValue` is masked. The output is the input
 * with masked steps set to zero, carrying the keep mask of its first two dims; a recurrent layer
 * reading it skips the masked steps (a masked step keeps the state and repeats the output).
 */
export class Masking extends Module {
  readonly maskValue: number;

  constructor(opts: MaskingOptions = {}) {
    super();
    this.maskValue = checkOptions<MaskingOptions>("Masking", opts, MASKING_OPTIONS).maskValue ?? 0;
  }

  override describe(): string {
    return `Masking(maskValue=${this.maskValue})`;
  }

  /** `{ maskValue }`: the options that rebuild this layer. */
  override getConfig(): LayerConfig {
    return { maskValue: this.maskValue };
  }

  forward(x: Tensor): Tensor {
    const where = `${this.describe()}.forward`;
    if (!(x instanceof Tensor)) throw new Error(`${where}: input must be a Tensor, got ${describeArg(x)}`);
    if (x.ndim !== 3) throw new Error(`${where}: input must have 3 dims (B, T, F) or (T, B, F), got ${shapeStr(x.shape)}`);
    const [d0, d1, F] = x.shape as [number, number, number];
    const keep = new Float32Array(d0 * d1);
    const scale = new Float32Array(d0 * d1 * F);
    for (let r = 0; r < d0 * d1; r++) {
      let real = 0;
      for (let f = 0; f < F; f++) if (x.data[r * F + f] !== this.maskValue) real = 1;
      keep[r] = real;
      scale.fill(real, r * F, (r + 1) * F);
    }
    return attachMask(mul(x, new Tensor(scale, [d0, d1, F])), new Tensor(keep, [d0, d1]));
  }
}
