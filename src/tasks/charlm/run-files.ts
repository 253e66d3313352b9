/**
 * Reading and writing the char-LM parts of a run folder (config.json, vocab.json) and building
 * a model from a checkpoint, for training (resume) and for generation.
 */
import { parseJsonChecked } from "../../io/json.js";
import { dirname, basename } from "node:path";
import { existsSync, statSync } from "node:fs";
import { readFileChecked, writeFileAtomicSync } from "../../io/atomic.js";
import { Vocab } from "../../data/text/vocab.js";
import { readCheckpoint, sha256Hex, type LoadedCheckpoint } from "../../train/checkpoint.js";
import { RunDir } from "./run-dir.js";
import { configToJson, parseCharLMConfig, type CharLMConfig } from "./config.js";
import { RNNLM } from "./model.js";

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

/** SHA-256 of a vocabulary's token table; checkpoints record it so an edited vocab.json is caught. */
export function vocabDigest(vocab: Vocab): string {
  return sha256Hex(new TextEncoder().encode(JSON.stringify(vocab.idxToToken)));
}

/** Throws unless `vocab` is the vocabulary `checkpoint` was trained with (checkpoints from before the digest pass). */
export function checkVocabulary(vocab: Vocab, checkpoint: LoadedCheckpoint, vocabPath: string): void {
  const recorded = checkpoint.meta.config["vocabSha256"];
  if (recorded === undefined) return;
  const actual = vocabDigest(vocab);
  if (recorded !== actual) {
    throw new Error(
      `vocabulary ${vocabPath} is not the one checkpoint ${checkpoint.path} was trained with (SHA-256 ${actual.slice(0, 12)}... vs ${String(recorded).slice(0, 12)}...); it was edited or copied from another run`,
    );
  }
}

/** A model with the architecture of `config` for `vocabSize` tokens (initialised from the global generator). */
export function buildModel(config: CharLMConfig, vocabSize: number): RNNLM {
  return new RNNLM({
    vocabSize,
    cell: config.cell,
    hiddenSize: config.hiddenSize,
    numLayers: config.numLayers,
    bidirectional: config.bidirectional,
    embedSize: config.embedSize,
  });
}

/** Gate rows per hidden unit of each cell. */
const GATES: Record<CharLMConfig["cell"], number> = { rnn: 1, gru: 3, lstm: 4 };

/**
 * How many scalars the model of `config` holds, computed without building it, so that a
 * checkpoint whose config describes a model larger than its own weights file is refused before
 * anything that size is allocated.
 */
export function charLMParameterCount(config: CharLMConfig, vocabSize: number): number {
  const H = config.hiddenSize;
  const D = config.bidirectional ? 2 : 1;
  const G = GATES[config.cell] * H;
  let total = 0;
  for (let l = 0; l < config.numLayers; l++) {
    const inSize = l > 0 ? D * H : config.embedSize > 0 ? config.embedSize : vocabSize;
    total += D * (G * inSize + G * H + 2 * G);
  }
  if (config.embedSize > 0) total += vocabSize * config.embedSize;
  return total + D * H * vocabSize + vocabSize;
}

/** Copies a checkpoint's parameters into `model`, naming the checkpoint when they do not fit. */
export function loadWeights(model: RNNLM, ckpt: LoadedCheckpoint): void {
  try {
    model.loadStateDict(ckpt.params);
  } catch (err) {
    throw new Error(`checkpoint ${ckpt.path}: weights do not fit the model: ${err instanceof Error ? err.message : String(err)}`);
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
