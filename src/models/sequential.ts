import { Tensor } from "../tensor/tensor.js";
import { zeros } from "../tensor/create.js";
import { noGrad } from "../autograd/mode.js";
import { Module, isLayer, type Layer, type LayerConfig } from "../nn/module.js";
import { checkOptions, describeArg, type OptionSchema } from "../nn/options.js";
import { layerFromConfig, layerToConfig, type LayerSpec } from "./registry.js";
import { compile, evaluate, fit, predict, type CompileOptions, type CompiledFitOptions, type CompiledModel, type EvaluateOptions } from "../train/api.js";
import type { DataInput } from "../train/data-source.js";
import type { History } from "../train/fit.js";

const SEQUENTIAL_CONFIG: OptionSchema = {
  layers: { type: "any", optional: false, doc: "the layers in order, each { className, config }" },
};

/**
 * Layers applied in order, each to the previous one's output, as PyTorch's `nn.Sequential`:
 *
 *   const model = new Sequential([
 *     new Embedding({ numEmbeddings: 27, embeddingDim: 16 }),
 *     new LSTM({ inputSize: 16, hiddenSize: 64 }),    // returns [output, state]: output is passed on
 *     new Linear({ inFeatures: 64, outFeatures: 27 }),
 *   ]);
 *
 * Layer k is sub-module `k`, so parameter names are PyTorch's: `0.weight`, `1.weight_ih_l0`,
 * `2.bias`. A layer whose `forward` returns a tuple passes its first element on; the states of
 * recurrent layers are not carried between calls (each call starts from zeros).
 *
 * Keras-style training: `model.compile({ optimizer, loss, metrics })`, then `await model.fit(data,
 * { epochs, ... })`, `model.evaluate(data)`, `model.predict(x)`. These are the functions of
 * `src/train/api.ts` (which take any `Module`) called with this model.
 */
export class Sequential extends Module {
  // Registered as "0", "1", ...; the field scan finds the same modules and does not list them twice.
  private readonly layerList: Layer[] = [];

  /** `layers` in order (default none: `add` them later). */
  constructor(layers: readonly Layer[] = []) {
    super();
    if (!Array.isArray(layers)) throw new Error(`Sequential: layers must be an array of layers, got ${describeArg(layers)}`);
    layers.forEach((layer) => this.add(layer));
  }

  /** Fixes the optimiser, loss and metrics that `fit`, `evaluate` and `predict` use (Keras's `model.compile`). */
  compile<B>(opts: CompileOptions<B>): CompiledModel<B> {
    return compile(this, opts);
  }

  /** Trains with the compiled settings; resolves to the History (Keras's `model.fit`). */
  fit<B>(data: DataInput<B>, opts: CompiledFitOptions<B>): Promise<History> {
    return fit(this, data, opts);
  }

  /** Loss and metrics of the compiled model over `data`, without training. */
  evaluate<B>(data: DataInput<B>, opts?: EvaluateOptions<B>): Promise<Record<string, number>> {
    return evaluate(this, data, opts);
  }

  /** Outputs for a tensor or for batches, in eval mode and without gradients. */
  predict<B>(input: Tensor | DataInput<B>): Promise<Tensor> {
    return predict(this, input);
  }

  /**
   * Builds layers that make their parameters at their first call (the Keras-style layers without
   * inputDim), as Keras's `model.build(inputShape)`: one forward pass over zeros of `inputShape`
   * (the batch dim included; null entries count as 1), in eval mode and without gradient. Call it
   * before making the optimiser. Kept states of stateful layers are reset afterwards.
   */
  build(inputShape: readonly (number | null)[]): this {
    const where = `${this.describe()}.build`;
    if (!Array.isArray(inputShape) || inputShape.length === 0 || !inputShape.every((d) => d === null || (Number.isInteger(d) && d > 0 && d <= 4096))) {
      throw new Error(`${where}: inputShape must be a non-empty array of positive integers (at most 4096) or null, e.g. [null, 60], got ${describeArg(inputShape)}`);
    }
    const shape = inputShape.map((d) => d ?? 1);
    const modes = this.modules().map((m) => [m, m.training] as const);
    this.eval();
    try {
      noGrad(() => this.forward(zeros(shape)));
    } finally {
      for (const [m, mode] of modes) m.training = mode;
    }
    for (const m of this.modules()) {
      const reset: unknown = Reflect.get(m, "resetStates");
      if (m !== this && typeof reset === "function") Reflect.apply(reset, m, []);
    }
    return this;
  }

