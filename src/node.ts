// The Node entry point ("recurrent/node"): everything in the main entry plus the parts that use
// the file system (atomic writes, checkpoints, run folders, char-LM training runs). The main entry
// stays free of node: imports so that bundlers can ship it to browsers.
export * from "./index.js";
export { writeFileAtomic, writeFileAtomicSync, readFileChecked } from "./io/atomic.js";
export * from "./train/index.js";
export * from "./tasks/charlm/index.js";
export { saveModel, loadModel, MODEL_CONFIG_FILE, MODEL_WEIGHTS_FILE } from "./models/save-node.js";
export { DEFAULT_MAX_READ_BYTES, type ReadOptions } from "./io/atomic.js";
export { readJsonChecked } from "./io/read-json.js";
export { createResvgRasterizer, useResvgForPng } from "./viz/resvg.js";
// In Node, PNG plots come from resvg when its optional package is installed (the bitmap renderer otherwise).
import { useResvgForPng as registerResvg } from "./viz/resvg.js";
registerResvg();
export { exportOnnxToFile, importOnnxFromFile } from "./io/interop/onnx/file.js";
export { exportPyTorchToDir, importPyTorchFile, PYTORCH_WEIGHTS_FILE, PYTORCH_MODEL_FILE } from "./io/interop/pytorch/node.js";
export { importTfjsFile, exportTfjsToDir, TFJS_MODEL_FILE } from "./io/interop/tfjs/node.js";
export { exportCharLMRun, importCharLMRun, locateModel, RUN_FORMATS, type RunFormat, type ImportCharLMRunOptions, type ImportedCharLMRun } from "./io/interop/charlm/run.js";
export * from "./tasks/forecast/index.js";
export { CHARLM_TASK } from "./tasks/charlm/task.js";
export * from "./tasks/memory/index.js";
export { readIdxFile, IDX_MAX_BYTES } from "./data/idx/read-node.js";
export * from "./tasks/seqmnist/index.js";
export * from "./tasks/highway/index.js";
export * from "./tasks/sentiment/index.js";
export { runInspect, INSPECT_DEFAULT_TOP, INSPECT_MAX_TOP, INSPECT_JSON_VERSION } from "./cli/inspect-command.js";
export * from "./tasks/seq2seq/index.js";
export { importKerasFile } from "./io/interop/keras/node.js";
export { importModelFile, type ImportModelFileOptions } from "./io/interop/node-import.js";
