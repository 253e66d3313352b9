/** ONNX files on disk (Node only): atomic writes and size-checked reads. */
import type { Module } from "../../../nn/module.js";
import { readFileChecked, writeFileAtomicSync } from "../../atomic.js";
import { exportOnnx, type OnnxExportOptions } from "./export.js";
import { importOnnx, type OnnxImportOptions } from "./import.js";
import { ONNX_MAX_BYTES } from "./proto.js";

/**
 * Exports `model` (see exportOnnx) and writes it to `path` atomically: a reader never sees a
 * half-written file, and a failed export leaves any old file in place.
 */
export function exportOnnxToFile(model: Module, path: string, options: OnnxExportOptions = {}): void {
  writeFileAtomicSync(path, exportOnnx(model, options));
}

/**
 * Reads an ONNX file and imports it (see importOnnx). A file over `maxBytes` (default
 * ONNX_MAX_BYTES, 2 GiB) is refused before it is read.
 */
export function importOnnxFromFile(path: string, options: OnnxImportOptions = {}): Module {
  const maxBytes = options.maxBytes ?? ONNX_MAX_BYTES;
  return importOnnx(readFileChecked(path, "ONNX model", { maxBytes }), { maxBytes });
}
