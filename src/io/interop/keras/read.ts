/**
 * Keras model files into the library's layers: Keras 3 `.keras` archives (an uncompressed ZIP
 * holding `metadata.json`, `config.json` and `model.weights.h5`) and legacy `.h5` files (HDF5
 * whose root attributes hold `model_config` and `keras_version`, with each layer's weights under
 * `model_weights/<layer name>`, listed in order by its `weight_names` attribute).
 *
 * The config is read first (config.ts: one chain of layers, normalised), then each layer's
 * weights, each checked against the shape its config implies before it is read (hdf5.ts); the
 * result is the TF.js importer's description, which tfjs/map.ts turns into a Sequential of
 * Keras-style layers, so both importers build layers the same way.
 *
 * In a `.keras` file a layer's weights live under `layers/<key>` where the key is the snake_case
 * class name, numbered from the second layer of a class on (`lstm`, `lstm_1`), Keras's own
 * naming: `<key>/vars/<k>` (Dense, Embedding), `<key>/cell/vars/<k>` (recurrent layers),
 * `<key>/forward_layer/cell/vars/<k>` and `backward_layer` (Bidirectional), `<key>/layer/vars/<k>`
 * (TimeDistributed).
 */
import type { Sequential } from "../../../models/sequential.js";
import { parseJsonChecked } from "../../json.js";
import { readZip } from "../pytorch/zip.js";
import { TfjsFormatError, type TfjsLayer, type TfjsModelDescription, type TfjsWeight } from "../tfjs/format.js";
import { tfjsToModel } from "../tfjs/map.js";
import { readModelConfig, type KerasChain, type KerasChainLayer } from "./config.js";
import { KerasFormatError, MAX_KERAS_FILE_BYTES, clip } from "./errors.js";
import { childGroup, groupKeys, openHdf5, readWeight, stringAttr, stringListAttr, type Hdf5, type ShapePattern } from "./hdf5.js";
import { KerasChainWithStates, returningStates } from "./states.js";

type Json = Record<string, unknown>;

/** Options of readKerasModel. */
export interface ReadKerasOptions {
  /** Names the file in errors. Default "model.keras" or "model.h5", by the content. */
  source?: string;
  /** Largest file read, in bytes; default and upper bound MAX_KERAS_FILE_BYTES. */
  maxBytes?: number;
}

/** True when `bytes` is an HDF5 file (its 8-byte signature). */
export function looksLikeHdf5(bytes: Uint8Array): boolean {
  const sig = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
  return bytes.length >= 8 && sig.every((b, k) => bytes[k] === b);
}

/** True when `bytes` is a ZIP whose first entry is one a `.keras` archive holds. */
export function looksLikeKerasArchive(bytes: Uint8Array): boolean {
  if (bytes.length < 30 || bytes[0] !== 0x50 || bytes[1] !== 0x4b || bytes[2] !== 0x03 || bytes[3] !== 0x04) return false;
  const n = bytes[26]! | (bytes[27]! << 8);
  const name = String.fromCharCode(...bytes.subarray(30, 30 + Math.min(n, 32)));
  return name === "metadata.json" || name === "config.json" || name === "model.weights.h5";
}

const GATES: Record<string, number> = { SimpleRNN: 1, LSTM: 4, GRU: 3 };

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function positive(v: unknown, what: string, fail: (why: string) => never): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 1) fail(`${what} must be a positive integer, got ${clip(v)}`);
  return v as number;
}

/** Leaf names and shapes a recurrent layer's weights must have, from its config. */
function recurrentWeights(className: string, c: Json, fail: (why: string) => never): [string, ShapePattern][] {
  const gates = GATES[className] ?? fail(`class ${clip(className)} is not SimpleRNN, LSTM or GRU`);
  const units = positive(c["units"], "units", fail);
  const G = gates * units;
  const out: [string, ShapePattern][] = [["kernel", [null, G]], ["recurrent_kernel", [units, G]]];
  if (c["use_bias"] !== false) out.push(["bias", className === "GRU" && c["reset_after"] !== false ? [2, G] : [G]]);
  return out;
}

function denseWeights(c: Json, fail: (why: string) => never): [string, ShapePattern][] {
  const units = positive(c["units"], "units", fail);
  return c["use_bias"] === false ? [["kernel", [null, units]]] : [["kernel", [null, units]], ["bias", [units]]];
}

function innerOf(c: Json, fail: (why: string) => never): { className: string; config: Json } {
  const inner = c["layer"];
  if (!isObject(inner) || typeof inner["class_name"] !== "string" || !isObject(inner["config"])) return fail("needs its wrapped layer as { class_name, config }");
  return { className: inner["class_name"], config: inner["config"] };
}

/**
 * The weights a layer must hold, as groups (one per direction for Bidirectional) of
 * [TF.js-style name, shape], from its config alone.
 */
