// Keras `.keras` and `.h5` model files in, browser-safe (bytes in; node.ts reads paths).
export { readKerasModel, importKeras, looksLikeHdf5, looksLikeKerasArchive, type ReadKerasOptions, type KerasModelDescription } from "./read.js";
export { KerasFormatError, MAX_KERAS_FILE_BYTES } from "./errors.js";
export { KerasChainWithStates } from "./states.js";
