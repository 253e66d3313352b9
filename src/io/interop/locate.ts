/**
 * Where a model is on disk, and in which format: shared by `importModelFile` and the char-LM
 * import (`recurrent import`).
 */
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import type { ImportModelFormat } from "./dispatch.js";
import { looksLikeHdf5, looksLikeKerasArchive } from "./keras/read.js";
import { PYTORCH_WEIGHTS_FILE } from "./pytorch/node.js";
import { TFJS_MODEL_FILE } from "./tfjs/node.js";

/**
 * The model file and format for `path`: a folder holding model.safetensors (PyTorch), model.json
 * (TF.js) or exactly one .onnx / .pt / .pth file; a file by its extension (.onnx; .json;
 * .safetensors, .pt, .pth, .bin; .keras, .h5);
 * else by its first bytes (a .keras ZIP or an HDF5 file is Keras, another ZIP or a safetensors
 * file PyTorch, anything else ONNX).
 */
export function locateModel(path: string, format?: ImportModelFormat): { file: string; format: ImportModelFormat } {
  if (!existsSync(path)) throw new Error(`${path} does not exist`);
  let file = path;
  if (statSync(path).isDirectory()) {
    const names = readdirSync(path);
    const found = names.includes(PYTORCH_WEIGHTS_FILE) ? [PYTORCH_WEIGHTS_FILE] : names.includes(TFJS_MODEL_FILE) ? [TFJS_MODEL_FILE] : names.filter((n) => /\.(onnx|pt|pth)$/i.test(n));
    if (found.length !== 1) {
      throw new Error(`${path} is a folder; it must hold ${PYTORCH_WEIGHTS_FILE}, ${TFJS_MODEL_FILE} or exactly one .onnx, .pt or .pth file, ${found.length === 0 ? "and holds none" : `and holds ${found.join(", ")}: name the file`}`);
    }
    file = join(path, found[0]!);
  }
  if (format !== undefined) return { file, format };
  const ext = extname(file).toLowerCase();
  if (ext === ".onnx") return { file, format: "onnx" };
  if (ext === ".json") return { file, format: "tfjs" };
  if ([".safetensors", ".pt", ".pth", ".bin"].includes(ext)) return { file, format: "pytorch" };
  if (ext === ".keras" || ext === ".h5") return { file, format: "keras" };
  const head = firstBytes(file, 64);
  if (looksLikeKerasArchive(head) || looksLikeHdf5(head)) return { file, format: "keras" };
  const zip = head[0] === 0x50 && head[1] === 0x4b;
  const safetensors = head.length >= 9 && head[8] === 0x7b && head[6] === 0 && head[7] === 0;
  return { file, format: zip || safetensors ? "pytorch" : "onnx" };
}

/** Up to `n` bytes from the start of `file`, without reading the rest. */
function firstBytes(file: string, n: number): Uint8Array {
  const fd = openSync(file, "r");
  try {
    const buf = new Uint8Array(n);
    return buf.subarray(0, readSync(fd, buf, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}
