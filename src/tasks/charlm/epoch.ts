/**
 * One epoch of language-model training, d2l's `train_epoch_ch8` (chapter "Recurrent Neural
 * Networks from Scratch"), run by the shared training loop with the char LM's step (step.ts):
 *
 * - sequential sampler: the state starts at zero on the epoch's first batch and is then carried
 *   from batch to batch (row r of one batch continues row r of the previous one in the text),
 *   detached at each boundary so backward stops there: truncated backpropagation through time;
 * - random sampler: batches are unrelated pieces of the text, so the state restarts at zero on
 *   every batch;
 * - loss: mean cross-entropy over every step of every row; gradients clipped to a global norm;
 *   one optimiser step per batch.
 */
import type { Optimizer } from "../../optim/optimizer.js";
import type { SeqDataLoader } from "../../data/text/loader.js";
import { statePolicyFor } from "../../data/text/state-policy.js";
import type { Generator } from "../../tensor/random.js";
import { fitLoop } from "../../train/fit.js";
import { Perplexity } from "../../train/metric.js";
import { LossAccumulator, toEpochMetrics, type EpochMetrics } from "./metrics.js";
import type { RNNLM } from "./model.js";
import { charLMStep } from "./step.js";

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
export async function trainEpoch(opts: TrainEpochOptions): Promise<EpochMetrics> {
  const { model, loader, optimizer, clip, rng, epoch } = opts;
  const totals = new LossAccumulator();
  const history = await fitLoop(model, {
    data: { epoch: () => loader.epoch(rng), numBatches: () => loader.numBatches() },
    epochs: epoch,
    initialEpoch: epoch - 1,
    optimizer,
    trainStep: charLMStep(model, statePolicyFor(loader.sampler)),
    metrics: [new Perplexity()],
    clipNorm: clip,
    countUnit: "tokens",
    callbacks: [
      {
        onBatchEnd: (logs) => {
          totals.add(logs.loss, logs.count, logs.gradNorm);
          opts.onBatch?.(logs.batch, totals);
        },
      },
    ],
    describeError: (_e, err) => new Error(`trainEpoch: ${err instanceof Error ? err.message : String(err)}${/no batch/.test(String(err)) ? ` (corpus of ${loader.corpus.length} tokens)` : ""}`, { cause: err }),
  });
  const row = history.history[history.history.length - 1];
  if (row === undefined) throw new Error(`trainEpoch: epoch ${epoch} did not finish`);
  return toEpochMetrics(row);
}
