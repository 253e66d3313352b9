/**
 * An image-classification dataset read from IDX arrays: images (N, R, C) as bytes and labels
 * (N), checked against each other, with pixels scaled to [0, 1] when turned into tensors.
 */
import type { IdxArray } from "./parse.js";

/** Labelled images: N images of rows × cols bytes, and N labels. */
export interface ImageSet {
  /** Pixels, image after image, row-major, 0..255. */
  images: Uint8Array;
  /** One class index per image. */
  labels: Uint8Array;
  count: number;
  rows: number;
  cols: number;
}

/**
 * Pairs an images array (N, R, C) with a labels array (N); fails when the shapes disagree or a
 * label is not below `numClasses`. `where` names the pair in errors.
 */
export function imageSet(images: IdxArray, labels: IdxArray, numClasses: number, where = "imageSet"): ImageSet {
  if (images.dims.length !== 3) throw new Error(`${where}: images must have 3 dims (N, rows, cols), got (${images.dims.join(", ")})`);
  if (labels.dims.length !== 1) throw new Error(`${where}: labels must have 1 dim (N), got (${labels.dims.join(", ")})`);
  const [count, rows, cols] = images.dims as [number, number, number];
  if (labels.dims[0] !== count) throw new Error(`${where}: ${count} images but ${labels.dims[0]} labels`);
  for (let i = 0; i < count; i++) {
    if (labels.data[i]! >= numClasses) throw new Error(`${where}: label ${i} is ${labels.data[i]}, expected a class in [0, ${numClasses - 1}]`);
  }
  return { images: images.data, labels: labels.data, count, rows, cols };
}

/** The first `n` images (all when n is undefined or larger). */
export function takeImages(set: ImageSet, n?: number): ImageSet {
  if (n === undefined || n >= set.count) return set;
  if (!Number.isInteger(n) || n < 1) throw new Error(`takeImages: n must be a positive integer, got ${n}`);
  const px = set.rows * set.cols;
  return { ...set, images: set.images.subarray(0, n * px), labels: set.labels.subarray(0, n), count: n };
}

/** Pixels as floats in [0, 1] (value / 255), (N · rows · cols). */
export function pixelsToFloat(set: ImageSet): Float32Array {
  const out = new Float32Array(set.images.length);
  for (let i = 0; i < out.length; i++) out[i] = set.images[i]! / 255;
  return out;
}
