import { Tensor } from "../tensor/tensor.js";
import { shapeStr, sameShape } from "../tensor/shape.js";
import { describeArg } from "./options.js";

/** Parameters by their dotted PyTorch-style names, e.g. "rnn.weight_ih_l0". */
export type StateDict = Record<string, Tensor>;

/** A JSON value: what a layer's config is made of. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A layer's constructor options as plain JSON: `getConfig()` returns it and `fromConfig` takes it. */
export type LayerConfig = { [key: string]: JsonValue };

/** What `loadStateDict` accepts per name: a Tensor, or any `{ shape, data }` (a parsed safetensors entry). */
export type StateDictEntry = Tensor | { shape: readonly number[]; data: ArrayLike<number> };

/** What a layer's `forward` returns: a Tensor, or a typed tuple whose first element is the output. */
export type LayerOutput = Tensor | readonly [Tensor, ...unknown[]];

/**
 * The layer contract: a Module whose `forward(x)` takes a Tensor and returns a Tensor or a typed
 * tuple `[output, ...]` (the recurrent layers return `[output, state]`). Each layer documents its
 * own signature; `Sequential` chains anything of this shape.
 */
export interface Layer extends Module {
  forward(x: Tensor): LayerOutput;
}

/** True when `m` is a Module with a `forward` method (checked at run time for JavaScript callers). */
export function isLayer(m: unknown): m is Layer {
  return m instanceof Module && typeof Reflect.get(m, "forward") === "function";
}

/**
 * Base of every layer. Parameters and sub-modules are found in two ways, PyTorch-style:
 *
 * - registered explicitly with `registerParameter(name, t)` / `registerModule(name, m)`;
 * - assigned as plain fields: any own enumerable property whose value is a `Module`, an array of
 *   Modules (named `field.0`, `field.1`, ...), or a leaf `Tensor` with `requiresGrad` is a
 *   sub-module or parameter under the field's name.
 *
 * Explicit registrations come first, in registration order, then fields in property order; a
 * field holding something already registered is not listed again (so
 * `this.weight = this.registerParameter("weight", t)` appears once, as `weight`). Within a module
 * its own parameters come before its sub-modules', as in PyTorch's `named_parameters()`, so names
 * and order match PyTorch for the library's layers (`rnn.weight_ih_l0`, `0.weight`, ...).
 *
 * Fields are read when the lists are asked for, not intercepted when assigned, so attribute
 * access stays a plain property read (no Proxy).
 *
 * The layer contract: every layer has a `forward(...)` that returns a `Tensor` or a typed tuple
 * (the recurrent layers return `[output, state]`); each layer documents its own signature.
 */
export abstract class Module {
  /** Training mode: dropout is active only while true. Set by `train()` / `eval()`. */
  training = true;
  // ES private fields are not properties, so the field scan never sees the module's bookkeeping.
  readonly #registeredParams = new Map<string, Tensor>();
  readonly #registeredModules = new Map<string, Module>();

  /**
   * The name used in error messages, e.g. `LSTM(hiddenSize=256)`. The default is the class name
   * (`CharModel()`), so a user's module needs nothing more; the library's layers add their sizes.
   */
  describe(): string {
    return `${this.constructor.name}()`;
  }

  /**
   * The options that rebuild this module (`new Ctor(config)` or `Ctor.fromConfig(config)`), as
   * JSON. Every layer of the library overrides it; a user's module overrides it to be saved.
   */
  getConfig(): LayerConfig {
    throw new Error(`${this.describe()}.getConfig: this module does not describe its config; override getConfig() (and declare static fromConfig) to save or copy it`);
  }

