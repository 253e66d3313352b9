/**
 * Keras model configs, Keras 2's and Keras 3's, in one shape: the model's layers as a single
 * chain of `{ className, name, config }` with configs as TF.js Layers files hold them (so that
 * tfjs/map.ts builds the layers).
 *
 * Normalised here and nowhere else:
 * - Keras 3's `module`, `registered_name` and `build_config` are dropped; dtype-policy objects
 *   (`{ class_name: "DTypePolicy", config: { name } }`) and Keras 2's plain dtype strings are
 *   both dropped (weights are read as float32 and the layers compute in float32);
 * - `batch_shape` (Keras 3) and `batch_input_shape` (Keras 2) are ignored: sizes come from the
 *   weights;
 * - Bidirectional: Keras 3 always writes `backward_layer`; when it is the forward layer's mirror
 *   (same config but its name and `go_backwards`), it is dropped, as Keras would make it anyway;
 * - `hard_sigmoid` is decided by the file's Keras version: Keras 3 (keras_version 3.x) defines it
 *   as relu6(x + 3) / 6 (`hardSigmoidKeras3`), Keras 2 and earlier as clip(0.2x + 0.5, 0, 1)
 *   (`hardSigmoid`); a file without a version is read as Keras 2.
 *
 * A functional model is read when it is a single chain: one input, every layer fed by the one
 * before it, one output (or, for a last recurrent layer with `return_state`, all its outputs in
 * order). Keras 3 traces the mask a Masking or `mask_zero` Embedding makes as small ops layers
 * (`NotEqual`, `Any`) passed to later layers as their `mask` argument; those are the mask the
 * chain propagates by itself, so they are skipped. Anything else (a second input, a branch, a
 * merge, a shared layer) is refused naming the layer.
 */
import { KerasFormatError, MAX_KERAS_LAYERS, clip } from "./errors.js";

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** One layer of the chain, config normalised. */
export interface KerasChainLayer {
  className: string;
  /** The layer's name in the file (weights are found by it in `.h5` files). */
  name: string;
  config: Json;
}

/** A model config read as a chain. */
export interface KerasChain {
  name: string;
  layers: KerasChainLayer[];
  /** True when the model's outputs are the last layer's output and its final states (return_state). */
  returnsState: boolean;
}

/** Keras's major version from a keras_version string ("3.15.1" → 3); undefined when absent. */
export function kerasMajor(version: string | undefined): number | undefined {
  if (version === undefined) return undefined;
  const m = /^(\d+)\./.exec(version);
  return m === null ? undefined : Number(m[1]);
}

const DROPPED = new Set(["module", "registered_name", "build_config", "dtype", "batch_shape", "batch_input_shape", "shared_object_id"]);
const ACTIVATION_KEYS = ["activation", "recurrent_activation"];

/** A `{ class_name, config }` entry with its config normalised (recursively for wrappers). */
function normaliseEntry(entry: unknown, where: string, keras3: boolean): { className: string; config: Json } {
  if (!isObject(entry) || typeof entry["class_name"] !== "string" || !isObject(entry["config"])) {
    throw new KerasFormatError(`${where}: a layer must be { class_name: string, config: object }, got ${clip(entry)}`);
  }
  const className = entry["class_name"];
  // Class names are short identifiers; a longer one is refused here, so messages may quote it whole.
  if (className.length > 100) throw new KerasFormatError(`${where}: class_name ${clip(className)} is not a layer class`);
  const config: Json = {};
  for (const [k, v] of Object.entries(entry["config"])) {
    if (DROPPED.has(k)) continue;
    if (ACTIVATION_KEYS.includes(k) && v === "hard_sigmoid") config[k] = keras3 ? "hardSigmoidKeras3" : "hardSigmoid";
    else if (k === "layer") config[k] = normaliseEntry(v, `${where}.layer`, keras3);
    else config[k] = v;
  }
  if (className === "Bidirectional" && config["backward_layer"] != null) {
    const fw = config["layer"];
    if (!isObject(fw) || typeof fw["className"] !== "string" || !isObject(fw["config"])) throw new KerasFormatError(`${where}: a Bidirectional needs its layer as { class_name, config }`);
    const bw = normaliseEntry(config["backward_layer"], `${where}.backward_layer`, keras3);
    if (!isMirror({ className: fw["className"], config: fw["config"] }, bw)) throw new KerasFormatError(`${where}: a backward_layer that is not the forward layer's mirror is not read`);
    delete config["backward_layer"];
  }
  if (isObject(config["layer"])) {
    const inner = config["layer"] as { className: string; config: Json };
    config["layer"] = { class_name: inner.className, config: inner.config };
  }
  return { className, config };
}

