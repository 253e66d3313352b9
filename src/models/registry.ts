/**
 * The layer registry: class name <-> class, so that a model can be written as JSON
 * (`{ className, config }`) and rebuilt from it. The library's layers are registered under
 * their class names; a user's own `Module` subclass is registered with one call:
 *
 *   registerLayer("MyModel", MyModel);   // MyModel has `static fromConfig(config)` or `new MyModel(config)`
 *   const spec = layerToConfig(model);   // { className: "MyModel", config: model.getConfig() }
 *   const copy = layerFromConfig(spec);  // a fresh MyModel (new weights; load them separately)
 */
import { Module, type JsonValue, type LayerConfig } from "../nn/module.js";
import { describeArg, didYouMean } from "../nn/options.js";
import { Linear } from "../nn/layers/linear.js";
import { Embedding } from "../nn/layers/embedding.js";
import { Dropout } from "../nn/layers/dropout.js";
import { Highway } from "../nn/layers/highway.js";
import { RNN, LSTM, GRU, PeepholeLSTM, LayerNormLSTM, RecurrentLayer } from "../nn/layers/rnn.js";
import { RNNCell, LSTMCell, GRUCell, PeepholeLSTMCell, LayerNormLSTMCell, RecurrentCell } from "../nn/cells/cell.js";
import { Sequential } from "./sequential.js";
import { Bidirectional } from "../nn/layers/bidirectional.js";
import { Masking } from "../nn/layers/masking.js";
import { KerasSimpleRNN, KerasLSTM, KerasGRU } from "../nn/keras/layers.js";
import { KerasBidirectional } from "../nn/keras/bidirectional.js";
import { KerasDense } from "../nn/keras/dense.js";

/**
 * A class that can be registered: a concrete `Module` subclass that is rebuilt either by its
 * `static fromConfig(config)` (used when present) or by `new Class(config)`.
 */
export interface LayerClass {
  new (...args: never[]): Module;
  readonly prototype: Module;
  fromConfig?(config: LayerConfig): Module;
}

/** A layer as JSON: its registered class name and its `getConfig()`. */
export interface LayerSpec {
  className: string;
  config: LayerConfig;
}

const byName = new Map<string, LayerClass>();
const byClass = new Map<unknown, string>();
let builtinsRegistered = false;

// Registered on first use rather than at import: Sequential's module imports this one, and
// touching the class while the two modules are still loading would fail.
function table(): Map<string, LayerClass> {
  if (!builtinsRegistered) {
    builtinsRegistered = true;
    const builtins: [string, LayerClass][] = [
      ["Linear", Linear],
      ["Embedding", Embedding],
      ["Dropout", Dropout],
      ["Highway", Highway],
      ["RNN", RNN],
      ["LSTM", LSTM],
      ["GRU", GRU],
      ["RNNCell", RNNCell],
      ["LSTMCell", LSTMCell],
      ["GRUCell", GRUCell],
      ["PeepholeLSTM", PeepholeLSTM],
      ["LayerNormLSTM", LayerNormLSTM],
      ["RecurrentLayer", RecurrentLayer],
      ["PeepholeLSTMCell", PeepholeLSTMCell],
      ["LayerNormLSTMCell", LayerNormLSTMCell],
      ["RecurrentCell", RecurrentCell],
      ["Sequential", Sequential],
      ["Bidirectional", Bidirectional],
      ["Masking", Masking],
      ["KerasSimpleRNN", KerasSimpleRNN],
      ["KerasLSTM", KerasLSTM],
      ["KerasGRU", KerasGRU],
      ["KerasBidirectional", KerasBidirectional],
      ["KerasDense", KerasDense],
    ];
    for (const [name, ctor] of builtins) add(name, ctor);
  }
  return byName;
}

function add(name: string, ctor: LayerClass): void {
  const where = "registerLayer";
  const existing = byName.get(name);
  if (existing === ctor) return;
  if (existing !== undefined) throw new Error(`${where}: the name ${JSON.stringify(name)} is already registered for another class; pick another name`);
  const other = byClass.get(ctor);
  if (other !== undefined) throw new Error(`${where}: this class is already registered as ${JSON.stringify(other)}; a class has one name`);
  byName.set(name, ctor);
  byClass.set(ctor, name);
}

/**
 * Registers `ctor` under `name` so that `layerFromConfig`, `Sequential.fromConfig` and
 * `loadModel` can rebuild it and `layerToConfig` / `saveModel` can name it. The class rebuilds
 * from `static fromConfig(config)` when it declares one, else from `new ctor(config)`, where
 * `config` is what its `getConfig()` returned. Registering the same class under the same name
 * again does nothing; reusing a name or a class for something else throws.
 */
