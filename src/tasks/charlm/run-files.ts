/**
 * Reading and writing the char-LM parts of a run folder (config.json, vocab.json) and building
 * a model from a checkpoint, for training (resume) and for generation.
 */
import { parseJsonChecked } from "../../io/json.js";
import { dirname, basename } from "node:path";
import { existsSync, statSync } from "node:fs";
import { readFileChecked, writeFileAtomicSync } from "../../io/atomic.js";
import { Vocab } from "../../data/text/vocab.js";
import { readCheckpoint, type LoadedCheckpoint } from "../../train/checkpoint.js";
import { buildModel, charLMParameterCount, checkVocabulary, loadWeights } from "./weights.js";
import { RunDir } from "./run-dir.js";
import { configToJson, parseCharLMConfig, type CharLMConfig } from "./config.js";

export { vocabDigest, checkVocabulary, buildModel, charLMParameterCount, loadWeights } from "./weights.js";
import type { RNNLM } from "./model.js";

function readJson(path: string, what: string): unknown {
  const bytes = readFileChecked(path, what);
  try {
    return parseJsonChecked(bytes, `${what} ${path}`);
  } catch {
    throw new Error(`${what} ${path} is not valid JSON (truncated or corrupt file)`);
  }
}

export function writeRunConfig(dir: RunDir, config: CharLMConfig): void {
  writeFileAtomicSync(dir.configPath, `${JSON.stringify(configToJson(config), null, 2)}\n`);
}

export function readRunConfig(dir: RunDir): CharLMConfig {
  return parseCharLMConfig(readJson(dir.configPath, "run config"), `run config ${dir.configPath}`);
}

export function writeRunVocab(dir: RunDir, vocab: Vocab): void {
  writeFileAtomicSync(dir.vocabPath, `${JSON.stringify(vocab.toJSON())}\n`);
}

export function readRunVocab(dir: RunDir): Vocab {
  const json = readJson(dir.vocabPath, "vocabulary");
  try {
    return Vocab.fromJSON(json);
  } catch (err) {
    throw new Error(`vocabulary ${dir.vocabPath}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** A trained model ready to generate, with what it was trained on. */
export interface LoadedCharLM {
  model: RNNLM;
  vocab: Vocab;
  config: CharLMConfig;
  checkpoint: LoadedCheckpoint;
  /** The run folder. */
  runDir: RunDir;
  /** True when the run had no final checkpoint and the latest periodic one was used. */
  unfinished: boolean;
}

/**
 * Loads a model for generation from a run folder (its final checkpoint, else its latest periodic
 * one) or from one checkpoint's metadata file inside a run folder (final.json or
 * checkpoints/epoch-XXXX.json).
 */
export function loadCharLM(path: string): LoadedCharLM {
  if (!existsSync(path)) throw new Error(`checkpoint ${path} does not exist`);
  let runPath: string;
  let metaPath: string;
  if (statSync(path).isDirectory()) {
    runPath = path;
    const dir = RunDir.open(runPath);
    const latest = existsSync(dir.finalPath) ? { path: dir.finalPath } : dir.latest();
    if (latest === null) throw new Error(`run folder ${path} has no checkpoint yet`);
    metaPath = latest.path;
  } else {
    if (!path.endsWith(".json")) throw new Error(`checkpoint ${path} must be a run folder or a checkpoint's .json metadata file`);
    metaPath = path;
    const parent = dirname(path);
    runPath = basename(parent) === "checkpoints" ? dirname(parent) : parent;
  }
  const runDir = RunDir.open(runPath);
  const vocab = readRunVocab(runDir);
  const checkpoint = readCheckpoint(metaPath);
  const config = parseCharLMConfig(checkpoint.meta.config, `checkpoint ${metaPath}: config`);
  checkVocabulary(vocab, checkpoint, runDir.vocabPath);
  const stored = Object.values(checkpoint.params).reduce((n, t) => n + t.data.length, 0);
  const expected = charLMParameterCount(config, vocab.length);
  if (stored !== expected) {
    throw new Error(`checkpoint ${metaPath}: its config describes a model of ${expected} parameters, but its weights hold ${stored} values (the config or the vocabulary was edited)`);
  }
  const model = buildModel(config, vocab.length);
  loadWeights(model, checkpoint);
  model.eval();
  return { model, vocab, config, checkpoint, runDir, unfinished: basename(metaPath) !== "final.json" };
}
