/** What the loop trains on: a DataSource (batches per epoch, maybe a generator to checkpoint) or any iterable of batches. */
import type { Generator } from "../tensor/random.js";

/** Batches for one epoch at a time. */
export interface DataSource<B> {
  /** The batches of epoch `epoch` (1-based). */
  epoch(epoch: number): Iterable<B> | AsyncIterable<B>;
  /** Batches per epoch, when known (progress bars). */
  numBatches?(): number;
  /** The generator the order is drawn from; checkpoints save it as RNG stream "sampler". */
  readonly generator?: Generator;
}

/** A DataSource, or any iterable re-iterated every epoch (an array of batches, not a one-shot generator). */
export type DataInput<B> = DataSource<B> | Iterable<B> | AsyncIterable<B>;

/** Whether `data` is a DataSource (it has an `epoch` method) rather than a plain iterable. */
export function isDataSource<B>(data: DataInput<B>): data is DataSource<B> {
  return typeof data === "object" && data !== null && "epoch" in data && typeof data.epoch === "function";
}

/** The batches of one epoch of any data input. */
export function epochBatches<B>(data: DataInput<B>, epoch: number): Iterable<B> | AsyncIterable<B> {
  return isDataSource(data) ? data.epoch(epoch) : data;
}

/** Batches per epoch when the data knows it (a DataSource with numBatches, or an array); NaN otherwise. */
export function batchCount<B>(data: DataInput<B>): number {
  if (isDataSource(data)) return data.numBatches?.() ?? NaN;
  return Array.isArray(data) ? data.length : NaN;
}
