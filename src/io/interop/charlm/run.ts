/**
 * Char-LM run folders in and out of the interop formats (Node only):
 *
 * - `exportCharLMRun(runDir, format, out)` writes the run's model (final checkpoint, else the
 *   latest) as PyTorch files (a folder: model.safetensors, model.py, train_ddp.py), ONNX (one
 *   file) or TF.js Layers (a folder: model.json, weights), each with the `charlm.json` sidecar
 *   (vocabulary and config; see sidecar.ts);
 * - `importCharLMRun(path, options)` reads such a model (or any PyTorch/ONNX/TF.js model of the
 *   char LM's shape, see portable.ts) into a new run folder that `generate` and
 *   `train --resume` take as a native one: config.json, vocab.json and a final checkpoint at
 *   epoch 0 holding the imported weights with a fresh optimiser, so a resume trains epochs
 *   1..numEpochs on from them.
 *
 * The vocabulary comes from `vocabPath` (a run's vocab.json), else the sidecar, else it is built
 * from the text. The text comes from `textPath`, else the path the sidecar recorded; it must give
 * the same vocabulary (training reads its batches from it), so a mismatch is refused at import
 * rather than at the first resume.
 */
import { existsSync, mkdirSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { loadCorpus } from "../../../data/text/corpus.js";
import { Vocab } from "../../../data/text/vocab.js";
import { getBackend } from "../../../backends/registry.js";
import type { Module } from "../../../nn/module.js";
import { Adam } from "../../../optim/adam.js";
import { SGD } from "../../../optim/sgd.js";
import { CELL_LABELS, resolveCharLMConfigFrom, configToJson, type CellKind, type CharLMConfig } from "../../../tasks/charlm/config.js";
import { RunDir } from "../../../tasks/charlm/run-dir.js";
import { buildModel, loadCharLM, vocabDigest, writeRunConfig, writeRunVocab } from "../../../tasks/charlm/run-files.js";
import { Generator, globalGenerator, manualSeed } from "../../../tensor/random.js";
import { sha256Hex, writeCheckpoint } from "../../../train/checkpoint.js";
import { readFileChecked, writeFileAtomicSync } from "../../atomic.js";
import { parseJsonChecked } from "../../json.js";
import { exportOnnxToFile, importOnnxFromFile } from "../onnx/file.js";
import { exportPyTorchToDir, PYTORCH_MODEL_FILE, PYTORCH_WEIGHTS_FILE } from "../pytorch/node.js";
import { MAX_TORCH_FILE_BYTES } from "../pytorch/errors.js";
import { stateDictToModel } from "../pytorch/map.js";
import { readTorchStateDict } from "../pytorch/read.js";
import { exportTfjsToDir, importTfjsFile } from "../tfjs/node.js";
import { torchStyleModel } from "../tfjs/torch-style.js";
import { importKerasSequentialFile } from "../keras/node.js";
import { locateModel } from "../locate.js";
import { ddpScript, DDP_SCRIPT_FILE } from "./ddp-script.js";
import { charLMFromModule, portableCharLM, type CharLMArchitecture } from "./portable.js";
import { variantCharLMFromStateDict } from "./variant-dict.js";
import { CHARLM_SIDECAR_FILE, decodeCharLMSidecar, encodeCharLMSidecar, type CharLMSidecar } from "./sidecar.js";

/** The formats a char-LM run is exported to and imported from. */
export const RUN_FORMATS = ["pytorch", "onnx", "tfjs"] as const;
export type RunFormat = (typeof RUN_FORMATS)[number];
/** The formats a char-LM run is imported from: the export formats and Keras's `.keras` / `.h5` files (import only). */
export const IMPORT_FORMATS = [...RUN_FORMATS, "keras"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export { locateModel };

/** The sidecar's path for a model file: `x.charlm.json` for `x.onnx`, `charlm.json` in an export folder. */
export function sidecarPathFor(modelFile: string): string {
  return join(dirname(modelFile), `${basename(modelFile, extname(modelFile))}.${CHARLM_SIDECAR_FILE}`);
}

/**
 * Why a format cannot hold a run of a cell, for the cells it cannot: refused before anything is
 * written, with the format that can. (Peephole runs go to ONNX: its LSTM operator's input P
 * holds the peephole weights.)
 */
const UNEXPORTABLE: Readonly<Record<Exclude<RunFormat, "pytorch">, Partial<Record<CellKind, string>>>> = {
  onnx: {
    layernorm_lstm: "ONNX has no recurrent operator with layer normalisation",
  },
  tfjs: {
    peephole_lstm: "TF.js Layers has no peephole LSTM layer",
    layernorm_lstm: "TF.js Layers has no layer-normalised LSTM layer",
  },
};

/**
 * Exports the run in `runDir`; `out` is a folder for "pytorch" and "tfjs" (created if missing)
 * and the .onnx file for "onnx". Returns the paths written. Files are replaced atomically one by
 * one, the sidecar after the weights.
 */
export function exportCharLMRun(runDir: string, format: RunFormat, out: string, warn?: (message: string) => void): string[] {
  const loaded = loadCharLM(runDir);
  const cell = loaded.config.cell;
  const why = format === "pytorch" ? undefined : UNEXPORTABLE[format][cell];
  if (why !== undefined) {
    throw new Error(`export --format ${format}: the run ${runDir} is a ${CELL_LABELS[cell]} char LM (cell ${cell}); ${why}. Export it with --format pytorch (model.py defines the cell)`);
  }
  const sidecar = encodeCharLMSidecar(loaded.config, loaded.vocab);
  if (format === "onnx") {
    mkdirSync(dirname(resolve(out)), { recursive: true });
    exportOnnxToFile(portableCharLM(loaded.model, "sequential"), out);
    const side = sidecarPathFor(out);
    writeFileAtomicSync(side, sidecar);
    return [out, side];
  }
  if (format === "tfjs") {
    const written = exportTfjsToDir(portableCharLM(loaded.model, "sequential"), out, warn);
    const side = join(out, CHARLM_SIDECAR_FILE);
    writeFileAtomicSync(side, sidecar);
    return [...written, side];
  }
  exportPyTorchToDir(portableCharLM(loaded.model, "pytorch"), out);
  const side = join(out, CHARLM_SIDECAR_FILE);
  writeFileAtomicSync(side, sidecar);
  const script = join(out, DDP_SCRIPT_FILE);
  writeFileAtomicSync(script, ddpScript());
  return [join(out, PYTORCH_WEIGHTS_FILE), join(out, PYTORCH_MODEL_FILE), side, script];
}

/** Options of importCharLMRun. */
export interface ImportCharLMRunOptions {
  /** The new run folder (must not hold files). Required. */
  out: string;
  /** The file's format; default: from the path (see locateModel). */
  format?: ImportFormat;
  /** The training text; default: the sidecar's textPath when that file exists. */
  textPath?: string;
  /** A vocab.json (Vocab.toJSON) giving the token of each logit; default: the sidecar's, else built from the text. */
  vocabPath?: string;
  /** Training settings by config field (batchSize, lr, numEpochs, ...) over the sidecar's; model fields come from the weights. */
  settings?: Record<string, unknown>;
}

/** What importCharLMRun did. */
export interface ImportedCharLMRun {
  runDir: string;
  modelFile: string;
  format: ImportFormat;
  architecture: CharLMArchitecture;
  config: CharLMConfig;
  /** Where the vocabulary came from: the vocabPath, the sidecar's path, or "text". */
  vocabFrom: string;
  /** The checkpoint written (final.json). */
  checkpoint: string;
}

function readSidecar(modelFile: string): { sidecar: CharLMSidecar; path: string } | null {
  for (const p of [sidecarPathFor(modelFile), join(dirname(modelFile), CHARLM_SIDECAR_FILE)]) {
    if (existsSync(p)) return { sidecar: decodeCharLMSidecar(readFileChecked(p, "char LM sidecar", { maxBytes: 2 ** 28 }), `char LM sidecar ${p}`), path: p };
  }
  return null;
}

function readModule(file: string, format: ImportFormat): Module {
  if (format === "keras") return torchStyleModel(importKerasSequentialFile(file), file);
  // TF.js files hold Keras layers; the char LM is made of the PyTorch-style ones.
  if (format === "tfjs") return torchStyleModel(importTfjsFile(file), file);
  if (format === "onnx") return importOnnxFromFile(file);
  // One read: the LSTM variants' state dicts are mapped here, any other by the generic importer.
  const dict = readTorchStateDict(readFileChecked(file, "PyTorch state dict", { maxBytes: MAX_TORCH_FILE_BYTES }), { source: file });
  return variantCharLMFromStateDict(dict, `pytorch model ${file}`) ?? stateDictToModel(dict, { source: file });
}

/** Model fields of the config, fixed by the weights. */
const MODEL_FIELDS = ["cell", "hiddenSize", "numLayers", "bidirectional", "embedSize"] as const;

/** Reads the model at `path` into a new run folder (see this file's comment). */
export function importCharLMRun(path: string, options: ImportCharLMRunOptions): ImportedCharLMRun {
  const { file, format } = locateModel(path, options.format);
  const { model, architecture } = charLMFromModule(readModule(file, format), `${format} model ${file}`);
  const side = readSidecar(file);
  for (const f of MODEL_FIELDS) {
    if (options.settings?.[f] !== undefined) throw new Error(`importCharLMRun: ${f} comes from the model's weights and cannot be set`);
  }

  const textPath = options.textPath ?? (side !== null && existsSync(side.sidecar.config.textPath) ? side.sidecar.config.textPath : undefined);
  if (textPath === undefined) {
    const recorded = side === null ? "" : ` (the sidecar names ${side.sidecar.config.textPath}, which is not there)`;
    throw new Error(`importing ${file}: which text was the model trained on? Pass it with --text${recorded}; training and the vocabulary read it`);
  }
  const text = new TextDecoder("utf-8").decode(readFileChecked(textPath, "text file"));
  const base: Record<string, unknown> = side !== null ? { ...configToJson(side.sidecar.config) } : {};
  const settings = options.settings ?? {};
  // A new optimiser without a learning rate takes its own default, not the old optimiser's rate.
  if (settings["optimizer"] !== undefined && settings["lr"] === undefined) delete base["lr"];
  const config = resolveCharLMConfigFrom({
    ...base,
    ...settings,
    ...Object.fromEntries(MODEL_FIELDS.map((f) => [f, architecture[f]])),
    textPath: resolve(textPath),
    textSha256: sha256Hex(new TextEncoder().encode(text)),
  });

  const fromText = loadCorpus(text, { token: "char", maxTokens: config.maxTokens }).vocab;
  let vocab = fromText;
  let vocabFrom = "text";
  if (options.vocabPath !== undefined) {
    vocab = vocabFromFile(options.vocabPath);
    vocabFrom = options.vocabPath;
  } else if (side !== null) {
    vocab = side.sidecar.vocab;
    vocabFrom = side.path;
  }
  if (vocab.length !== architecture.vocabSize) {
    throw new Error(`importing ${file}: the model scores ${architecture.vocabSize} tokens but the vocabulary (from ${vocabFrom}) has ${vocab.length}`);
  }
  if (JSON.stringify(vocab.idxToToken) !== JSON.stringify(fromText.idxToToken)) {
    throw new Error(
      `importing ${file}: the vocabulary (from ${vocabFrom}) is not the one the text ${textPath} gives with maxTokens ${config.maxTokens}; ` +
        "pass the text the model was trained on with --text",
    );
  }

  const dir = RunDir.create(options.out);
  writeRunConfig(dir, config);
  writeRunVocab(dir, vocab);
  // The draws of a new run, so a resume of the imported run continues as a native run would.
  manualSeed(config.seed);
  const target = buildModel(config, vocab.length);
  target.loadStateDict(model.stateDict());
  const params = target.parameters();
  const optimizer = config.optimizer === "adam" ? new Adam(params, { lr: config.lr }) : new SGD(params, { lr: config.lr });
  const checkpoint = writeCheckpoint(dir.path, "final", {
    epoch: 0,
    config: { ...configToJson(config), vocabSha256: vocabDigest(vocab) },
    params: target.stateDict(),
    optimizer: optimizer.stateDict(),
    rng: { global: globalGenerator.getState(), sampler: new Generator((config.seed + 1) >>> 0).getState() },
    metrics: [],
    backend: getBackend().name,
  });
  return { runDir: dir.path, modelFile: file, format, architecture, config, vocabFrom, checkpoint };
}

function vocabFromFile(path: string): Vocab {
  const json = parseJsonChecked(readFileChecked(path, "vocabulary", { maxBytes: 2 ** 28 }), `vocabulary ${path}`);
  try {
    return Vocab.fromJSON(json);
  } catch (err) {
    throw new Error(`vocabulary ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
