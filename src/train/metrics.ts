/**
 * Per-epoch training metrics: the loss averaged over tokens, its perplexity, and throughput.
 * Perplexity follows d2l's `train_epoch_ch8`: exp of (Σ loss·tokens / Σ tokens) over the batches.
 */

/** What one epoch of training measured; one line of metrics.jsonl. */
export interface EpochMetrics {
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
}

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

/** Seconds since `start`, a `performance.now()` reading. */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}

/** Checks that a parsed metrics record has every field as a finite number (NaN losses are written as null). */
export function parseEpochMetrics(value: unknown, where: string): EpochMetrics {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${where}: expected an object of epoch metrics, got ${value === null ? "null" : typeof value}`);
  }
  const rec: Record<string, unknown> = { ...value };
  const num = (key: keyof EpochMetrics): number => {
    const v = rec[key];
    // JSON has no NaN or Infinity; they are written as null and read back as NaN.
    if (v === null) return NaN;
    if (typeof v !== "number") throw new Error(`${where}: ${key} must be a number, got ${JSON.stringify(v) ?? "undefined"}`);
    return v;
  };
  const epoch = num("epoch");
  if (!Number.isInteger(epoch) || epoch < 1) throw new Error(`${where}: epoch must be a positive integer, got ${epoch}`);
  return {
    epoch,
    loss: num("loss"),
    perplexity: num("perplexity"),
    tokens: num("tokens"),
    seconds: num("seconds"),
    tokensPerSecond: num("tokensPerSecond"),
    gradNorm: num("gradNorm"),
  };
}
