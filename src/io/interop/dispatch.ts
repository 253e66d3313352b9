/**
 * One entry point per direction for every interop format: `importModel(bytes)` tells the format
 * from the file's first bytes where it can (a ZIP is a `torch.save` file, an 8-byte length
 * followed by `{` is safetensors, a JSON object is a TF.js model.json, whose weight shards come
 * in the `shards` option, a ZIP starting with a `.keras` archive's files or an HDF5 file is
 * Keras's, read only) and otherwise takes ONNX, the one protobuf format read here;
 * `exportModel(model, format)` writes one.
 */
import type { Module } from "../../nn/module.js";
import { describeArg } from "../../nn/options.js";
import { exportOnnx, type OnnxExportOptions } from "./onnx/export.js";
import { importOnnx } from "./onnx/import.js";
import { exportPyTorch, type PyTorchExport } from "./pytorch/export.js";
import { importPyTorch, type ImportPyTorchOptions } from "./pytorch/map.js";
import { readTfjsLayersModel, writeTfjsLayersModel, TfjsFormatError, type TfjsFiles } from "./tfjs/format.js";
import { tfjsToModel } from "./tfjs/map.js";
import { modelToTfjs } from "./tfjs/write.js";
import { importKeras, looksLikeHdf5, looksLikeKerasArchive } from "./keras/read.js";

/** The formats `importModel` and `exportModel` know. */
export const MODEL_FORMATS = ["pytorch", "onnx", "tfjs"] as const;
export type ModelFormat = (typeof MODEL_FORMATS)[number];
/** The formats `importModel` reads: MODEL_FORMATS and Keras's `.keras` / `.h5` files (read only). */
export const IMPORT_MODEL_FORMATS = [...MODEL_FORMATS, "keras"] as const;
export type ImportModelFormat = (typeof IMPORT_MODEL_FORMATS)[number];

/** The format of a model file, from its first bytes: "keras" for a `.keras` ZIP or an HDF5 `.h5` file, "pytorch" for another ZIP (torch.save) or a safetensors file, "tfjs" for a JSON object (model.json), else "onnx". */
export function detectModelFormat(bytes: Uint8Array): ImportModelFormat {
  // JSON may start with whitespace; an ONNX file starts with a field tag, never with these.
  let k = 0;
  while (k < bytes.length && k < 64 && (bytes[k] === 0x20 || bytes[k] === 0x0a || bytes[k] === 0x0d || bytes[k] === 0x09)) k++;
  if (bytes[k] === 0x7b) return "tfjs";
  // Keras: a .keras ZIP (its first entry is metadata.json, config.json or model.weights.h5) or an HDF5 .h5 file.
  if (looksLikeKerasArchive(bytes) || looksLikeHdf5(bytes)) return "keras";
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return "pytorch";
  // safetensors: little-endian u64 header length, then the JSON header.
  if (bytes.length >= 9 && bytes[8] === 0x7b && bytes[5] === 0 && bytes[6] === 0 && bytes[7] === 0) return "pytorch";
  return "onnx";
}

export interface ImportModelOptions extends ImportPyTorchOptions {
  /** The file's format; default: detected from its first bytes (see detectModelFormat). */
  format?: ImportModelFormat;
  /** For a TF.js model.json: its weight shards by the file names its manifest gives. Default none. */
  shards?: Readonly<Record<string, Uint8Array>>;
}

/** Reads a model file of any supported format into a model of this library (a TF.js file: a Sequential of Keras-style layers, see tfjs/map.ts). */
export function importModel(bytes: Uint8Array, options: ImportModelOptions = {}): Module {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`importModel: bytes must be a Uint8Array, got ${describeArg(bytes)}`);
  const { format, shards, ...rest } = options;
  if (format !== undefined && !IMPORT_MODEL_FORMATS.includes(format)) {
    throw new Error(`importModel: option format must be one of ${IMPORT_MODEL_FORMATS.map((f) => `"${f}"`).join(", ")}, got ${describeArg(format)}`);
  }
  const chosen = format ?? detectModelFormat(bytes);
  if (chosen === "tfjs") {
    const readShard = (path: string): Uint8Array => {
      const found = shards !== undefined && Object.prototype.hasOwnProperty.call(shards, path) ? shards[path] : undefined;
      if (found === undefined) throw new TfjsFormatError(`importModel: model.json names the weight shard ${JSON.stringify(path.slice(0, 60))}; pass it in options.shards`);
      return found;
    };
    return tfjsToModel(readTfjsLayersModel(bytes, readShard, rest.source !== undefined ? { source: rest.source } : {}), rest.source);
  }
  if (chosen === "keras") return importKeras(bytes, { ...(rest.source !== undefined ? { source: rest.source } : {}), ...(rest.maxBytes !== undefined ? { maxBytes: rest.maxBytes } : {}) });
  return chosen === "pytorch" ? importPyTorch(bytes, rest) : importOnnx(bytes, rest.maxBytes !== undefined ? { maxBytes: rest.maxBytes } : {});
}

/** What `exportModel` returns: ONNX bytes, PyTorch's safetensors weights with a generated model.py, or TF.js's model.json with its shard. */
export type ExportedModel = { format: "onnx"; bytes: Uint8Array } | ({ format: "pytorch" } & PyTorchExport) | ({ format: "tfjs" } & TfjsFiles);

/** Writes `model` in `format`; ONNX options pass through. */
export function exportModel(model: Module, format: ModelFormat, options: OnnxExportOptions = {}): ExportedModel {
  if (format === "onnx") return { format, bytes: exportOnnx(model, options) };
  if (format === "pytorch") return { format, ...exportPyTorch(model) };
  if (format === "tfjs") return { format, ...writeTfjsLayersModel(modelToTfjs(model)) };
  throw new Error(`exportModel: format must be one of ${MODEL_FORMATS.map((f) => `"${f}"`).join(", ")}, got ${describeArg(format)}`);
}