  /** `Sequential.of(a, b, c)` is `new Sequential([a, b, c])`. */
  static of(...layers: Layer[]): Sequential {
    return new Sequential(layers);
  }

  /** Rebuilds from `{ layers: [{ className, config }, ...] }`, as `getConfig()` returns. */
  static fromConfig(config: LayerConfig): Sequential {
    const where = "Sequential.fromConfig";
    const specs: unknown = checkOptions<LayerConfig>(where, config, SEQUENTIAL_CONFIG)["layers"];
    if (!Array.isArray(specs)) throw new Error(`${where}: layers must be an array of { className, config }, got ${describeArg(specs)}`);
    const layers = specs.map((spec, k) => {
      const m = withContext(`${where}: layers[${k}]`, () => layerFromConfig(toSpec(spec, `${where}: layers[${k}]`)));
      if (!isLayer(m)) throw new Error(`${where}: layers[${k}] (${m.describe()}) has no forward method`);
      return m;
    });
    return new Sequential(layers);
  }

  /** Appends a layer (sub-module `length`); returns this, so calls chain. */
  add(layer: Layer): this {
    if (!isLayer(layer)) throw new Error(`Sequential.add: expected a layer (a Module with a forward method), got ${describeArg(layer)}`);
    this.registerModule(String(this.layerList.length), layer);
    this.layerList.push(layer);
    return this;
  }

  /** Number of layers. */
  get length(): number {
    return this.layerList.length;
  }

  /** Layer k (negative k counts from the end). */
  at(k: number): Layer {
    const layer = Number.isInteger(k) ? this.layerList.at(k) : undefined;
    if (layer === undefined) throw new Error(`${this.describe()}.at: index ${describeArg(k)} is outside [-${this.length}, ${this.length})`);
    return layer;
  }

  /** The layers in order (a copy of the list). */
  layers(): Layer[] {
    return [...this.layerList];
  }

  override describe(): string {
    return `Sequential(${this.layerList.map((l) => l.constructor.name).join(", ")})`;
  }

  /** `{ layers: [{ className, config }, ...] }`; every layer's class must be registered. */
  override getConfig(): LayerConfig {
    const layers = this.layerList.map((layer, k) => {
      const { className, config } = withContext(`${this.describe()}.getConfig: layer ${k}`, () => layerToConfig(layer));
      return { className, config };
    });
    return { layers };
  }

  /** Feeds `x` through every layer in order; with no layers it returns `x`. */
  forward(x: Tensor): Tensor {
    let y = x;
    this.layerList.forEach((layer, k) => {
      const out = withContext(`${this.describe()}.forward: layer ${k}`, () => layer.forward(y));
      // Checked at run time: a JavaScript layer may return anything.
      const next: unknown = Array.isArray(out) ? out[0] : out;
      if (!(next instanceof Tensor)) {
        throw new Error(`${this.describe()}.forward: layer ${k} (${layer.describe()}) returned ${describeArg(out)}, not a Tensor or [Tensor, ...]`);
      }
      y = next;
    });
    return y;
  }
}

function toSpec(v: unknown, where: string): LayerSpec {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error(`${where}: expected { className, config }, got ${describeArg(v)}`);
  const className: unknown = Reflect.get(v, "className");
  const config: unknown = Reflect.get(v, "config");
  if (typeof className !== "string") throw new Error(`${where}: className must be a string, got ${describeArg(className)}`);
  if (typeof config !== "object" || config === null || Array.isArray(config)) throw new Error(`${where}: config must be an object, got ${describeArg(config)}`);
  return { className, config: { ...config } };
}

/** Runs fn; an error from it is rethrown with `where` in front, keeping the original as cause. */
function withContext<T>(where: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new Error(`${where}: ${message}`, { cause: e });
  }
}
