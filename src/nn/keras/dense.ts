/**
 * Keras's Dense: y = activation(x·kernel + bias) over the last dim, kernel (I, units) in Keras's
 * layout, glorotUniform and zeros by default, input size inferred at the first call (or given as
 * inputDim). The companion of the Keras recurrent layers in a `Sequential`.
 */
import { Tensor } from "../../tensor/tensor.js";
import { shapeStr, sameShape } from "../../tensor/shape.js";
import { matmul } from "../../autograd/ops/matmul.js";
import { add } from "../../autograd/ops/elementwise.js";
import { Module, type LayerConfig, type StateDictEntry } from "../module.js";
import { checkOptions, describeArg, type OptionSchema } from "../options.js";
import { activationName, getActivation, type ActivationName } from "../activations.js";
import { getInitializer, serializeInitializer, type Initializer } from "../initializers.js";
import { kerasConfigOptions, type InitializerInput } from "./options.js";
import { attachMask, maskOf } from "../utils/mask.js";

export interface KerasDenseOptions {
  /** Output width. Required. */
  units: number;
  /** Applied to the output. Default "linear" (none). */
  activation?: string | null;
  /** Learn a bias. Default true. */
  useBias?: boolean;
  /** Default "glorotUniform" on (I, units). */
  kernelInitializer?: InitializerInput;
  /** Default "zeros". */
  biasInitializer?: InitializerInput;
  /** Input features; with it the layer is built at construction. Default: inferred at the first call. */
  inputDim?: number;
}

const SCHEMA: OptionSchema = {
  units: { type: "integer", min: 1, optional: false, doc: "output width" },
  activation: { type: "any", doc: 'default "linear"' },
  useBias: { type: "boolean", doc: "default true" },
  kernelInitializer: { type: "any", doc: 'default "glorotUniform"' },
  biasInitializer: { type: "any", doc: 'default "zeros"' },
  inputDim: { type: "integer", min: 1, doc: "input features" },
};

/** `layers.dense({ units: 1, activation: "sigmoid" })`; parameters `kernel` (I, units) and `bias` (units). */
export class KerasDense extends Module {
  readonly units: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  kernel: Tensor | null = null;
  bias: Tensor | null = null;

  constructor(opts: KerasDenseOptions) {
    super();
    const where = "KerasDense";
    const o = checkOptions<KerasDenseOptions>(where, opts, SCHEMA);
    this.units = o.units;
    const act = o.activation === undefined || o.activation === null ? "linear" : activationName(getActivation(o.activation));
    if (act === null) throw new Error(`${where}: activation ${describeArg(o.activation)} is not a registered activation`);
    this.activation = act;
    this.useBias = o.useBias ?? true;
    this.kernelInitializer = getInitializer(o.kernelInitializer ?? "glorotUniform");
    this.biasInitializer = getInitializer(o.biasInitializer ?? "zeros");
    if (o.inputDim !== undefined) this.build(o.inputDim);
  }

  /** From `getConfig()` output or a Keras/TF.js Dense config. */
  static fromConfig(config: LayerConfig): KerasDense {
    return new KerasDense(kerasConfigOptions<KerasDenseOptions>(config));
  }

  override describe(): string {
    return `KerasDense(units=${this.units})`;
  }

  override getConfig(): LayerConfig {
    const init = (i: Initializer): LayerConfig => ({ className: serializeInitializer(i).className, config: serializeInitializer(i).config });
    const config: LayerConfig = { units: this.units, activation: this.activation, useBias: this.useBias, kernelInitializer: init(this.kernelInitializer), biasInitializer: init(this.biasInitializer) };
    if (this.kernel !== null) config["inputDim"] = this.kernel.shape[0]!;
    return config;
  }

  get built(): boolean {
    return this.kernel !== null;
  }

  /** Creates kernel (inputDim, units) and bias; a second call with the same size does nothing. */
  build(inputDim: number): void {
    if (this.kernel !== null) {
      if (this.kernel.shape[0] !== inputDim) throw new Error(`${this.describe()}.build: built for input size ${this.kernel.shape[0]}, got ${inputDim}`);
      return;
    }
    if (!Number.isInteger(inputDim) || inputDim < 1) throw new Error(`${this.describe()}.build: inputDim must be a positive integer, got ${describeArg(inputDim)}`);
    this.kernel = this.registerParameter("kernel", this.kernelInitializer.apply([inputDim, this.units]));
    if (this.useBias) this.bias = this.registerParameter("bias", this.biasInitializer.apply([this.units]));
  }

  /** [kernel (I, units), bias (units)] as copies. */
  getWeights(): Tensor[] {
    if (this.kernel === null) throw new Error(`${this.describe()}.getWeights: the layer is not built yet`);
    return [this.kernel, ...(this.bias === null ? [] : [this.bias])].map((t) => new Tensor(Float32Array.from(t.data), t.shape));
  }

  /** Sets [kernel, bias] (Keras's order and shapes). */
  setWeights(weights: readonly StateDictEntry[]): void {
    const own = this.getWeights();
    if (!Array.isArray(weights) || weights.length !== own.length) throw new Error(`${this.describe()}.setWeights: expected ${own.length} weights, got ${describeArg(weights)}`);
    weights.forEach((w, k) => {
      if (w.data.length !== own[k]!.size || !sameShape(w.shape, own[k]!.shape)) {
        throw new Error(`${this.describe()}.setWeights: weight ${k} has shape ${shapeStr(w.shape)}, expected ${shapeStr(own[k]!.shape)}`);
      }
    });
    const targets = [this.kernel!, ...(this.bias === null ? [] : [this.bias])];
    weights.forEach((w, k) => targets[k]!.data.set(w.data));
  }

  /** x (..., I) → (..., units). */
  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor) || x.ndim < 1) throw new Error(`${this.describe()}.forward: input must be a Tensor, got ${describeArg(x)}`);
    this.build(x.shape[x.ndim - 1]!);
    const I = this.kernel!.shape[0]!;
    const lead = x.shape.slice(0, -1);
    let y = matmul(x.ndim === 2 ? x : x.reshape([-1, I]), this.kernel!);
    if (this.bias !== null) y = add(y, this.bias);
    y = getActivation(this.activation)(y);
    const out = x.ndim === 2 ? y : y.reshape([...lead, this.units]);
    // Keras's Dense hands the mask it read on to the next layer.
    const mask = maskOf(x);
    return mask === null ? out : attachMask(out, mask);
  }
}
