/**
 * The char LM's per-epoch metrics, as its metrics.jsonl has always held them: the loss averaged
 * over tokens, its perplexity (d2l's `train_epoch_ch8`: exp of Σ loss·tokens / Σ tokens), tokens,
 * time, throughput and the mean gradient norm. The training loop produces these rows from its
 * Loss and Perplexity metrics with "tokens" as its unit of count.
 */
import { parseEpochLogs, type EpochLogs } from "../../train/metrics.js";

/** What one epoch of char-LM training measured; one line of metrics.jsonl. (A type, not an interface, so that it is an EpochLogs row too.) */
export type EpochMetrics = {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean cross-entropy per token (nats). */
  loss: number;
  /** exp(loss). */
  perplexity: number;
  /** Target tokens seen in the epoch. */
  tokens: number;
  /** Wall time of the epoch in seconds (forward, backward and update; not checkpoint writing). */
  seconds: number;
  /** tokens / seconds. */
  tokensPerSecond: number;
  /** Mean global gradient norm before clipping, over the epoch's batches. */
  gradNorm: number;
};

/** Sums loss·tokens and tokens over batches, in float64. */
export class LossAccumulator {
  private weightedLoss = 0;
  private count = 0;
  private normSum = 0;
  private batches = 0;

  /** Adds one batch whose mean loss over `tokens` targets was `meanLoss`. */
  add(meanLoss: number, tokens: number, gradNorm = 0): void {
    if (!(tokens > 0)) throw new Error(`LossAccumulator.add: tokens must be positive, got ${tokens}`);
    this.weightedLoss += meanLoss * tokens;
    this.count += tokens;
    this.normSum += gradNorm;
    this.batches += 1;
  }

  get tokens(): number {
    return this.count;
  }

  get numBatches(): number {
    return this.batches;
  }

  /** Mean loss per token so far; NaN before the first batch. */
  meanLoss(): number {
    return this.count === 0 ? NaN : this.weightedLoss / this.count;
  }

  /** exp(mean loss per token); NaN before the first batch. */
  perplexity(): number {
    return Math.exp(this.meanLoss());
  }

  /** Mean gradient norm per batch; NaN before the first batch. */
  meanGradNorm(): number {
    return this.batches === 0 ? NaN : this.normSum / this.batches;
  }

  /** The epoch's metrics, given its number and wall time. */
  finish(epoch: number, seconds: number): EpochMetrics {
    const loss = this.meanLoss();
    return {
      epoch,
      loss,
      perplexity: Math.exp(loss),
      tokens: this.count,
      seconds,
      tokensPerSecond: seconds > 0 ? this.count / seconds : Infinity,
      gradNorm: this.meanGradNorm(),
    };
  }
}

const FIELDS = ["epoch", "loss", "perplexity", "tokens", "seconds", "tokensPerSecond", "gradNorm"] as const;

/** A history row as EpochMetrics, in its field order; errors name the missing field. */
export function toEpochMetrics(row: EpochLogs, where = "charlm metrics"): EpochMetrics {
  const get = (k: (typeof FIELDS)[number]): number => {
    const v = row[k];
    if (typeof v !== "number") throw new Error(`${where}: ${k} must be a number, got ${JSON.stringify(v) ?? "nothing"}`);
    return v;
  };
  return {
    epoch: get("epoch"),
    loss: get("loss"),
    perplexity: get("perplexity"),
    tokens: get("tokens"),
    seconds: get("seconds"),
    tokensPerSecond: get("tokensPerSecond"),
    gradNorm: get("gradNorm"),
  };
}

/** Parses one metrics.jsonl record of a char-LM run (every field a number; null reads as NaN). */
export function parseEpochMetrics(value: unknown, where: string): EpochMetrics {
  return toEpochMetrics(parseEpochLogs(value, where), where);
}