/** Same class and config except name, go_backwards and training-time settings (initializers and the like, not read). */
function isMirror(fw: { className: string; config: Json }, bw: { className: string; config: Json }): boolean {
  if (fw.className !== bw.className) return false;
  const kept = (k: string): boolean => k !== "name" && k !== "go_backwards" && !/_(initializer|regularizer|constraint)$/.test(k);
  const strip = (c: Json): string => JSON.stringify(Object.keys(c).filter(kept).sort().map((k) => [k, c[k]]));
  return strip(fw.config) === strip(bw.config) && (fw.config["go_backwards"] === true) !== (bw.config["go_backwards"] === true);
}

/** A tensor reference in an inbound node: the producing layer and its output index. */
interface Ref {
  layer: string;
  index: number;
}

interface Node {
  /** The tensors passed positionally (Keras 3 args, Keras 2's node list). */
  args: Ref[];
  /** The mask argument's tensor, if any. */
  mask: Ref | undefined;
  /** Keyword arguments other than mask (Keras 2's node dicts, Keras 3's kwargs). */
  kwargs: Json;
}

function keras3Ref(v: unknown): Ref | undefined {
  if (!isObject(v) || v["class_name"] !== "__keras_tensor__" || !isObject(v["config"])) return undefined;
  const h = v["config"]["keras_history"];
  if (!Array.isArray(h) || typeof h[0] !== "string" || typeof h[2] !== "number") return undefined;
  return { layer: h[0], index: h[2] };
}

/** Every tensor reference inside a value (arguments may be nested lists). */
function refsIn(v: unknown, out: Ref[], depth = 0): void {
  if (depth > 8) return;
  const r = keras3Ref(v);
  if (r !== undefined) out.push(r);
  else if (Array.isArray(v)) for (const x of v) refsIn(x, out, depth + 1);
}

/** A layer's one inbound node, Keras 3's `{ args, kwargs }` or Keras 2's `[[name, node, index, kwargs], ...]`. */
function readNode(layer: Json, where: string): Node | undefined {
  const nodes = layer["inbound_nodes"];
  if (nodes === undefined || (Array.isArray(nodes) && nodes.length === 0)) return undefined;
  if (!Array.isArray(nodes) || nodes.length !== 1) throw new KerasFormatError(`${where}: a layer called more than once (a shared layer) is not read; the model must be a single chain`);
  const node: unknown = nodes[0];
  if (isObject(node)) {
    const args: Ref[] = [];
    refsIn(node["args"], args);
    const kwargs: Json = isObject(node["kwargs"]) ? { ...node["kwargs"] } : {};
    const mask = keras3Ref(kwargs["mask"]);
    delete kwargs["mask"];
    return { args, mask, kwargs };
  }
  if (Array.isArray(node)) {
    const args: Ref[] = [];
    let kwargs: Json = {};
    for (const t of node) {
      if (!Array.isArray(t) || typeof t[0] !== "string" || typeof t[2] !== "number") throw new KerasFormatError(`${where}: an inbound node must list [layer, node, index, kwargs], got ${clip(t)}`);
      args.push({ layer: t[0], index: t[2] });
      if (isObject(t[3])) kwargs = { ...t[3] };
    }
    const mask = keras3Ref(kwargs["mask"]);
    delete kwargs["mask"];
    return { args, mask, kwargs };
  }
  throw new KerasFormatError(`${where}: unreadable inbound_nodes ${clip(nodes)}`);
}

