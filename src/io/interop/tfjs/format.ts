/**
 * The TensorFlow.js Layers format (`model.json` + binary weight shards), read into and written
 * from a neutral description: the model's layers in order, each with its Keras class name, its
 * Keras config (snake_case, as the file holds it) and its weights in Keras layout and order
 * (LSTM `kernel` (I, 4H) i|f|c|o, `recurrent_kernel` (H, 4H), `bias` (4H); GRU z|r|h with
 * `bias` (2, 3H) when reset_after; Dense `kernel` (in, out); Embedding `embeddings` (V, E)).
 * map.ts turns a description into the library's layers and back.
 *
 *   model.json: { "format": "layers-model", "modelTopology": { "class_name": "Sequential",
 *                 "config": { "name": ..., "layers": [ { "class_name", "config" }, ... ] } },
 *                 "weightsManifest": [ { "paths": ["group1-shard1of1.bin"], "weights":
 *                 [ { "name": "lstm/kernel", "shape": [3, 16], "dtype": "float32" }, ... ] } ] }
 *
 * A group's shards, concatenated, hold its weights one after the other (little-endian float32).
 * Reading checks before allocating: model.json's size and nesting, at most MAX_TFJS_WEIGHTS
 * weights whose sizes sum to at most the byte limit, shard paths that are plain file names
 * (no folders, so a file cannot point outside its own folder), and each group's shards adding
 * up to exactly its weights' bytes; only then are the weights copied out. Only float32 weights
 * are read (quantised ones are refused, naming the weight).
 */
import { parseJsonChecked } from "../../json.js";

/** Largest model.json read (bytes). */
export const MAX_TFJS_JSON_BYTES = 64 * 2 ** 20;
/** Largest total of weight bytes read. */
export const MAX_TFJS_WEIGHT_BYTES = 2 ** 31;
/** Most weights in a manifest. */
export const MAX_TFJS_WEIGHTS = 100_000;
/** Most layers in a topology (after unwrapping). */
export const MAX_TFJS_LAYERS = 10_000;

/** A bad TF.js file: the message names the file, the field and what was expected. */
export class TfjsFormatError extends Error {}

/** One weight in Keras layout. */
export interface TfjsWeight {
  /** The manifest's name, e.g. "lstm/kernel" or "bi/forward_lstm/kernel". */
  name: string;
  shape: number[];
  data: Float32Array;
}

/** One layer of a Sequential: Keras class, config as the file holds it, and its own weights in order. */
export interface TfjsLayer {
  className: string;
  config: Record<string, unknown>;
  weights: TfjsWeight[];
}

/** A TF.js Layers model as a list of layers. */
export interface TfjsModelDescription {
  /** The Sequential's name. */
  name: string;
  layers: TfjsLayer[];
  /** What TF.js itself will refuse in the file (Keras and this library read it), one line per layer; set by modelToTfjs. */
  tfjsRefuses?: string[];
}

/** What writeTfjsLayersModel produces: model.json's text and the one shard it names. */
export interface TfjsFiles {
  modelJson: string;
  /** File name of the shard, as model.json's manifest gives it. */
  weightsPath: string;
  weights: Uint8Array;
  /** The description's `tfjsRefuses`: why TF.js's loadLayersModel will not load these files (empty when it will). */
  tfjsRefuses: string[];
}

