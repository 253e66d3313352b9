import { Tensor } from "../../tensor/tensor.js";
import { shapeStr } from "../../tensor/shape.js";
import { matmul } from "../../autograd/ops/matmul.js";
import { add } from "../../autograd/ops/elementwise.js";
import { Module, requirePositiveInt, type LayerConfig } from "../module.js";
import { checkOptions, describeArg, type OptionSchema } from "../options.js";
import { uniformParam } from "../init.js";

export interface LinearOptions {
  /** Width of the input's last dim. Required. */
  inFeatures: number;
  /** Width of the output's last dim. Required. */
  outFeatures: number;
  /** Learn an additive bias. Default true. */
  bias?: boolean;
}

// Types are checked by the schema; the ranges by requirePositiveInt, whose wording the layers share.
const LINEAR_OPTIONS: OptionSchema = {
  inFeatures: { type: "integer", optional: false, doc: "width of the input's last dim" },
  outFeatures: { type: "integer", optional: false, doc: "width of the output's last dim" },
  bias: { type: "boolean", doc: "learn an additive bias (default true)" },
};

/**
 * y = x Wᵀ + b over the last dim, with PyTorch's names (`weight` (out, in), `bias` (out)) and
 * init U(±1/√in). `forward(x: Tensor): Tensor` takes (..., in) and returns (..., out).
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(opts: LinearOptions) {
    super();
    checkOptions<LinearOptions>("Linear", opts, LINEAR_OPTIONS);
    requirePositiveInt("Linear", "inFeatures", opts.inFeatures);
    requirePositiveInt("Linear", "outFeatures", opts.outFeatures);
    this.inFeatures = opts.inFeatures;
    this.outFeatures = opts.outFeatures;
    const bound = 1 / Math.sqrt(opts.inFeatures);
    this.weight = this.registerParameter("weight", uniformParam([opts.outFeatures, opts.inFeatures], bound));
    this.bias = opts.bias === false ? null : this.registerParameter("bias", uniformParam([opts.outFeatures], bound));
  }

  override describe(): string {
    return `Linear(inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures})`;
  }

  /** `{ inFeatures, outFeatures, bias }`: the options that rebuild this layer. */
  override getConfig(): LayerConfig {
    return { inFeatures: this.inFeatures, outFeatures: this.outFeatures, bias: this.bias !== null };
  }

  /** x (..., inFeatures) -> y (..., outFeatures). */
  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor)) throw new Error(`${this.describe()}.forward: input must be a Tensor, got ${describeArg(x)}`);
    const last = x.shape[x.ndim - 1];
    if (x.ndim < 1 || last !== this.inFeatures) {
      throw new Error(`${this.describe()}.forward: input shape ${shapeStr(x.shape)} must end in ${this.inFeatures}`);
    }
    const lead = x.shape.slice(0, -1);
    const flat = x.ndim === 2 ? x : x.reshape([-1, this.inFeatures]);
    let y = matmul(flat, this.weight, { transB: true });
    if (this.bias !== null) y = add(y, this.bias);
    return x.ndim === 2 ? y : y.reshape([...lead, this.outFeatures]);
  }
}

