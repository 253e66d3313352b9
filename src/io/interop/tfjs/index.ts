// TF.js Layers interop, browser-safe: model.json + weight shards to and from a neutral layer
// description (format.ts) and the library's layers (map.ts).
export { readTfjsLayersModel, writeTfjsLayersModel, TfjsFormatError, MAX_TFJS_JSON_BYTES, MAX_TFJS_WEIGHT_BYTES, MAX_TFJS_WEIGHTS, MAX_TFJS_LAYERS, TFJS_WEIGHTS_FILE, type TfjsModelDescription, type TfjsLayer, type TfjsWeight, type TfjsFiles, type ReadTfjsOptions } from "./format.js";
export { tfjsToModel } from "./map.js";
export { modelToTfjs } from "./write.js";
export { torchStyleModel, kerasLayersOf } from "./torch-style.js";
