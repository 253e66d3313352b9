/**
 * The PyTorch interop's file-system helpers (Node only; the browser passes bytes to
 * `importPyTorch` / `exportPyTorch`).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Module } from "../../../nn/module.js";
import { readFileChecked, writeFileAtomicSync } from "../../atomic.js";
import { MAX_TORCH_FILE_BYTES } from "./errors.js";
import { exportPyTorch } from "./export.js";
import { importPyTorch, type ImportPyTorchOptions } from "./map.js";

/** File names `exportPyTorchToDir` writes. */
export const PYTORCH_WEIGHTS_FILE = "model.safetensors";
export const PYTORCH_MODEL_FILE = "model.py";

/**
 * Writes `exportPyTorch(model)` to the folder `dir` (created if missing) as `model.safetensors`
 * and `model.py`, each replaced atomically; nothing is written when the model cannot be exported.
 */
export function exportPyTorchToDir(model: Module, dir: string): void {
  if (typeof dir !== "string" || dir === "") throw new Error(`exportPyTorchToDir: dir must be a folder path, got ${JSON.stringify(dir) ?? String(dir)}`);
  const files = exportPyTorch(model);
  mkdirSync(dir, { recursive: true });
  writeFileAtomicSync(join(dir, PYTORCH_WEIGHTS_FILE), files.weights);
  writeFileAtomicSync(join(dir, PYTORCH_MODEL_FILE), files.modelPy);
}

/**
 * `importPyTorch` of a file (`.pt`/`.pth` from torch.save, or `.safetensors`), refusing one over
 * `options.maxBytes` (default 1 GiB) before reading it. Errors name the path.
 */
export function importPyTorchFile(path: string, options: ImportPyTorchOptions = {}): Module {
  const bytes = readFileChecked(path, "PyTorch state dict", { maxBytes: options.maxBytes ?? MAX_TORCH_FILE_BYTES });
  return importPyTorch(bytes, { ...options, source: options.source ?? path });
}
