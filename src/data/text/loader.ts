/**
 * d2l's `SeqDataLoader`: a corpus plus the batch shape and sampler, giving one iterator per epoch.
 */
import type { Generator as RandomGenerator } from "../../tensor/random.js";
import {
  randomBatchCount,
  seqDataIterRandom,
  seqDataIterSequential,
  sequentialBatchCount,
  type BatchIterator,
} from "./samplers.js";

/** Which sampler an epoch uses; see `seqDataIterRandom` and `seqDataIterSequential`. */
export type SamplerKind = "random" | "sequential";

/** Options of `new SeqDataLoader(corpus, options)`. */
export interface SeqDataLoaderOptions {
  /** B: rows per batch. Positive integer; required. */
  batchSize: number;
  /** T: time steps (columns) per batch. Positive integer; required. */
  numSteps: number;
  /**
   * "sequential" (rows continue across batches, so the hidden state may be carried) or "random"
   * (independent subsequences; reset the state each batch). Default "sequential", as d2l's
   * `use_random_iter=False`.
   */
  sampler?: SamplerKind;
}

export class SeqDataLoader {
  readonly corpus: Int32Array;
  readonly batchSize: number;
  readonly numSteps: number;
  readonly sampler: SamplerKind;

  constructor(corpus: Int32Array, options: SeqDataLoaderOptions) {
    if (!(corpus instanceof Int32Array)) {
      throw new Error(`SeqDataLoader: corpus must be an Int32Array, got ${typeof corpus}`);
    }
    const { batchSize, numSteps } = options;
    const sampler = options.sampler ?? "sequential";
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new Error(`SeqDataLoader: batchSize must be a positive integer, got ${String(batchSize)}`);
    }
    if (!Number.isInteger(numSteps) || numSteps < 1) {
      throw new Error(`SeqDataLoader: numSteps must be a positive integer, got ${String(numSteps)}`);
    }
    if (sampler !== "random" && sampler !== "sequential") {
      throw new Error(`SeqDataLoader: sampler must be "random" or "sequential", got ${JSON.stringify(sampler)}`);
    }
    this.corpus = corpus;
    this.batchSize = batchSize;
    this.numSteps = numSteps;
    this.sampler = sampler;

    const needed = SeqDataLoader.minCorpusLength(batchSize, numSteps, sampler);
    if (corpus.length < needed) {
      throw new Error(
        `SeqDataLoader: corpus must have at least ${needed} tokens for one batch in every epoch ` +
          `(batchSize=${batchSize}, numSteps=${numSteps}, sampler "${sampler}"), got ${corpus.length}`,
      );
    }
  }

  /**
   * The fewest tokens for which every epoch has at least one batch, whatever offset is drawn:
   * random drops up to T - 1 tokens and needs B subsequences of T plus one target, so (B + 1)·T;
   * sequential drops up to T tokens and needs B rows of T plus one target, so (B + 1)·T + 1.
   */
  static minCorpusLength(batchSize: number, numSteps: number, sampler: SamplerKind): number {
    return (batchSize + 1) * numSteps + (sampler === "sequential" ? 1 : 0);
  }

  /**
   * The most batches an epoch can yield (the count when the drawn offset is 0). Because the offset
   * is random, an epoch yields either this many or one fewer; `minNumBatches()` gives the other end.
   */
  numBatches(): number {
    return this.countFor(0);
  }

  /** The fewest batches an epoch can yield (the count for the largest offset); at least 1. */
  minNumBatches(): number {
    return this.countFor(this.sampler === "random" ? this.numSteps - 1 : this.numSteps);
  }

  /** One epoch of batches; draws from `rng` as the chosen sampler describes. */
  epoch(rng: RandomGenerator): BatchIterator {
    return this.sampler === "random"
      ? seqDataIterRandom(this.corpus, this.batchSize, this.numSteps, rng)
      : seqDataIterSequential(this.corpus, this.batchSize, this.numSteps, rng);
  }

  private countFor(offset: number): number {
    const count = this.sampler === "random" ? randomBatchCount : sequentialBatchCount;
    return count(this.corpus.length, this.batchSize, this.numSteps, offset);
  }
}
