/**
 * `importModelFile(path)`: `importModel` for a path in Node, for every format. The path may be a
 * file or an export folder; the format comes from `options.format`, the folder's contents, the
 * file's extension or its first bytes (see `locateModel`), and the file is read by its format's
 * own bounded reader (a TF.js model.json with the weight shards beside it).
 */
import type { Module } from "../../nn/module.js";
import { describeArg } from "../../nn/options.js";
import { locateModel } from "./locate.js";
import { IMPORT_MODEL_FORMATS, type ImportModelFormat } from "./dispatch.js";
import { importKerasFile } from "./keras/node.js";
import { importOnnxFromFile } from "./onnx/file.js";
import { importPyTorchFile } from "./pytorch/node.js";
import type { ImportPyTorchOptions } from "./pytorch/map.js";
import { importTfjsFile } from "./tfjs/node.js";

export interface ImportModelFileOptions extends ImportPyTorchOptions {
  /** The format; default: told from the path (see `locateModel`). */
  format?: ImportModelFormat;
}

/** Reads the model at `path` (a file, or a folder holding one model) into a model of this library. */
export function importModelFile(path: string, options: ImportModelFileOptions = {}): Module {
  if (typeof path !== "string" || path === "") throw new TypeError(`importModelFile: path must be a non-empty string, got ${describeArg(path)}`);
  const { format, ...rest } = options;
  if (format !== undefined && !IMPORT_MODEL_FORMATS.includes(format)) {
    throw new Error(`importModelFile: option format must be one of ${IMPORT_MODEL_FORMATS.map((f) => `"${f}"`).join(", ")}, got ${describeArg(format)}`);
  }
  let located: { file: string; format: ImportModelFormat };
  try {
    located = locateModel(path, format);
  } catch (e) {
    throw new Error(`importModelFile: ${e instanceof Error ? e.message : String(e)}`);
  }
  switch (located.format) {
    case "keras":
      return importKerasFile(located.file);
    case "tfjs":
      return importTfjsFile(located.file);
    case "onnx":
      return importOnnxFromFile(located.file);
    case "pytorch":
      return importPyTorchFile(located.file, rest);
  }
}