function expectedWeights(l: KerasChainLayer, fail: (why: string) => never): { sub: string; weights: [string, ShapePattern][] }[] {
  switch (l.className) {
    case "SimpleRNN":
    case "LSTM":
    case "GRU":
      return [{ sub: "", weights: recurrentWeights(l.className, l.config, fail) }];
    case "Bidirectional": {
      const inner = innerOf(l.config, fail);
      const ws = recurrentWeights(inner.className, inner.config, fail);
      const cell = inner.className.toLowerCase();
      return [
        { sub: `forward_${cell}/`, weights: ws },
        { sub: `backward_${cell}/`, weights: ws },
      ];
    }
    case "Dense":
      return [{ sub: "", weights: denseWeights(l.config, fail) }];
    case "TimeDistributed": {
      const inner = innerOf(l.config, fail);
      if (inner.className !== "Dense") fail("only TimeDistributed(Dense) is read");
      return [{ sub: "", weights: denseWeights(inner.config, fail) }];
    }
    case "Embedding":
      return [{ sub: "", weights: [["embeddings", [positive(l.config["input_dim"], "input_dim", fail), positive(l.config["output_dim"], "output_dim", fail)]]] }];
    case "Masking":
    case "Dropout":
      return [];
    default:
      return fail("not one of SimpleRNN, LSTM, GRU, Bidirectional, Embedding, Masking, Dense, TimeDistributed(Dense), Dropout");
  }
}

/** Keras's snake_case of a class name (keras.src.utils.naming.to_snake_case). */
function snakeCase(name: string): string {
  return name.replace(/(.)([A-Z][a-z]+)/g, "$1_$2").replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
}

function layerFail(where: string, l: KerasChainLayer): (why: string) => never {
  return (why: string): never => {
    throw new KerasFormatError(`${where}: layer ${clip(l.name)} (${l.className}): ${why}`);
  };
}

/** The `.keras` archive's weights for each chain layer. */
function archiveWeights(h: Hdf5, chain: KerasChain): TfjsLayer[] {
  const root = childGroup(h, h.root, "layers");
  const used = new Map<string, number>();
  return chain.layers.map((l): TfjsLayer => {
    const fail = layerFail(h.part, l);
    const expected = expectedWeights(l, fail);
    const base = snakeCase(l.className);
    const n = used.get(base);
    used.set(base, n === undefined ? 0 : n + 1);
    const key = n === undefined ? base : `${base}_${n + 1}`;
    if (expected.length === 0) return { className: l.className, config: l.config, weights: [] };
    const group = root === undefined ? undefined : childGroup(h, root, key);
    if (group === undefined) return fail(`its weights (layers/${key}) are missing`);
    const paths = l.className === "Bidirectional" ? ["forward_layer/cell/vars", "backward_layer/cell/vars"] : l.className === "TimeDistributed" ? ["layer/vars"] : l.className === "Dense" || l.className === "Embedding" ? ["vars"] : ["cell/vars"];
    const weights = expected.flatMap(({ sub, weights: ws }, d): TfjsWeight[] => {
      const path = `layers/${key}/${paths[d]}`;
      const vars = childGroup(h, group, paths[d]!);
      if (vars === undefined) return fail(`the group ${path} is missing`);
      const keys = groupKeys(h, vars, path);
      if (keys.length !== ws.length) fail(`${path} holds ${keys.length} weights, expected ${ws.length} (${ws.map(([n]) => n).join(", ")})`);
      return ws.map(([leaf, shape], k) => ({ name: `${l.name}/${sub}${leaf}`, ...readWeight(h, vars, String(k), shape, `layer ${clip(l.name)} (${l.className}): ${path}/${k} (${leaf})`) }));
    });
    return { className: l.className, config: l.config, weights };
  });
}

/** The legacy `.h5` file's weights for each chain layer, by its weight_names. */
function h5Weights(h: Hdf5, chain: KerasChain): TfjsLayer[] {
  const root = childGroup(h, h.root, "model_weights");
  if (root === undefined) throw new KerasFormatError(`${h.part}: no model_weights group (a file saved with include_optimizer only, or not a Keras model file)`);
  return chain.layers.map((l): TfjsLayer => {
    const fail = layerFail(h.part, l);
    const expected = expectedWeights(l, fail).flatMap(({ sub, weights }) => weights.map(([leaf, shape]): [string, string, ShapePattern] => [sub, leaf, shape]));
    const group = childGroup(h, root, l.name);
    if (group === undefined) return expected.length === 0 ? { className: l.className, config: l.config, weights: [] } : fail("its weights (its group in model_weights) are missing");
    const names = stringListAttr(h, group, "weight_names", `model_weights/${clip(l.name)}`);
    if (names.length !== expected.length) fail(`its group in model_weights lists ${names.length} weights, expected ${expected.length} (${expected.map(([s, n]) => s + n).join(", ")})`);
    const weights = expected.map(([sub, leaf, shape], k): TfjsWeight => {
      const stored = names[k]!;
      const bare = stored.replace(/:\d+$/, "");
      if (bare.slice(bare.lastIndexOf("/") + 1) !== leaf || (sub !== "" && !bare.includes(`/${sub.split("_")[0]}_`))) fail(`weight ${k} is ${clip(stored)}, expected its ${sub}${leaf}`);
      return { name: `${l.name}/${sub}${leaf}`, ...readWeight(h, group, stored, shape, `layer ${clip(l.name)} (${l.className}): model_weights weight ${k} (${leaf})`) };
    });
    return { className: l.className, config: l.config, weights };
  });
}

