/** TF.js Layers models on disk (Node only): model.json with its shards beside it, read with size checks, written atomically. */
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Module } from "../../../nn/module.js";
import type { Sequential } from "../../../models/sequential.js";
import { readFileChecked, writeFileAtomicSync } from "../../atomic.js";
import { MAX_TFJS_JSON_BYTES, readTfjsLayersModel, writeTfjsLayersModel } from "./format.js";
import { tfjsToModel } from "./map.js";
import { modelToTfjs } from "./write.js";

/** The model.json file name an export folder holds. */
export const TFJS_MODEL_FILE = "model.json";

/**
 * Reads `modelJsonPath` and the shards its manifest names (plain file names beside it; each
 * refused before it is read when it is larger than what the remaining weights need) into the
 * library's Sequential (see tfjs/map.ts).
 */
export function importTfjsFile(modelJsonPath: string): Sequential {
  const bytes = readFileChecked(modelJsonPath, "TF.js model.json", { maxBytes: MAX_TFJS_JSON_BYTES });
  const desc = readTfjsLayersModel(bytes, (p, expected) => readFileChecked(join(dirname(modelJsonPath), p), "TF.js weight shard", { maxBytes: expected }), { source: modelJsonPath });
  return tfjsToModel(desc, modelJsonPath);
}

/**
 * Writes `model` as dir/model.json and dir/group1-shard1of1.bin (weights first); returns both
 * paths. `warn` hears, per layer, why TF.js itself will not load the files (a GRU with resetAfter).
 */
export function exportTfjsToDir(model: Module, dir: string, warn?: (message: string) => void): string[] {
  const files = writeTfjsLayersModel(modelToTfjs(model));
  mkdirSync(dir, { recursive: true });
  const weights = join(dir, files.weightsPath);
  const json = join(dir, TFJS_MODEL_FILE);
  writeFileAtomicSync(weights, files.weights);
  writeFileAtomicSync(json, files.modelJson);
  if (warn !== undefined) for (const why of files.tfjsRefuses) warn(`TF.js's loadLayersModel will not load ${json}: ${why}`);
  return [json, weights];
}