function layerList(config: unknown, where: string): unknown[] {
  const list = Array.isArray(config) ? config : isObject(config) ? config["layers"] : undefined;
  if (!Array.isArray(list)) throw new KerasFormatError(`${where}: config.layers must be an array, got ${clip(list)}`);
  if (list.length > MAX_KERAS_LAYERS) throw new KerasFormatError(`${where}: ${list.length} layers is over the limit of ${MAX_KERAS_LAYERS}`);
  return list;
}

function layerName(entry: Json, config: Json, k: number, where: string): string {
  const name = entry["name"] ?? config["name"];
  if (typeof name !== "string" || name === "" || name.length > 1024) throw new KerasFormatError(`${where}: layers[${k}] needs a name, got ${clip(name)}`);
  return name;
}

/** [name, node, index] or a list of them. */
function endpoints(v: unknown, what: string, where: string): Ref[] {
  const one = (t: unknown): Ref => {
    if (!Array.isArray(t) || typeof t[0] !== "string" || typeof t[2] !== "number") throw new KerasFormatError(`${where}: ${what} must list [layer, node, index], got ${clip(t)}`);
    return { layer: t[0], index: t[2] };
  };
  if (Array.isArray(v) && typeof v[0] === "string") return [one(v)];
  if (!Array.isArray(v) || v.length === 0 || v.length > 16) throw new KerasFormatError(`${where}: ${what} must list [layer, node, index], got ${clip(v)}`);
  return v.map(one);
}

const RECURRENT = new Set(["SimpleRNN", "LSTM", "GRU", "Bidirectional"]);

