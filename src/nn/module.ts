import { Tensor } from "../tensor/tensor.js";
import { shapeStr, sameShape } from "../tensor/shape.js";

/** Parameters by their dotted PyTorch-style names, e.g. "rnn.weight_ih_l0". */
export type StateDict = Record<string, Tensor>;

/** A JSON value: what a layer's config is made of. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A layer's constructor options as plain JSON: `getConfig()` returns it and `fromConfig` takes it. */
export type LayerConfig = { [key: string]: JsonValue };

/**
 * Base of every layer: registers parameters and sub-modules in order, so names and order match
 * PyTorch's `named_parameters()`, and carries the train/eval flag.
 */
export abstract class Module {
  training = true;
  private readonly params = new Map<string, Tensor>();
  private readonly children = new Map<string, Module>();

  /** The name used in error messages, e.g. `LSTM(hiddenSize=256)`. */
  abstract describe(): string;

  /**
   * The options that rebuild this module (`new Ctor(config)` or `Ctor.fromConfig(config)`), as
   * JSON. Every layer of the library overrides it; a user's module overrides it to be saved.
   */
  getConfig(): LayerConfig {
    throw new Error(`${this.describe()}.getConfig: this module does not describe its config; override getConfig() (and declare static fromConfig) to save or copy it`);
  }

  /** Adds a trainable tensor under `name` (sets requiresGrad); names must be unique in this module. */
  registerParameter(name: string, value: Tensor): Tensor {
    value.requiresGrad = true;
    this.params.set(name, value);
    return value;
  }

  /** Adds a sub-module under `name`; its parameters appear as `name.<param>`. */
  registerModule<M extends Module>(name: string, module: M): M {
    this.children.set(name, module);
    return module;
  }

  *namedParameters(prefix = ""): Generator<[string, Tensor]> {
    for (const [n, p] of this.params) yield [prefix + n, p];
    for (const [n, m] of this.children) yield* m.namedParameters(`${prefix}${n}.`);
  }

  parameters(): Tensor[] {
    return [...this.namedParameters()].map(([, p]) => p);
  }

  /** Number of scalar parameters. */
  numParameters(): number {
    return this.parameters().reduce((s, p) => s + p.size, 0);
  }

  /** The parameters by name (the tensors themselves: their `.grad` is the live gradient). */
  stateDict(): StateDict {
    return Object.fromEntries(this.namedParameters());
  }

  /**
   * Copies values into the parameters. With `strict` (default) the names must match exactly;
   * shapes must always match. Errors name the module, the parameter, and both shapes.
   */
  loadStateDict(dict: Record<string, Tensor | { shape: readonly number[]; data: ArrayLike<number> }>, strict = true): void {
    const own = new Map(this.namedParameters());
    const where = `${this.describe()}.loadStateDict`;
    if (strict) {
      const missing = [...own.keys()].filter((k) => !(k in dict));
      const unexpected = Object.keys(dict).filter((k) => !own.has(k));
      if (missing.length > 0 || unexpected.length > 0) {
        const parts = [];
        if (missing.length > 0) parts.push(`missing ${missing.join(", ")}`);
        if (unexpected.length > 0) parts.push(`unexpected ${unexpected.join(", ")}`);
        throw new Error(`${where}: parameter names do not match: ${parts.join("; ")}`);
      }
    }
    for (const [name, src] of Object.entries(dict)) {
      const p = own.get(name);
      if (p === undefined) continue;
      if (!sameShape(p.shape, src.shape)) {
        throw new Error(`${where}: ${name} has shape ${shapeStr(src.shape)} but the module expects ${shapeStr(p.shape)}`);
      }
      if (src.data.length !== p.size) throw new Error(`${where}: ${name} has ${src.data.length} values, expected ${p.size}`);
      p.data.set(src.data);
    }
  }

  /** Sets training mode here and in every sub-module (dropout is active only in training). */
  train(mode = true): this {
    this.training = mode;
    for (const m of this.children.values()) m.train(mode);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Clears every parameter's gradient. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }
}

/** Throws `${layer}: ${arg} must be …` unless the value is a positive integer. */
export function requirePositiveInt(layer: string, arg: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${layer}: ${arg} must be a positive integer, got ${v}`);
}

/** Throws unless every value of the tensor is finite; names the layer and the argument. */
export function requireFinite(layer: string, arg: string, t: Tensor): void {
  const d = t.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i]!)) {
      throw new Error(`${layer}: ${arg} holds a non-finite value (${d[i]}) at flat index ${i} of shape ${shapeStr(t.shape)}`);
    }
  }
}