export function registerLayer(name: string, ctor: LayerClass): void {
  if (typeof name !== "string" || name === "") throw new Error(`registerLayer: name must be a non-empty string, got ${describeArg(name)}`);
  if (typeof ctor !== "function" || !(ctor.prototype instanceof Module)) {
    throw new Error(`registerLayer(${JSON.stringify(name)}): expected a class that extends Module, got ${describeArg(ctor)}`);
  }
  const fromConfig: unknown = Reflect.get(ctor, "fromConfig");
  if (fromConfig !== undefined && typeof fromConfig !== "function") {
    throw new Error(`registerLayer(${JSON.stringify(name)}): static fromConfig must be a function, got ${describeArg(fromConfig)}`);
  }
  table();
  add(name, ctor);
}

/** The registered class names, the library's first. */
export function registeredLayerNames(): string[] {
  return [...table().keys()];
}

/** The class registered under `name`, or undefined. */
export function getRegisteredLayer(name: string): LayerClass | undefined {
  return table().get(name);
}

/**
 * Builds a fresh layer (new random weights) from `{ className, config }`. Throws for a
 * malformed spec, an unregistered class name (listing the registered ones), or a config that
 * the layer's own option checks refuse.
 */
export function layerFromConfig(spec: LayerSpec): Module {
  const where = "layerFromConfig";
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
    throw new Error(`${where}: expected { className, config }, got ${describeArg(spec)}`);
  }
  const { className, config } = spec;
  if (typeof className !== "string") throw new Error(`${where}: className must be a string, got ${describeArg(className)}`);
  const ctor = table().get(className);
  if (ctor === undefined) {
    const guess = didYouMean(className, byName.keys());
    const hint = guess === null ? "" : ` (did you mean "${guess}"?)`;
    throw new Error(
      `${where}: no layer is registered as ${JSON.stringify(className)}${hint}; registered: ${[...byName.keys()].join(", ")}. ` +
        `A class of your own needs registerLayer(${JSON.stringify(className)}, ${className}) before it is loaded`,
    );
  }
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new Error(`${where}(${className}): config must be an object, got ${describeArg(config)}`);
  }
  // A copy, so the layer never shares mutable objects with the caller's JSON.
  const own = copyJson(config, `${where}(${className}): config`);
  let made: unknown;
  try {
    made = ctor.fromConfig !== undefined ? ctor.fromConfig(own) : Reflect.construct(ctor, [own]);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new Error(`${where}(${className}): ${message}`, { cause: e });
  }
  if (!(made instanceof ctor)) {
    throw new Error(`${where}(${className}): ${className}.fromConfig returned ${describeArg(made)}, not a ${className}`);
  }
  return made;
}

/**
 * `{ className, config }` for a layer: the name its class is registered under and a copy of
 * its `getConfig()`, checked to be plain JSON. An unregistered class is an error that says to
 * call `registerLayer`.
 */
export function layerToConfig(module: Module): LayerSpec {
  const where = "layerToConfig";
  if (!(module instanceof Module)) throw new Error(`${where}: expected a Module, got ${describeArg(module)}`);
  table();
  const ctor: unknown = Object.getPrototypeOf(module)?.constructor;
  const className = byClass.get(ctor);
  if (className === undefined) {
    const name = typeof ctor === "function" && ctor.name !== "" ? ctor.name : "this class";
    throw new Error(
      `${where}: ${module.describe()} is a ${name}, which is not registered; call registerLayer(${JSON.stringify(name)}, ${name}) once ` +
        "(the class needs getConfig() and either static fromConfig(config) or a constructor that takes its config)",
    );
  }
  const config: unknown = module.getConfig();
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new Error(`${where}: ${module.describe()}.getConfig() must return an object, got ${describeArg(config)}`);
  }
  return { className, config: copyJson(config, `${where}: ${module.describe()}.getConfig()`) };
}

/** A deep copy of a JSON object; throws naming the path of the first value JSON cannot hold. */
function copyJson(value: object, where: string): LayerConfig {
  const out: LayerConfig = {};
  for (const [k, v] of Object.entries(value)) out[k] = copyJsonValue(v, where, k);
  return out;
}

function copyJsonValue(v: unknown, where: string, path: string): JsonValue {
  if (v === null || typeof v === "boolean" || typeof v === "string") return v;
  if (typeof v === "number") {
    if (Number.isFinite(v)) return v;
    throw new Error(`${where}: ${path} is ${v}, which JSON cannot hold`);
  }
  if (Array.isArray(v)) return v.map((item: unknown, i) => copyJsonValue(item, where, `${path}[${i}]`));
  if (typeof v === "object") {
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) throw new Error(`${where}: ${path} is ${describeArg(v)}; a config holds only plain JSON`);
    const out: LayerConfig = {};
    for (const [k, item] of Object.entries(v)) out[k] = copyJsonValue(item, where, `${path}.${k}`);
    return out;
  }
  throw new Error(`${where}: ${path} is ${describeArg(v)}; a config holds only plain JSON`);
}
