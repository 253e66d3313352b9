/**
 * One epoch of language-model training, d2l's `train_epoch_ch8` (chapter "Recurrent Neural
 * Networks from Scratch"):
 *
 * - sequential sampler: the state starts at zero on the epoch's first batch and is then carried
 *   from batch to batch (row r of one batch continues row r of the previous one in the text),
 *   detached at each boundary so backward stops there: truncated backpropagation through time;
 * - random sampler: batches are unrelated pieces of the text, so the state restarts at zero on
 *   every batch;
 * - loss: mean cross-entropy over every step of every row; gradients clipped to a global norm;
 *   one optimiser step per batch.
 */
import { crossEntropy } from "../../losses/cross-entropy.js";
import { clipGradNorm } from "../../optim/clip.js";
import type { Optimizer } from "../../optim/optimizer.js";
import type { SeqDataLoader } from "../../data/text/loader.js";
import type { Generator } from "../../tensor/random.js";
import { LossAccumulator, secondsSince, type EpochMetrics } from "../../train/metrics.js";
import { detachState, timeMajor, type RNNLM, type RNNLMState } from "./model.js";

export interface TrainEpochOptions {
  model: RNNLM;
  loader: SeqDataLoader;
  optimizer: Optimizer;
  /** Largest global gradient norm (clipGradNorm's maxNorm). */
  clip: number;
  /** The sampler's generator; the epoch draws its offset (and, random sampler, its order) from it. */
  rng: Generator;
  /** 1-based number of this epoch, copied into the metrics. */
  epoch: number;
  /** Called after each batch with the batches done and the running totals (for a progress bar). */
  onBatch?: (done: number, totals: LossAccumulator) => void;
}

/** Trains one epoch and returns its metrics (perplexity = exp(Σ loss·tokens / Σ tokens)). */
export function trainEpoch(opts: TrainEpochOptions): EpochMetrics {
  const { model, loader, optimizer, clip, rng } = opts;
  const params = model.parameters();
  const totals = new LossAccumulator();
  const start = performance.now();
  let state: RNNLMState | null = null;
  let done = 0;
  model.train();
  for (const batch of loader.epoch(rng)) {
    const { batchSize: B, numSteps: T } = batch;
    state = state === null || loader.sampler === "random" ? model.beginState(B) : detachState(state);
    const [logits, next] = model.forward(batch.x, [B, T], state);
    state = next;
    const loss = crossEntropy(logits, timeMajor(batch.y, B, T));
    optimizer.zeroGrad();
    loss.backward();
    const norm = clipGradNorm(params, clip);
    optimizer.step();
    totals.add(loss.item(), B * T, norm);
    done += 1;
    opts.onBatch?.(done, totals);
  }
  if (done === 0) throw new Error(`trainEpoch: the loader yielded no batch (corpus of ${loader.corpus.length} tokens)`);
  return totals.finish(opts.epoch, secondsSince(start));
}
