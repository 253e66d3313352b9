/**
 * Saving and loading models in a folder (Node only; the browser uses `serializeModel` /
 * `deserializeModel`). What PyTorch users know as `model.save(path)` is `saveModel(model, path)`:
 *
 *   saveModel(model, "runs/lm");          // runs/lm/model.json + runs/lm/model.safetensors
 *   const again = loadModel("runs/lm");    // same class, config and weights
 *
 * A class of your own must be registered (`registerLayer("MyModel", MyModel)`) in the process
 * that loads it, as in the one that saved it.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Module } from "../nn/module.js";
import { readFileChecked, writeFileAtomicSync } from "../io/atomic.js";
import { deserializeModel, serializeModel } from "./save.js";

/** File name of the config JSON inside a saved model's folder. */
export const MODEL_CONFIG_FILE = "model.json";
/** File name of the weights inside a saved model's folder. */
export const MODEL_WEIGHTS_FILE = "model.safetensors";

/**
 * Writes `model` to the folder `dir` (created if missing) as `model.json` and
 * `model.safetensors`, each replaced atomically, so a crash never leaves a half-written file.
 * The weights are written first and the config last. Nothing is written if the model cannot be
 * described (an unregistered class, a config that is not JSON).
 */
export function saveModel(model: Module, dir: string): void {
  if (typeof dir !== "string" || dir === "") throw new Error(`saveModel: dir must be a folder path, got ${JSON.stringify(dir) ?? String(dir)}`);
  const files = serializeModel(model);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new Error(`saveModel: cannot create the folder ${dir}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  writeFileAtomicSync(join(dir, MODEL_WEIGHTS_FILE), files.weights);
  writeFileAtomicSync(join(dir, MODEL_CONFIG_FILE), files.config);
}

/**
 * Reads a model saved by `saveModel` from the folder `dir`: rebuilds its class from
 * `model.json` through the layer registry and loads `model.safetensors` into it, checking every
 * parameter's name and shape. A missing or corrupt file is an error naming the file.
 */
export function loadModel(dir: string): Module {
  if (typeof dir !== "string" || dir === "") throw new Error(`loadModel: dir must be a folder path, got ${JSON.stringify(dir) ?? String(dir)}`);
  const configPath = join(dir, MODEL_CONFIG_FILE);
  const weightsPath = join(dir, MODEL_WEIGHTS_FILE);
  const configBytes = readFileChecked(configPath, "model config");
  const weights = readFileChecked(weightsPath, "model weights");
  let config: string;
  try {
    config = new TextDecoder("utf-8", { fatal: true }).decode(configBytes);
  } catch (e) {
    throw new Error(`${configPath}: not UTF-8 text; the file is corrupt or not a saved model`, { cause: e });
  }
  try {
    return deserializeModel({ config, weights }, { config: configPath, weights: weightsPath });
  } catch (e) {
    throw new Error(`loadModel(${dir}): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}