/** A functional model's layers as a chain (see this file's comment). */
function functionalChain(config: Json, where: string, keras3: boolean): KerasChain {
  const list = layerList(config, where);
  const entries = list.map((item, k) => {
    const at = `${where}: layers[${k}]`;
    const { className, config: c } = normaliseEntry(item, at, keras3);
    const name = layerName(item as Json, c, k, where);
    return { className, name, config: c, module: (item as Json)["module"], node: readNode(item as Json, `${where}: layer ${clip(name)} (${className})`) };
  });
  const byName = new Map(entries.map((e) => [e.name, e]));
  if (byName.size !== entries.length) throw new KerasFormatError(`${where}: two layers share a name`);
  const inputs = endpoints(config["input_layers"], "input_layers", where);
  const outputs = endpoints(config["output_layers"], "output_layers", where);
  if (inputs.length !== 1) throw new KerasFormatError(`${where}: the model has ${inputs.length} inputs; read is a single chain with one input`);
  const input = byName.get(inputs[0]!.layer);
  if (input === undefined || input.className !== "InputLayer") throw new KerasFormatError(`${where}: input_layers names ${clip(inputs[0]!.layer)}, which is not an InputLayer of the model`);

  // Mask ops: layers whose outputs reach the chain only as a mask argument (see this file's comment).
  const outputNames = new Set(outputs.map((o) => o.layer));
  const maskOps = new Set(entries.filter((e) => e.className !== "InputLayer" && !outputNames.has(e.name)).map((e) => e.name));
  for (let changed = true; changed; ) {
    changed = false;
    for (const e of entries) {
      if (!maskOps.has(e.name)) continue;
      const consumers = entries.filter((c) => c.node !== undefined && (c.node.mask?.layer === e.name || c.node.args.some((r) => r.layer === e.name)));
      const onlyMask = consumers.length > 0 && consumers.every((c) => maskOps.has(c.name) || !c.node!.args.some((r) => r.layer === e.name));
      if (!onlyMask) {
        maskOps.delete(e.name);
        changed = true;
      }
    }
  }

  const chain: KerasChainLayer[] = [];
  let current = input.name;
  const visited = new Set([input.name, ...maskOps]);
  for (;;) {
    const next = entries.filter((e) => !maskOps.has(e.name) && e.node?.args.some((r) => r.layer === current));
    if (next.length === 0) break;
    if (next.length > 1) throw new KerasFormatError(`${where}: the output of ${clip(current)} feeds ${next.map((e) => `${clip(e.name)} (${e.className})`).join(" and ")}; read is a single chain`);
    const e = next[0]!;
    const node = e.node!;
    if (node.args.length !== 1 || node.args[0]!.index !== 0) throw new KerasFormatError(`${where}: layer ${clip(e.name)} (${e.className}) takes ${node.args.length} inputs; read is a single chain, each layer fed by the one before`);
    if (node.mask !== undefined && !maskOps.has(node.mask.layer) && node.mask.layer !== current) throw new KerasFormatError(`${where}: layer ${clip(e.name)} (${e.className}) takes a mask from ${clip(node.mask.layer)}; only the mask the chain propagates is read`);
    for (const [k, v] of Object.entries(node.kwargs)) {
      if (k === "training" && v !== true) continue;
      throw new KerasFormatError(`${where}: layer ${clip(e.name)} (${e.className}) is called with ${clip(k)} = ${clip(v)}; read are layers called on one tensor`);
    }
    visited.add(e.name);
    chain.push({ className: e.className, name: e.name, config: e.config });
    current = e.name;
  }
  const stray = entries.find((e) => !visited.has(e.name));
  if (stray !== undefined) throw new KerasFormatError(`${where}: layer ${clip(stray.name)} (${stray.className}) is not on the chain from the input to the output; read is a single chain`);
  const last = chain[chain.length - 1];
  if (last === undefined) throw new KerasFormatError(`${where}: the model has no layers after its input`);
  if (!outputs.every((o, k) => o.layer === last.name && o.index === k)) {
    throw new KerasFormatError(`${where}: the outputs ${outputs.map((o) => `${clip(o.layer)}[${o.index}]`).join(", ")} are not the chain's last layer ${clip(last.name)}`);
  }
  const returnsState = outputs.length > 1;
  if (returnsState && !(RECURRENT.has(last.className) && returnStateOf(last.config))) {
    throw new KerasFormatError(`${where}: layer ${clip(last.name)} (${last.className}) gives ${outputs.length} outputs; only a recurrent layer with return_state does`);
  }
  const name = typeof config["name"] === "string" ? config["name"] : "functional";
  return { name, layers: chain, returnsState };
}

function returnStateOf(c: Json): boolean {
  const inner = c["layer"];
  return c["return_state"] === true || (isObject(inner) && isObject(inner["config"]) && inner["config"]["return_state"] === true);
}

/**
 * The chain of a model config (`config.json`'s object, or an `.h5` file's `model_config`);
 * `version` is the file's keras_version (it decides `hard_sigmoid`), `where` names the part.
 */
export function readModelConfig(model: unknown, version: string | undefined, where: string): KerasChain {
  if (!isObject(model)) throw new KerasFormatError(`${where}: the model config must be a JSON object, got ${clip(model)}`);
  const keras3 = (kerasMajor(version) ?? 2) >= 3;
  const cls = model["class_name"];
  const config = model["config"];
  if (cls === "Sequential") {
    const layers: KerasChainLayer[] = [];
    layerList(config, where).forEach((item, k) => {
      const { className, config: c } = normaliseEntry(item, `${where}: layers[${k}]`, keras3);
      if (className === "InputLayer") return;
      layers.push({ className, name: layerName(item as Json, c, k, where), config: c });
    });
    const name = isObject(config) && typeof config["name"] === "string" ? config["name"] : "sequential";
    return { name, layers, returnsState: false };
  }
  if (cls === "Functional" || cls === "Model") {
    if (!isObject(config)) throw new KerasFormatError(`${where}: config must be an object, got ${clip(config)}`);
    return functionalChain(config, where, keras3);
  }
  throw new KerasFormatError(`${where}: class_name must be "Sequential" or "Functional", got ${clip(cls)}`);
}
