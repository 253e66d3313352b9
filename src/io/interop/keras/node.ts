/** Keras model files on disk (Node only): the size is checked before the file is read. */
import type { Sequential } from "../../../models/sequential.js";
import { KerasChainWithStates } from "./states.js";
import { readFileChecked } from "../../atomic.js";
import { KerasFormatError, MAX_KERAS_FILE_BYTES } from "./errors.js";
import { importKeras, type ReadKerasOptions } from "./read.js";

/** `importKeras` of a `.keras` or `.h5` file, refusing one over `options.maxBytes` (default 512 MiB) before reading it. Errors name the path. */
export function importKerasFile(path: string, options: ReadKerasOptions = {}): Sequential | KerasChainWithStates {
  const bytes = readFileChecked(path, "Keras model file", { maxBytes: Math.min(options.maxBytes ?? MAX_KERAS_FILE_BYTES, MAX_KERAS_FILE_BYTES) });
  return importKeras(bytes, { ...options, source: options.source ?? path });
}

/** `importKerasFile` for callers that need one output (a char LM run): a model that also returns its states is refused, naming the file. */
export function importKerasSequentialFile(path: string): Sequential {
  const model = importKerasFile(path);
  if (model instanceof KerasChainWithStates) throw new KerasFormatError(`${path}: the model returns its last layer's states (return_state); one output is needed here`);
  return model;
}
