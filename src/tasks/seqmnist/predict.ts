/**
 * `recurrent predict seqmnist RUN FILE`: classifies every image of an IDX images file (gzipped
 * or not, 28x28 like Fashion-MNIST's) with a trained run, giving the class and its probability.
 */
import { softmax } from "../../autograd/ops/softmax.js";
import { readIdxFile } from "../../data/idx/read-node.js";
import { pixelsToFloat } from "../../data/idx/images.js";
import { predict } from "../../train/api.js";
import { Tensor } from "../../tensor/tensor.js";
import { FASHION_CLASSES } from "./classes.js";
import { loadSeqMnistModel } from "./train.js";

/** Largest number of images one predict call reads. */
export const PREDICT_MAX_IMAGES = 10000;

export interface ImagePrediction {
  index: number;
  label: number;
  className: string;
  probability: number;
}

/** Predictions of the run in `runDir` for each image in the IDX file `path`. */
export async function predictSeqMnist(runDir: string, path: string): Promise<{ text: string; json: ImagePrediction[] }> {
  const idx = readIdxFile(path);
  if (idx.dims.length !== 3 || idx.dims[1] !== 28 || idx.dims[2] !== 28) {
    throw new Error(`predict seqmnist: ${path} must hold images (N, 28, 28), got dims (${idx.dims.join(", ")})`);
  }
  const n = idx.dims[0]!;
  if (n < 1 || n > PREDICT_MAX_IMAGES) throw new Error(`predict seqmnist: ${path} holds ${n} images; expected 1 to ${PREDICT_MAX_IMAGES}`);
  const { model } = await loadSeqMnistModel(runDir);
  const x = new Tensor(pixelsToFloat({ images: idx.data, labels: new Uint8Array(n), count: n, rows: 28, cols: 28 }), [n, 28, 28]);
  const probs = softmax(await predict(model, x), 1).data;
  const C = FASHION_CLASSES.length;
  const out: ImagePrediction[] = [];
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (probs[i * C + c]! > probs[i * C + best]!) best = c;
    out.push({ index: i, label: best, className: FASHION_CLASSES[best]!, probability: probs[i * C + best]! });
  }
  const text = out.map((p) => `${p.index}\t${p.className}\t${p.probability.toFixed(3)}`).join("\n");
  return { text, json: out };
}