  /**
   * Adds a trainable tensor under `name` (sets requiresGrad) and returns it. Registering a name
   * again replaces the tensor in place (the name keeps its position).
   */
  registerParameter(name: string, value: Tensor): Tensor {
    // describe() is called only on failure: a subclass may register before its fields are set.
    const where = (): string => `${this.describe()}.registerParameter`;
    checkName(where, name, false);
    if (!(value instanceof Tensor)) throw new Error(`${where()}: ${name} must be a Tensor, got ${describeArg(value)}`);
    if (this.#registeredModules.has(name)) throw new Error(`${where()}: ${name} is already the name of a sub-module`);
    value.requiresGrad = true;
    this.#registeredParams.set(name, value);
    return value;
  }

  /**
   * Adds a sub-module under `name` and returns it; its parameters appear as `name.<param>`.
   * Registering a name again replaces the module in place. Needed only for names that are not
   * fields (e.g. `layers.0`); a module assigned to a field is found without it.
   */
  registerModule<M extends Module>(name: string, module: M): M {
    const where = (): string => `${this.describe()}.registerModule`;
    checkName(where, name, true);
    if (!(module instanceof Module)) throw new Error(`${where()}: ${name} must be a Module, got ${describeArg(module)}`);
    if (this.#registeredParams.has(name)) throw new Error(`${where()}: ${name} is already the name of a parameter`);
    this.#registeredModules.set(name, module);
    return module;
  }

  /** This module's own parameters (not its sub-modules'), registered ones first, then fields. */
  private ownParameters(): [string, Tensor][] {
    const out: [string, Tensor][] = [...this.#registeredParams];
    const seen = new Set<Tensor>(this.#registeredParams.values());
    for (const [key, value] of Object.entries(this)) {
      if (value instanceof Tensor && value.requiresGrad && value.gradFn === null && !seen.has(value)) {
        if (this.#registeredParams.has(key) || this.#registeredModules.has(key)) {
          throw new Error(`${this.describe()}: field ${key} holds a parameter that is not the one registered under the same name`);
        }
        seen.add(value);
        out.push([key, value]);
      }
    }
    return out;
  }

  /** This module's direct sub-modules, registered ones first, then fields (arrays as `field.k`). */
  private ownChildren(): [string, Module][] {
    const out: [string, Module][] = [...this.#registeredModules];
    const seen = new Set<Module>(this.#registeredModules.values());
    const add = (name: string, m: Module): void => {
      if (seen.has(m) || m === this) return;
      if (this.#registeredModules.has(name) || this.#registeredParams.has(name)) {
        throw new Error(`${this.describe()}: field ${name} holds a module that is not the one registered under the same name`);
      }
      seen.add(m);
      out.push([name, m]);
    };
    for (const [key, value] of Object.entries(this)) {
      if (value instanceof Module) add(key, value);
      // An array is a list of modules when it starts with one; a long array of data is skipped at once.
      else if (Array.isArray(value) && value[0] instanceof Module) {
        value.forEach((item: unknown, k) => {
          if (item instanceof Module) add(`${key}.${k}`, item);
        });
      }
    }
    return out;
  }

  /** The direct sub-modules with their names, e.g. `["rnn", LSTM]`, `["0", Linear]`. */
  *namedChildren(): Generator<[string, Module]> {
    yield* this.ownChildren();
  }

  /** The direct sub-modules. */
  children(): Module[] {
    return this.ownChildren().map(([, m]) => m);
  }

  /**
   * This module (name `prefix`, "" by default) and every module below it, depth first, each once
   * (a module reachable by two paths is listed under the first), as PyTorch's `named_modules()`.
   */
  *namedModules(prefix = ""): Generator<[string, Module]> {
    const seen = new Set<Module>();
    const walk = function* (m: Module, name: string): Generator<[string, Module]> {
      if (seen.has(m)) return;
      seen.add(m);
      yield [name, m];
      for (const [n, c] of m.ownChildren()) yield* walk(c, name === "" ? n : `${name}.${n}`);
    };
    yield* walk(this, prefix);
  }

  /** This module and every module below it, each once. */
  modules(): Module[] {
    return [...this.namedModules()].map(([, m]) => m);
  }

  /**
   * Every parameter with its dotted name, own parameters before sub-modules', each tensor once
   * (a tensor shared by two modules, e.g. tied weights, is listed under its first name), as
   * PyTorch's `named_parameters()`. `prefix` is put before every name.
   */
  *namedParameters(prefix = ""): Generator<[string, Tensor]> {
    const seen = new Set<Tensor>();
    for (const [name, p] of this.allParameters(prefix)) {
      if (seen.has(p)) continue;
      seen.add(p);
      yield [name, p];
    }
  }

  /** Every parameter under every name it has (tied weights under each), for state dicts. */
  private *allParameters(prefix: string): Generator<[string, Tensor]> {
    const seen = new Set<Module>();
    const walk = function* (m: Module, pre: string): Generator<[string, Tensor]> {
      if (seen.has(m)) return;
      seen.add(m);
      for (const [n, p] of m.ownParameters()) yield [pre + n, p];
      for (const [n, c] of m.ownChildren()) yield* walk(c, `${pre}${n}.`);
    };
    yield* walk(this, prefix);
  }

  /** Every parameter tensor, each once, in `namedParameters()` order (what an optimiser takes). */
  parameters(): Tensor[] {
    return [...this.namedParameters()].map(([, p]) => p);
  }

  /** Number of scalar parameters. */
  numParameters(): number {
    return this.parameters().reduce((s, p) => s + p.size, 0);
  }

  /**
   * The parameters by name (the tensors themselves: their `.grad` is the live gradient). A tensor
   * shared by two modules appears under both names, as in PyTorch's `state_dict()`.
   */
  stateDict(): StateDict {
    return Object.fromEntries(this.allParameters(""));
  }

  /**
   * Copies values into the parameters. With `strict` (default) the names must match exactly;
   * shapes must always match. Errors name the module, the parameter, and both shapes.
   */
  loadStateDict(dict: Record<string, StateDictEntry>, strict = true): void {
    const where = `${this.describe()}.loadStateDict`;
    if (typeof dict !== "object" || dict === null || Array.isArray(dict) || dict instanceof Tensor) {
      throw new Error(`${where}: expected an object of parameter name -> tensor (as stateDict() returns), got ${describeArg(dict)}`);
    }
    const own = new Map(this.allParameters(""));
    if (strict) {
      const missing = [...own.keys()].filter((k) => !Object.prototype.hasOwnProperty.call(dict, k));
      const unexpected = Object.keys(dict).filter((k) => !own.has(k));
      if (missing.length > 0 || unexpected.length > 0) {
        const parts = [];
        if (missing.length > 0) parts.push(`missing ${missing.join(", ")}`);
        if (unexpected.length > 0) parts.push(`unexpected ${unexpected.join(", ")}`);
        throw new Error(`${where}: parameter names do not match: ${parts.join("; ")}`);
      }
    }
    // Check everything before copying anything, so a failed load leaves the module unchanged.
    const copies: [Tensor, ArrayLike<number>][] = [];
    // In the module's order, so the first error is about its first mismatched parameter.
    for (const [name, p] of own) {
      if (!Object.prototype.hasOwnProperty.call(dict, name)) continue;
      const src: unknown = dict[name];
      if (!isEntry(src)) {
        throw new Error(`${where}: ${name} must be a Tensor or { shape, data }, got ${describeArg(src)}`);
      }
      if (!sameShape(p.shape, src.shape)) {
        throw new Error(`${where}: ${name} has shape ${shapeStr(src.shape)} but the module expects ${shapeStr(p.shape)}`);
      }
      if (src.data.length !== p.size) throw new Error(`${where}: ${name} has ${src.data.length} values, expected ${p.size}`);
      copies.push([p, src.data]);
    }
    for (const [p, data] of copies) p.data.set(data);
  }

  /** Sets training mode here and in every sub-module (dropout is active only in training). */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode here and in every sub-module: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** Clears every parameter's gradient. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }
}

/** A Tensor or a `{ shape, data }` record; checked at run time because JavaScript callers pass anything. */
function isEntry(v: unknown): v is StateDictEntry {
  if (v instanceof Tensor) return true;
  if (typeof v !== "object" || v === null) return false;
  const shape: unknown = Reflect.get(v, "shape");
  const data: unknown = Reflect.get(v, "data");
  return Array.isArray(shape) && typeof data === "object" && data !== null && typeof Reflect.get(data, "length") === "number";
}

function checkName(where: () => string, name: string, allowDots: boolean): void {
  if (typeof name !== "string" || name === "") throw new Error(`${where()}: name must be a non-empty string, got ${describeArg(name)}`);
  // Dots separate levels in parameter names; a dot inside a parameter's own name would be ambiguous.
  if (!allowDots && name.includes(".")) throw new Error(`${where()}: parameter name ${JSON.stringify(name)} must not contain "."`);
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
