import { Tensor } from "../../tensor/tensor.js";
import { shapeStr } from "../../tensor/shape.js";
import { matmul } from "../../autograd/ops/matmul.js";
import { add, mul, sub, relu, tanh, sigmoid } from "../../autograd/ops/elementwise.js";
import { Module, requirePositiveInt, type LayerConfig } from "../module.js";
import { checkOptions, describeArg, type OptionSchema } from "../options.js";
import { uniformParam } from "../init.js";

export type HighwayActivation = "relu" | "tanh" | "sigmoid";

export interface HighwayOptions {
  /** Width of the input, which is also the width of every layer's output. Required. */
  size: number;
  /** Number of stacked highway layers. Default 1. */
  numLayers?: number;
  /** Nonlinearity of the transform H. Default "relu". */
  activation?: HighwayActivation;
  /**
   * Initial value of the transform-gate bias b_T. Negative values start every layer close to
   * the identity (carry), which is what lets deep stacks train; the Highway Networks paper
   * (Srivastava et al., 2015) recommends -1 to -3. Default -2.
   */
  transformBias?: number;
}

// The activation is a string here and checked below, so its message lists the names plainly.
const HIGHWAY_OPTIONS: OptionSchema = {
  size: { type: "integer", optional: false, doc: "width of the input and of every layer's output" },
  numLayers: { type: "integer", doc: "number of stacked highway layers (default 1)" },
  activation: { type: "string", doc: 'nonlinearity of the transform: "relu" (default), "tanh" or "sigmoid"' },
  transformBias: { type: "number", doc: "initial transform-gate bias (default -2)" },
};

const ACTS: Record<HighwayActivation, (x: Tensor) => Tensor> = { relu, tanh, sigmoid };

/**
 * One highway layer, in the code's symbols:
 *   H = act(x W_hᵀ + b_h),  T = σ(x W_tᵀ + b_t),  y = H*T + x*(1 - T)
 * written as y = T*(H - x) + x, which is the same value with one op fewer.
 */
class HighwayLayer extends Module {
  readonly weight_h: Tensor;
  readonly bias_h: Tensor;
  readonly weight_t: Tensor;
  readonly bias_t: Tensor;

  constructor(
    readonly size: number,
    private readonly act: (x: Tensor) => Tensor,
    transformBias: number,
  ) {
    super();
    const bound = 1 / Math.sqrt(size);
    this.weight_h = this.registerParameter("weight_h", uniformParam([size, size], bound));
    this.bias_h = this.registerParameter("bias_h", uniformParam([size], bound));
    this.weight_t = this.registerParameter("weight_t", uniformParam([size, size], bound));
    this.bias_t = this.registerParameter("bias_t", new Tensor(new Float32Array(size).fill(transformBias), [size]));
  }

  override describe(): string {
    return `HighwayLayer(size=${this.size})`;
  }

  forward(x: Tensor): Tensor {
    const h = this.act(add(matmul(x, this.weight_h, { transB: true }), this.bias_h));
    const t = sigmoid(add(matmul(x, this.weight_t, { transB: true }), this.bias_t));
    return add(mul(t, sub(h, x)), x);
  }
}

/**
 * A stack of highway layers over the last dim; parameters `layers.<k>.weight_h` etc.
 * `forward(x: Tensor): Tensor` takes (..., size) and returns the same shape.
 */
export class Highway extends Module {
  readonly layers: HighwayLayer[];
  readonly size: number;
  readonly activation: HighwayActivation;
  readonly transformBias: number;

  constructor(opts: HighwayOptions) {
    super();
    checkOptions<HighwayOptions>("Highway", opts, HIGHWAY_OPTIONS);
    requirePositiveInt("Highway", "size", opts.size);
    const n = opts.numLayers ?? 1;
    requirePositiveInt("Highway", "numLayers", n);
    const actName = opts.activation ?? "relu";
    const act = Object.prototype.hasOwnProperty.call(ACTS, actName) ? ACTS[actName] : undefined;
    if (act === undefined) throw new Error(`Highway: activation must be one of relu, tanh, sigmoid, got "${actName}"`);
    const tb = opts.transformBias ?? -2;
    if (!Number.isFinite(tb)) throw new Error(`Highway: transformBias must be finite, got ${tb}`);
    this.size = opts.size;
    this.activation = actName;
    this.transformBias = tb;
    this.layers = [];
    for (let k = 0; k < n; k++) this.layers.push(this.registerModule(`layers.${k}`, new HighwayLayer(opts.size, act, tb)));
  }

  override describe(): string {
    return `Highway(size=${this.size}, numLayers=${this.layers.length})`;
  }

  /** `{ size, numLayers, activation, transformBias }`: the options that rebuild this layer. */
  override getConfig(): LayerConfig {
    return { size: this.size, numLayers: this.layers.length, activation: this.activation, transformBias: this.transformBias };
  }

  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor)) throw new Error(`${this.describe()}.forward: input must be a Tensor, got ${describeArg(x)}`);
    if (x.ndim < 1 || x.shape[x.ndim - 1] !== this.size) {
      throw new Error(`${this.describe()}.forward: input shape ${shapeStr(x.shape)} must end in ${this.size}`);
    }
    const lead = x.shape.slice(0, -1);
    let y = x.ndim === 2 ? x : x.reshape([-1, this.size]);
    for (const layer of this.layers) y = layer.forward(y);
    return x.ndim === 2 ? y : y.reshape([...lead, this.size]);
  }
}
