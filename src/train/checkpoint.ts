/**
 * Training checkpoints on a file system: `writeCheckpoint` and `readCheckpoint` over a folder,
 * on top of the format in checkpoint-format.ts (which also holds the RunStore reader and writer
 * and needs no Node module). Everything of the format is re-exported here.
 */
import { dirname, join } from "node:path";
import { writeFileAtomicSync, readFileChecked } from "../io/atomic.js";
import { decodeCheckpoint, encodeCheckpoint, type CheckpointInput, type LoadedCheckpoint } from "./checkpoint-format.js";

export * from "./checkpoint-format.js";

/** Paths of the checkpoint `<dir>/<stem>.json` and its weights. */
export function checkpointPaths(dir: string, stem: string): { meta: string; weights: string } {
  return { meta: join(dir, `${stem}.json`), weights: join(dir, `${stem}.safetensors`) };
}

/** Writes `<dir>/<stem>.safetensors`, then `<dir>/<stem>.json`, each atomically. Returns the metadata path. */
export function writeCheckpoint(dir: string, stem: string, input: CheckpointInput): string {
  const encoded = encodeCheckpoint(stem, input);
  const paths = checkpointPaths(dir, stem);
  writeFileAtomicSync(paths.weights, encoded.weights);
  writeFileAtomicSync(paths.meta, encoded.meta);
  return paths.meta;
}

/**
 * Reads the checkpoint whose metadata is at `metaPath`, checks the metadata field by field,
 * checks that the weights file is the one the metadata describes (length, then SHA-256), and
 * parses it. Every failure is one line naming the file.
 */
export function readCheckpoint(metaPath: string): LoadedCheckpoint {
  const metaBytes = readFileChecked(metaPath, "checkpoint metadata");
  return decodeCheckpoint(metaBytes, (file) => {
    const weightsPath = join(dirname(metaPath), file);
    return { bytes: readFileChecked(weightsPath, "checkpoint weights"), location: weightsPath };
  }, metaPath);
}
