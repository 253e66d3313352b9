/**
 * The two minibatch samplers of d2l's chapter "Language Models" (PyTorch edition):
 * `seq_data_iter_random` and `seq_data_iter_sequential`, step for step, with the seeded Generator
 * standing in for Python's `random` module.
 *
 * Symbols: N corpus length, B batch size, T time steps (numSteps).
 */
import type { Generator as RandomGenerator } from "../../tensor/random.js";

/** One minibatch: `y` is `x` shifted one token ahead in the corpus. */
export interface Batch {
  /** Inputs, row-major (B, T). */
  x: Int32Array;
  /** Targets, row-major (B, T): y[r, t] is the corpus token right after x[r, t]. */
  y: Int32Array;
  /** B: number of rows. */
  batchSize: number;
  /** T: number of columns. */
  numSteps: number;
}

/** What the samplers return: a one-pass iterator of batches (a JS generator). */
export type BatchIterator = IterableIterator<Batch>;

/**
 * Random sampling: subsequences of T tokens at random places, no two in an epoch overlapping.
 *
 * d2l: drop a random offset in [0, T - 1] tokens (`random.randint(0, num_steps - 1)`), cut the rest
 * into floor((N - offset - 1) / T) subsequences starting at 0, T, 2T, ... (the -1 keeps room for the
 * last target), shuffle those starts, and emit floor(count / B) batches of B of them. Consecutive
 * batches are not adjacent in the text, so the hidden state must be reset between batches.
 *
 * The generator is drawn from twice per epoch, at the first `next()`: one randint, then one shuffle.
 */
export function seqDataIterRandom(
  corpus: Int32Array,
  batchSize: number,
  numSteps: number,
  rng: RandomGenerator,
): BatchIterator {
  // Checked here rather than inside the generator body, which would only run at the first next().
  checkArgs("seqDataIterRandom", corpus, batchSize, numSteps);
  return randomBatches(corpus, batchSize, numSteps, rng);
}

function* randomBatches(corpus: Int32Array, batchSize: number, numSteps: number, rng: RandomGenerator): BatchIterator {
  const offset = rng.randint(0, numSteps);
  const data = corpus.subarray(offset);
  const numSubseqs = Math.max(0, Math.floor((data.length - 1) / numSteps));
  const starts: number[] = [];
  for (let s = 0; s < numSubseqs; s++) starts.push(s * numSteps);
  rng.shuffle(starts);
  const numBatches = randomBatchCount(corpus.length, batchSize, numSteps, offset);
  for (let b = 0; b < numBatches; b++) {
    const x = new Int32Array(batchSize * numSteps);
    const y = new Int32Array(batchSize * numSteps);
    for (let r = 0; r < batchSize; r++) {
      const j = starts[b * batchSize + r] ?? 0;
      x.set(data.subarray(j, j + numSteps), r * numSteps);
      y.set(data.subarray(j + 1, j + 1 + numSteps), r * numSteps);
    }
    yield { x, y, batchSize, numSteps };
  }
}

/**
 * Sequential partitioning: row r of batch k + 1 continues row r of batch k in the text, so a model
 * may carry its hidden state from one batch to the next.
 *
 * d2l: drop a random offset in [0, T] tokens (`random.randint(0, num_steps)`, both ends included),
 * keep the largest multiple of B tokens that still leaves one token for the last target, lay them
 * out as B rows of C = floor((N - offset - 1) / B) consecutive tokens, and cut the columns into
 * floor(C / T) batches of T columns.
 *
 * The generator is drawn from once per epoch (the offset), at the first `next()`.
 */
export function seqDataIterSequential(
  corpus: Int32Array,
  batchSize: number,
  numSteps: number,
  rng: RandomGenerator,
): BatchIterator {
  checkArgs("seqDataIterSequential", corpus, batchSize, numSteps);
  return sequentialBatches(corpus, batchSize, numSteps, rng);
}

function* sequentialBatches(
  corpus: Int32Array,
  batchSize: number,
  numSteps: number,
  rng: RandomGenerator,
): BatchIterator {
  const offset = rng.randint(0, numSteps + 1);
  const cols = Math.max(0, Math.floor((corpus.length - offset - 1) / batchSize));
  const numBatches = sequentialBatchCount(corpus.length, batchSize, numSteps, offset);
  for (let b = 0; b < numBatches; b++) {
    const x = new Int32Array(batchSize * numSteps);
    const y = new Int32Array(batchSize * numSteps);
    for (let r = 0; r < batchSize; r++) {
      const j = offset + r * cols + b * numSteps;
      x.set(corpus.subarray(j, j + numSteps), r * numSteps);
      y.set(corpus.subarray(j + 1, j + 1 + numSteps), r * numSteps);
    }
    yield { x, y, batchSize, numSteps };
  }
}

/** Batches that `seqDataIterRandom` yields for a corpus of N tokens when it draws `offset`. */
export function randomBatchCount(corpusLength: number, batchSize: number, numSteps: number, offset: number): number {
  const numSubseqs = Math.max(0, Math.floor((corpusLength - offset - 1) / numSteps));
  return Math.floor(numSubseqs / batchSize);
}

/** Batches that `seqDataIterSequential` yields for a corpus of N tokens when it draws `offset`. */
export function sequentialBatchCount(corpusLength: number, batchSize: number, numSteps: number, offset: number): number {
  const cols = Math.max(0, Math.floor((corpusLength - offset - 1) / batchSize));
  return Math.floor(cols / numSteps);
}

function checkArgs(where: string, corpus: Int32Array, batchSize: number, numSteps: number): void {
  if (!(corpus instanceof Int32Array)) throw new Error(`${where}: corpus must be an Int32Array, got ${typeof corpus}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`${where}: batchSize must be a positive integer, got ${String(batchSize)}`);
  }
  if (!Number.isInteger(numSteps) || numSteps < 1) {
    throw new Error(`${where}: numSteps must be a positive integer, got ${String(numSteps)}`);
  }
}
