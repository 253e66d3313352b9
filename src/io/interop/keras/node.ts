/** Keras model files on disk (Node only): the size is checked before the file is read. */
import type { Sequential } from "../../../models/sequential.js";
import { readFileChecked } from "../../atomic.js";
import { MAX_KERAS_FILE_BYTES } from "./errors.js";
import { importKeras, type ReadKerasOptions } from "./read.js";

/** `importKeras` of a `.keras` or `.h5` file, refusing one over `options.maxBytes` (default 512 MiB) before reading it. Errors name the path. */
export function importKerasFile(path: string, options: ReadKerasOptions = {}): Sequential {
  const bytes = readFileChecked(path, "Keras model file", { maxBytes: Math.min(options.maxBytes ?? MAX_KERAS_FILE_BYTES, MAX_KERAS_FILE_BYTES) });
  return importKeras(bytes, { ...options, source: options.source ?? path });
}
