/**
 * The char LM's part of a training loop's options, shared by the CLI's run folders (train.ts)
 * and the browser playground's stored runs: the sampler's batches, the step with its
 * state-carrying policy, perplexity, clipping, and the config a checkpoint records (with the
 * vocabulary's digest). The caller adds its store, resume point, signal and callbacks.
 */
import type { SeqDataLoader } from "../../data/text/loader.js";
import { statePolicyFor } from "../../data/text/state-policy.js";
import type { Vocab } from "../../data/text/vocab.js";
import type { Optimizer } from "../../optim/optimizer.js";
import type { Generator } from "../../tensor/random.js";
import type { Batch } from "../../data/text/samplers.js";
import type { FitOptions } from "../../train/fit.js";
import { Perplexity } from "../../train/metric.js";
import { configToJson, type CharLMConfig } from "./config.js";
import type { RNNLM, RNNLMState } from "./model.js";
import { charLMStep } from "./step.js";
import { vocabDigest } from "./weights.js";

/** The loop options every char-LM run shares; spread them into `fitLoop`'s options. */
export function charLMLoopOptions(config: CharLMConfig, model: RNNLM, optimizer: Optimizer, loader: SeqDataLoader, samplerRng: Generator, vocab: Vocab) {
  return {
    data: { epoch: () => loader.epoch(samplerRng), numBatches: () => loader.numBatches(), generator: samplerRng },
    epochs: config.numEpochs,
    optimizer,
    trainStep: charLMStep(model, statePolicyFor(config.sampler)),
    metrics: [new Perplexity()],
    clipNorm: config.clip,
    countUnit: "tokens",
    config: { ...configToJson(config), vocabSha256: vocabDigest(vocab) },
  } satisfies Partial<FitOptions<Batch, RNNLMState>>;
}
