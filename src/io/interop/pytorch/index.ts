// PyTorch interop, browser-safe: reading state dicts (torch.save ZIP files, safetensors),
// mapping them onto models, and exporting models with a generated model.py.
export { PyTorchFormatError, MAX_TORCH_FILE_BYTES, MAX_ZIP_ENTRIES, MAX_PICKLE_DEPTH, MAX_PICKLE_STACK, MAX_PICKLE_MEMO } from "./errors.js";
export { readTorchStateDict, ALLOCATION_RATIO, type TorchStateDict, type ReadStateDictOptions } from "./read.js";
export { TorchTensor, type TorchDType } from "./tensor.js";
export { importPyTorch, stateDictToModel, type ImportPyTorchOptions, type PerModule } from "./map.js";
export { TorchModel, type TorchModelParts } from "./torch-model.js";
export { exportPyTorch, type PyTorchExport } from "./export.js";
