/**
 * `DataLoader`: a dataset in minibatches, one epoch at a time. With `shuffle` the order of each
 * epoch is a fresh permutation drawn from the loader's own seeded generator, so the same seed
 * gives the same batches, and a checkpoint that saves the generator (the training loop saves it
 * as RNG stream "sampler") resumes the same sequence of epochs.
 */
import { Generator } from "../tensor/random.js";
import { stackCollate, type TensorBatch } from "./collate.js";
import { Subset, type Dataset, type TensorExample } from "./dataset.js";

export interface DataLoaderOptions<T, B> {
  /** Examples per batch. Default 32. */
  batchSize?: number;
  /** Draw a new order every epoch. Default false (the dataset's order). */
  shuffle?: boolean;
  /** Seed of the shuffling generator. Default 0. */
  seed?: number;
  /** Drop a last batch smaller than batchSize. Default false. */
  dropLast?: boolean;
  /** Examples to a batch. Required (tensorLoader passes stackCollate for TensorDataset rows). */
  collate?: (examples: readonly T[]) => B;
}

export class DataLoader<T, B> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  /** The shuffling generator (saved and restored with checkpoints). */
  readonly generator: Generator;
  private readonly collate: (examples: readonly T[]) => B;

  constructor(readonly dataset: Dataset<T>, opts: DataLoaderOptions<T, B> & { collate: (examples: readonly T[]) => B }) {
    const batchSize = opts.batchSize ?? 32;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`DataLoader: batchSize must be a positive integer, got ${String(opts.batchSize)}`);
    if (dataset.length === 0) throw new Error(`DataLoader: the dataset is empty`);
    this.batchSize = batchSize;
    this.shuffle = opts.shuffle ?? false;
    this.dropLast = opts.dropLast ?? false;
    this.generator = new Generator(opts.seed ?? 0);
    this.collate = opts.collate;
    if (this.numBatches() === 0) throw new Error(`DataLoader: dropLast with ${dataset.length} examples and batchSize ${batchSize} leaves no batch`);
  }

  /** Batches per epoch. */
  numBatches(): number {
    const n = this.dataset.length / this.batchSize;
    return this.dropLast ? Math.floor(n) : Math.ceil(n);
  }

  /** The batches of one epoch; with shuffle, the permutation is drawn when the epoch starts. */
  *epoch(): IterableIterator<B> {
    const order = Array.from({ length: this.dataset.length }, (_, i) => i);
    if (this.shuffle) this.generator.shuffle(order);
    for (let b = 0; b < this.numBatches(); b++) {
      const idx = order.slice(b * this.batchSize, (b + 1) * this.batchSize);
      yield this.collate(idx.map((i) => this.dataset.get(i)));
    }
  }

  [Symbol.iterator](): IterableIterator<B> {
    return this.epoch();
  }

  /**
   * Splits off the last `fraction` of the examples (before any shuffling, as Keras's
   * validationSplit) as a validation loader that neither shuffles nor drops; returns [train, validation].
   */
  split(fraction: number): [DataLoader<T, B>, DataLoader<T, B>] {
    const [train, val] = splitDataset(this.dataset, fraction);
    const seed = this.generator.getState();
    const trainLoader = new DataLoader(train, { batchSize: this.batchSize, shuffle: this.shuffle, dropLast: this.dropLast, collate: this.collate });
    trainLoader.generator.setState(seed);
    return [trainLoader, new DataLoader(val, { batchSize: this.batchSize, collate: this.collate })];
  }
}

/** A DataLoader over TensorDataset rows, stacked into `{ x, y }` batches. */
export function tensorLoader(dataset: Dataset<TensorExample>, opts: Omit<DataLoaderOptions<TensorExample, TensorBatch>, "collate"> = {}): DataLoader<TensorExample, TensorBatch> {
  return new DataLoader(dataset, { ...opts, collate: stackCollate });
}

/**
 * Splits a dataset into [first, last] where `last` holds the final round(fraction·N) examples
 * (at least one each). With a generator the examples are permuted first (a random split).
 */
export function splitDataset<T>(dataset: Dataset<T>, fraction: number, generator?: Generator): [Subset<T>, Subset<T>] {
  if (!(typeof fraction === "number" && fraction > 0 && fraction < 1)) throw new Error(`splitDataset: fraction must be a number in (0, 1), got ${String(fraction)}`);
  const n = dataset.length;
  const held = Math.round(n * fraction);
  if (held < 1 || held > n - 1) throw new Error(`splitDataset: a fraction of ${fraction} of ${n} examples leaves ${held} for validation and ${n - held} for training; both need at least one`);
  const order = Array.from({ length: n }, (_, i) => i);
  if (generator !== undefined) generator.shuffle(order);
  return [new Subset(dataset, order.slice(0, n - held)), new Subset(dataset, order.slice(n - held))];
}
