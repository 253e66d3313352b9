/**
 * A model as two files' contents, with no file system (so it works in the browser too):
 *
 * - config: `model.json`, `{ "format": "recurrent-model", "version": 1, "className", "config" }`,
 *   the registry's `{ className, config }` of the model (nested for a `Sequential`);
 * - weights: `model.safetensors`, every entry of `stateDict()` as float32 under its dotted name.
 *
 * `saveModel` / `loadModel` (from "recurrent/node") write and read them in a folder.
 */
import type { Module, StateDictEntry } from "../nn/module.js";
import { describeArg } from "../nn/options.js";
import { parseSafetensors, serializeSafetensors, type SafeTensor } from "../io/safetensors.js";
import { layerFromConfig, layerToConfig, type LayerSpec } from "./registry.js";

/** The `format` field of model.json. */
export const MODEL_FORMAT = "recurrent-model";
/** The `version` of model.json this code writes and reads. */
export const MODEL_FORMAT_VERSION = 1;

/** A model's config JSON (model.json's text) and its weights (a safetensors file's bytes). */
export interface SerializedModel {
  /** model.json: `{ format, version, className, config }`, pretty-printed. */
  config: string;
  /** model.safetensors: the parameters as float32. */
  weights: Uint8Array;
}

/** How errors name the two inputs of `deserializeModel`, e.g. their paths. Default "config" and "weights". */
export interface SerializedModelNames {
  config?: string;
  weights?: string;
}

/**
 * Encodes `model` (any module whose class is registered, see `registerLayer`) as config JSON and
 * safetensors weights. Throws, before producing anything, if a class in it is not registered or
 * its config is not plain JSON.
 */
export function serializeModel(model: Module): SerializedModel {
  const { className, config } = layerToConfig(model);
  const file = { format: MODEL_FORMAT, version: MODEL_FORMAT_VERSION, className, config };
  const tensors: Record<string, SafeTensor> = {};
  for (const [name, p] of Object.entries(model.stateDict())) tensors[name] = { dtype: "F32", shape: [...p.shape], data: p.data };
  return { config: `${JSON.stringify(file, null, 2)}\n`, weights: serializeSafetensors(tensors, { format: MODEL_FORMAT }) };
}

/**
 * Rebuilds a model from `serializeModel`'s output: the class from the config through the
 * registry (a user's class must be registered first), then the weights, whose names and shapes
 * must match the rebuilt model's exactly. Errors name the input (`names`) and what is wrong.
 */
export function deserializeModel(files: SerializedModel, names: SerializedModelNames = {}): Module {
  const configName = names.config ?? "config";
  const weightsName = names.weights ?? "weights";
  if (typeof files !== "object" || files === null) throw new Error(`deserializeModel: expected { config, weights }, got ${describeArg(files)}`);
  const spec = parseModelJson(files.config, configName);
  let model: Module;
  try {
    model = layerFromConfig(spec);
  } catch (e) {
    throw new Error(`${configName}: cannot rebuild the model: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  if (!(files.weights instanceof Uint8Array)) throw new Error(`${weightsName}: expected the safetensors bytes as a Uint8Array, got ${describeArg(files.weights)}`);
  const { tensors } = parseSafetensors(files.weights, weightsName);
  const dict: Record<string, StateDictEntry> = {};
  for (const [name, t] of Object.entries(tensors)) {
    if (t.data instanceof Float32Array) dict[name] = { shape: t.shape, data: t.data };
    else if (t.data instanceof Float64Array) dict[name] = { shape: t.shape, data: Float32Array.from(t.data) };
    else throw new Error(`${weightsName}: tensor ${name} has dtype ${t.dtype}; model weights must be floating point (F32, F64, F16 or BF16)`);
  }
  try {
    model.loadStateDict(dict);
  } catch (e) {
    throw new Error(`${weightsName}: the weights do not fit the model in ${configName}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  return model;
}

function parseModelJson(text: unknown, source: string): LayerSpec {
  if (typeof text !== "string") throw new Error(`${source}: expected the model JSON as a string, got ${describeArg(text)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source}: not valid JSON (${e instanceof Error ? e.message : String(e)}); the file is corrupt or not a saved model`, { cause: e });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${source}: expected a JSON object { format, version, className, config }, got ${describeArg(parsed)}`);
  }
  const format: unknown = Reflect.get(parsed, "format");
  const version: unknown = Reflect.get(parsed, "version");
  const className: unknown = Reflect.get(parsed, "className");
  const config: unknown = Reflect.get(parsed, "config");
  if (format !== MODEL_FORMAT) throw new Error(`${source}: format is ${describeArg(format)}, expected ${JSON.stringify(MODEL_FORMAT)}; this is not a saved model`);
  if (version !== MODEL_FORMAT_VERSION) {
    const newer = typeof version === "number" && version > MODEL_FORMAT_VERSION ? " (written by a newer version of recurrent)" : "";
    throw new Error(`${source}: version is ${describeArg(version)}${newer}; this code reads version ${MODEL_FORMAT_VERSION}`);
  }
  if (typeof className !== "string" || className === "") throw new Error(`${source}: className must be a non-empty string, got ${describeArg(className)}`);
  if (typeof config !== "object" || config === null || Array.isArray(config)) throw new Error(`${source}: config must be an object, got ${describeArg(config)}`);
  return { className, config: { ...config } };
}
