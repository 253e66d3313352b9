/**
 * A char-LM checkpoint's weights against its config and vocabulary: building the model a config
 * describes, counting its parameters before building it, loading weights, and the vocabulary
 * digest that ties a checkpoint to its vocab.json. No file system: the CLI's run folders and the
 * browser playground's stored runs both use these.
 */
import type { Vocab } from "../../data/text/vocab.js";
import { sha256Hex } from "../../io/sha256.js";
import type { LoadedCheckpoint } from "../../train/checkpoint-format.js";
import type { CharLMConfig } from "./config.js";
import { activeParams } from "../../nn/cells/spec.js";
import { getCell } from "../../nn/cells/registry.js";
import { RNNLM, registeredCellName } from "./model.js";

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

/**
 * How many scalars the model of `config` holds, computed without building it, so that a
 * checkpoint whose config describes a model larger than its own weights file is refused before
 * anything that size is allocated. The recurrent layers are counted from their cell's spec (its
 * parameters with biases, no projection), so a cell's extra parameters (peepholes, layer-norm
 * gains) count exactly as the layer registers them.
 */
export function charLMParameterCount(config: Pick<CharLMConfig, "cell" | "hiddenSize" | "numLayers" | "bidirectional" | "embedSize">, vocabSize: number): number {
  const spec = getCell(registeredCellName(config.cell));
  const params = activeParams(spec, true, false);
  const H = config.hiddenSize;
  const D = config.bidirectional ? 2 : 1;
  let total = 0;
  for (let l = 0; l < config.numLayers; l++) {
    const I = l > 0 ? D * H : config.embedSize > 0 ? config.embedSize : vocabSize;
    const dims = { I, H, P: H, G: spec.gatesPerUnit * H };
    for (const p of params) total += D * p.shape(dims).reduce((a, b) => a * b, 1);
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