function jsonPart(bytes: Uint8Array, part: string): unknown {
  try {
    return parseJsonChecked(bytes, part);
  } catch (err) {
    throw new KerasFormatError(err instanceof Error ? err.message : String(err));
  }
}

function checkSize(bytes: Uint8Array, options: ReadKerasOptions, where: string): void {
  if (!(bytes instanceof Uint8Array)) throw new KerasFormatError(`readKerasModel: bytes must be a Uint8Array, got ${clip(typeof bytes)}`);
  const max = Math.min(options.maxBytes ?? MAX_KERAS_FILE_BYTES, MAX_KERAS_FILE_BYTES);
  if (bytes.length > max) throw new KerasFormatError(`${where}: ${bytes.length} bytes is over the ${max}-byte limit for Keras files`);
}

function readArchive(bytes: Uint8Array, source: string): { chain: KerasChain; layers: TfjsLayer[] } {
  let entries: Map<string, Uint8Array>;
  try {
    entries = readZip(bytes, source);
  } catch (err) {
    throw new KerasFormatError((err instanceof Error ? err.message : String(err)).replace("torch.save archive", ".keras archive"));
  }
  const part = (name: string): Uint8Array => entries.get(name) ?? (() => { throw new KerasFormatError(`${source}: the archive has no ${name}`); })();
  const metadata = jsonPart(part("metadata.json"), `${source}: metadata.json`);
  const version = isObject(metadata) && typeof metadata["keras_version"] === "string" ? metadata["keras_version"] : undefined;
  const chain = readModelConfig(jsonPart(part("config.json"), `${source}: config.json`), version, `${source}: config.json`);
  const h = openHdf5(part("model.weights.h5"), `${source}: model.weights.h5`);
  return { chain, layers: archiveWeights(h, chain) };
}

function readH5(bytes: Uint8Array, source: string): { chain: KerasChain; layers: TfjsLayer[] } {
  const h = openHdf5(bytes, source);
  const version = stringAttr(h, h.root, "keras_version", "the root group");
  const text = stringAttr(h, h.root, "model_config", "the root group");
  if (text === undefined) throw new KerasFormatError(`${source}: no model_config attribute (a weights-only file: build the model and load the weights instead)`);
  const chain = readModelConfig(jsonPart(new TextEncoder().encode(text), `${source}: model_config`), version, `${source}: model_config`);
  return { chain, layers: h5Weights(h, chain) };
}

/** A Keras file read: the TF.js importer's description, and whether the model also returns its last layer's states. */
export interface KerasModelDescription extends TfjsModelDescription {
  /** True when the last layer has return_state and the model outputs its states (its config here says return_state = false: the layers are built from it as a chain). */
  returnsState: boolean;
}

/**
 * A `.keras` or `.h5` file as the TF.js importer's description (see this file's comment).
 * Refused with a KerasFormatError: a file over the size limit, anything malformed, and a model
 * that is not a single chain of the supported layers.
 */
export function readKerasModel(bytes: Uint8Array, options: ReadKerasOptions = {}): KerasModelDescription {
  const archive = bytes instanceof Uint8Array && looksLikeKerasArchive(bytes);
  const source = options.source ?? (archive ? "model.keras" : "model.h5");
  checkSize(bytes, options, source);
  let read: { chain: KerasChain; layers: TfjsLayer[] };
  if (archive) read = readArchive(bytes, source);
  else if (looksLikeHdf5(bytes)) read = readH5(bytes, source);
  else throw new KerasFormatError(`${source}: neither a .keras archive (a ZIP starting with metadata.json, config.json or model.weights.h5) nor an HDF5 .h5 file`);
  const layers = read.layers;
  if (read.chain.returnsState) {
    // Built as a chain first; importKeras rebuilds the last layer to return its states.
    const last = layers[layers.length - 1]!;
    const inner = last.config["layer"];
    const config = isObject(inner) && isObject(inner["config"]) ? { ...last.config, layer: { ...inner, config: { ...inner["config"], return_state: false } } } : { ...last.config, return_state: false };
    layers[layers.length - 1] = { ...last, config };
  }
  return { name: read.chain.name, layers, returnsState: read.chain.returnsState };
}

/**
 * A `.keras` or `.h5` file as a Sequential of the library's Keras-style layers (tfjs/map.ts
 * builds them), or, when the model returns its last layer's states, a KerasChainWithStates
 * whose forward returns [output, ...states] (states.ts).
 */
export function importKeras(bytes: Uint8Array, options: ReadKerasOptions = {}): Sequential | KerasChainWithStates {
  const desc = readKerasModel(bytes, options);
  const source = options.source ?? (looksLikeKerasArchive(bytes) ? "model.keras" : "model.h5");
  try {
    const model = tfjsToModel(desc, source);
    return desc.returnsState ? returningStates(model, source) : model;
  } catch (err) {
    if (err instanceof TfjsFormatError) throw new KerasFormatError(err.message);
    throw err;
  }
}
