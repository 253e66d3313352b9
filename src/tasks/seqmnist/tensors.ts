/**
 * Image sets as training data: pixels in [0, 1] as (N, rows, cols) tensors, read row by row
 * (T = rows steps of I = cols pixels) by a recurrent model or flattened by a dense one, with
 * the labels as a float tensor (N) of class indices.
 */
import { TensorDataset } from "../../data/dataset.js";
import { pixelsToFloat, type ImageSet } from "../../data/idx/images.js";
import { Tensor } from "../../tensor/tensor.js";

/** How a model reads an image: as a sequence of rows (N, R, C), or flat (N, R·C). */
export type ImageLayout = "rows" | "flat";

/** The images of `set` as a TensorDataset of `{ x, y }` rows in the given layout. */
export function imageDataset(set: ImageSet, layout: ImageLayout): TensorDataset {
  const x = pixelsToFloat(set);
  const shape = layout === "rows" ? [set.count, set.rows, set.cols] : [set.count, set.rows * set.cols];
  return new TensorDataset(new Tensor(x, shape), new Tensor(Float32Array.from(set.labels), [set.count]));
}

/** The split of `set` into its first `count - tail` images and its last `tail` (for validation). */
export function splitTail(set: ImageSet, tail: number): [ImageSet, ImageSet] {
  if (!Number.isInteger(tail) || tail < 0 || tail >= set.count) throw new Error(`splitTail: tail must be an integer in [0, ${set.count - 1}], got ${tail}`);
  const px = set.rows * set.cols;
  const n = set.count - tail;
  const head: ImageSet = { ...set, images: set.images.subarray(0, n * px), labels: set.labels.subarray(0, n), count: n };
  const rest: ImageSet = { ...set, images: set.images.subarray(n * px), labels: set.labels.subarray(n), count: tail };
  return [head, rest];
}