export const TFJS_WEIGHTS_FILE = "group1-shard1of1.bin";

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function shown(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}...` : v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v === null) return "null";
  return typeof v === "object" ? "an object" : String(v);
}

/** The layers of a Sequential topology (Keras 2's `config.layers`, or the older bare list), without InputLayer. */
function topologyLayers(topology: unknown, where: string): { name: string; layers: { className: string; config: Json }[] } {
  if (!isObject(topology)) throw new TfjsFormatError(`${where}: modelTopology must be an object, got ${shown(topology)}`);
  const model = isObject(topology["model_config"]) ? topology["model_config"] : topology;
  const cls = model["class_name"];
  if (cls !== "Sequential") {
    throw new TfjsFormatError(`${where}: modelTopology.class_name must be "Sequential" (functional models are not read), got ${shown(cls)}`);
  }
  const config = model["config"];
  const list = Array.isArray(config) ? config : isObject(config) ? config["layers"] : undefined;
  if (!Array.isArray(list)) throw new TfjsFormatError(`${where}: modelTopology.config.layers must be an array, got ${shown(list)}`);
  if (list.length > MAX_TFJS_LAYERS) throw new TfjsFormatError(`${where}: ${list.length} layers is over the limit of ${MAX_TFJS_LAYERS}`);
  const layers: { className: string; config: Json }[] = [];
  list.forEach((item: unknown, k) => {
    if (!isObject(item) || typeof item["class_name"] !== "string" || !isObject(item["config"])) {
      throw new TfjsFormatError(`${where}: layers[${k}] must be { class_name: string, config: object }, got ${shown(item)}`);
    }
    if (item["class_name"] !== "InputLayer") layers.push({ className: item["class_name"], config: item["config"] });
  });
  const name = isObject(config) && typeof config["name"] === "string" ? config["name"] : "sequential";
  return { name, layers };
}

interface Spec {
  name: string;
  shape: number[];
  size: number;
}

/** A plain file name: a shard may not name a folder, so it stays beside model.json. */
function checkPath(p: unknown, where: string): string {
  if (typeof p !== "string" || p === "" || p.length > 255 || /[/\\\0]/.test(p) || p === "." || p === "..") {
    throw new TfjsFormatError(`${where}: a shard path must be a plain file name beside model.json, got ${shown(p)}`);
  }
  return p;
}

function checkSpec(w: unknown, where: string, budget: { bytes: number; count: number }): Spec {
  if (!isObject(w)) throw new TfjsFormatError(`${where} must be { name, shape, dtype }, got ${shown(w)}`);
  const name = w["name"];
  const shape = w["shape"];
  if (typeof name !== "string" || name === "" || name.length > 1024) throw new TfjsFormatError(`${where}.name must be a non-empty string, got ${shown(name)}`);
  if (w["quantization"] !== undefined) throw new TfjsFormatError(`${where} (${shown(name)}) is quantised; only float32 weights are read`);
  if (w["dtype"] !== "float32") throw new TfjsFormatError(`${where} (${shown(name)}): dtype must be "float32", got ${shown(w["dtype"])}`);
  if (!Array.isArray(shape) || shape.length > 8) throw new TfjsFormatError(`${where} (${shown(name)}): shape must be an array of at most 8 sizes, got ${shown(shape)}`);
  let size = 1;
  for (const d of shape) {
    if (typeof d !== "number" || !Number.isSafeInteger(d) || d < 0) throw new TfjsFormatError(`${where} (${shown(name)}): shape [${shape.map(shown).join(", ")}] must hold non-negative integers`);
    size *= d;
    if (size * 4 > MAX_TFJS_WEIGHT_BYTES) throw new TfjsFormatError(`${where} (${shown(name)}): shape [${shape.join(", ")}] is over the ${MAX_TFJS_WEIGHT_BYTES}-byte limit`);
  }
  budget.bytes += size * 4;
  budget.count += 1;
  if (budget.bytes > MAX_TFJS_WEIGHT_BYTES) throw new TfjsFormatError(`${where}: the weights add up to over ${MAX_TFJS_WEIGHT_BYTES} bytes`);
  if (budget.count > MAX_TFJS_WEIGHTS) throw new TfjsFormatError(`${where}: more than ${MAX_TFJS_WEIGHTS} weights`);
  return { name, shape: shape.map(Number), size };
}

/** Which weights each layer owns, by the manifest names' first part (the layer's name). */
function layerName(config: Json, k: number, where: string): string {
  const name = config["name"];
  if (typeof name !== "string" || name === "") throw new TfjsFormatError(`${where}: layers[${k}].config.name must be a non-empty string, got ${shown(name)}`);
  return name;
}

/** Options of readTfjsLayersModel. */
export interface ReadTfjsOptions {
  /** Names the file in errors. Default "model.json". */
  source?: string;
}

/**
 * Reads model.json's bytes and, through `readShard(path)`, its weight shards (a shard's bytes,
 * or a thrown error) into a description (see this file's comment for the checks).
 */
export function readTfjsLayersModel(modelJson: Uint8Array, readShard: (path: string, expectedBytes: number) => Uint8Array, options: ReadTfjsOptions = {}): TfjsModelDescription {
  const where = options.source ?? "model.json";
  if (!(modelJson instanceof Uint8Array)) throw new TfjsFormatError(`readTfjsLayersModel: modelJson must be a Uint8Array, got ${shown(modelJson)}`);
  if (modelJson.length > MAX_TFJS_JSON_BYTES) throw new TfjsFormatError(`${where}: ${modelJson.length} bytes is over the ${MAX_TFJS_JSON_BYTES}-byte limit for model.json`);
  let json: unknown;
  try {
    json = parseJsonChecked(modelJson, where);
  } catch (err) {
    throw new TfjsFormatError(err instanceof Error ? err.message : String(err));
  }
  if (!isObject(json)) throw new TfjsFormatError(`${where}: expected a JSON object, got ${shown(json)}`);
  const format = json["format"];
  if (format !== undefined && format !== "layers-model") throw new TfjsFormatError(`${where}: format must be "layers-model" (a graph model is not read), got ${shown(format)}`);
  const topology = topologyLayers(json["modelTopology"], where);
  const manifest = json["weightsManifest"] ?? [];
  if (!Array.isArray(manifest)) throw new TfjsFormatError(`${where}: weightsManifest must be an array, got ${shown(manifest)}`);

  // Every group checked before any shard is read.
  const budget = { bytes: 0, count: 0 };
  const groups = manifest.map((g: unknown, gi) => {
    const at = `${where}: weightsManifest[${gi}]`;
    if (!isObject(g) || !Array.isArray(g["paths"]) || !Array.isArray(g["weights"])) throw new TfjsFormatError(`${at} must be { paths: [...], weights: [...] }, got ${shown(g)}`);
    if (g["paths"].length > 10_000 || g["weights"].length > MAX_TFJS_WEIGHTS) throw new TfjsFormatError(`${at}: too many paths or weights`);
    const paths = g["paths"].map((p: unknown) => checkPath(p, at));
    const specs = g["weights"].map((w: unknown, wi) => checkSpec(w, `${at}.weights[${wi}]`, budget));
    return { paths, specs };
  });
  const byName = new Map<string, TfjsWeight>();
  for (const [gi, g] of groups.entries()) {
    const need = g.specs.reduce((n, s) => n + s.size * 4, 0);
    const shards: Uint8Array[] = [];
    let have = 0;
    for (const p of g.paths) {
      const bytes = readShard(p, need - have);
      if (!(bytes instanceof Uint8Array)) throw new TfjsFormatError(`${where}: the shard ${shown(p)} was not read as bytes`);
      have += bytes.length;
      if (have > need) throw new TfjsFormatError(`${where}: weightsManifest[${gi}]'s shards hold more than the ${need} bytes its weights need (at ${shown(p)})`);
      shards.push(bytes);
    }
    if (have !== need) throw new TfjsFormatError(`${where}: weightsManifest[${gi}]'s shards hold ${have} bytes but its weights need ${need} (a shard is truncated or missing)`);
    const all = shards.length === 1 ? shards[0]! : concat(shards, need);
    const view = new DataView(all.buffer, all.byteOffset, all.byteLength);
    let offset = 0;
    for (const s of g.specs) {
      const data = new Float32Array(s.size);
      for (let k = 0; k < s.size; k++) data[k] = view.getFloat32(offset + 4 * k, true);
      offset += 4 * s.size;
      if (byName.has(s.name)) throw new TfjsFormatError(`${where}: the weight ${shown(s.name)} is listed twice`);
      byName.set(s.name, { name: s.name, shape: s.shape, data });
    }
  }

  // A layer's weights are those whose name's first part is the layer's name, in manifest order.
  const owned = new Map<string, TfjsWeight[]>();
  for (const w of byName.values()) {
    const head = w.name.includes("/") ? w.name.slice(0, w.name.indexOf("/")) : "";
    const list = owned.get(head);
    if (list === undefined) owned.set(head, [w]);
    else list.push(w);
  }
  const layers = topology.layers.map((l, k): TfjsLayer => {
    const name = layerName(l.config, k, where);
    const weights = owned.get(name) ?? [];
    owned.delete(name);
    return { className: l.className, config: l.config, weights };
  });
  const left = [...owned.values()].flat().map((w) => w.name);
  if (left.length > 0) throw new TfjsFormatError(`${where}: the weight${left.length > 1 ? "s" : ""} ${left.slice(0, 3).map(shown).join(", ")} belong${left.length > 1 ? "" : "s"} to no layer of the topology`);
  return { name: topology.name, layers };
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** model.json and one shard for a description; the inverse of readTfjsLayersModel. */
export function writeTfjsLayersModel(model: TfjsModelDescription): TfjsFiles {
  const specs: { name: string; shape: number[]; dtype: "float32" }[] = [];
  let total = 0;
  for (const l of model.layers) for (const w of l.weights) total += w.data.length * 4;
  const weights = new Uint8Array(total);
  const view = new DataView(weights.buffer);
  let offset = 0;
  for (const l of model.layers) {
    for (const w of l.weights) {
      const size = w.shape.reduce((a, b) => a * b, 1);
      if (size !== w.data.length) throw new TfjsFormatError(`writeTfjsLayersModel: weight ${shown(w.name)} has shape [${w.shape.join(", ")}] but ${w.data.length} values`);
      specs.push({ name: w.name, shape: [...w.shape], dtype: "float32" });
      for (let k = 0; k < w.data.length; k++) view.setFloat32(offset + 4 * k, w.data[k]!, true);
      offset += 4 * w.data.length;
    }
  }
  const json = {
    format: "layers-model",
    generatedBy: "recurrent",
    convertedBy: null,
    modelTopology: {
      class_name: "Sequential",
      config: { name: model.name, layers: model.layers.map((l) => ({ class_name: l.className, config: l.config })) },
      keras_version: "tfjs-layers 4.22.0",
      backend: "tensor_flow.js",
    },
    weightsManifest: [{ paths: [TFJS_WEIGHTS_FILE], weights: specs }],
  };
  return { modelJson: `${JSON.stringify(json)}\n`, weightsPath: TFJS_WEIGHTS_FILE, weights, tfjsRefuses: [...(model.tfjsRefuses ?? [])] };
}
