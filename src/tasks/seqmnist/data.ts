/**
 * Fashion-MNIST from disk: Debian's `dataset-fashion-mnist` package installs the four gzipped
 * IDX files in /usr/share/datasets/fashion-mnist; the repository ships a small slice of them in
 * data/fashion-mnist-slice (same file names) for tests and quick runs.
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { imageSet, takeImages, type ImageSet } from "../../data/idx/images.js";
import { readIdxFile } from "../../data/idx/read-node.js";
import { FASHION_CLASSES, FASHION_MNIST_DIR } from "./classes.js";

export { FASHION_MNIST_DIR };

/** The slice shipped with the project (1,000 training and 500 test images, the first of each file). */
export const FASHION_SLICE_DIR = fileURLToPath(new URL("../../../data/fashion-mnist-slice", import.meta.url));

export type FashionSplit = "train" | "test";

const PREFIX: Record<FashionSplit, string> = { train: "train", test: "t10k" };

/** The file `<dir>/<stem>` or `<dir>/<stem>.gz`, whichever exists (the plain one first). */
function locate(dir: string, stem: string): string {
  const plain = join(dir, stem);
  if (existsSync(plain)) return plain;
  const gz = `${plain}.gz`;
  if (existsSync(gz)) return gz;
  throw new Error(`Fashion-MNIST: ${dir} has no ${stem}.gz (nor ${stem}); give --data a folder holding the four IDX files`);
}

/**
 * Reads a split of Fashion-MNIST from `dir` (default: Debian's folder), keeping its first
 * `limit` images when given. The error for a missing folder names the package that provides it.
 */
export function loadFashionMnist(split: FashionSplit, dir: string = FASHION_MNIST_DIR, limit?: number): ImageSet {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    const hint = dir === FASHION_MNIST_DIR ? "install Debian's dataset-fashion-mnist package (apt install dataset-fashion-mnist), or " : "";
    throw new Error(`Fashion-MNIST: the folder ${dir} does not exist; ${hint}give --data a folder holding the four IDX files (the project's slice is ${FASHION_SLICE_DIR})`);
  }
  const images = readIdxFile(locate(dir, `${PREFIX[split]}-images-idx3-ubyte`));
  const labels = readIdxFile(locate(dir, `${PREFIX[split]}-labels-idx1-ubyte`));
  const set = imageSet(images, labels, FASHION_CLASSES.length, `Fashion-MNIST ${split} (${dir})`);
  if (limit !== undefined && limit > set.count) {
    throw new Error(`Fashion-MNIST: asked for ${limit} ${split} images but ${dir} holds ${set.count}`);
  }
  return takeImages(set, limit);
}
