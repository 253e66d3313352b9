/**
 * `recurrent train seqmnist`: its options, declared once (see tasks/schema.ts).
 */
import type { TaskSchema } from "../schema.js";
import { FASHION_MNIST_DIR } from "./classes.js";
import { SEQ_CELLS } from "./model.js";

export const SEQMNIST_SCHEMA: TaskSchema = {
  task: "seqmnist",
  summary: "classify Fashion-MNIST images read row by row (28 steps of 28 pixels)",
  description:
    "Sequential image classification: a recurrent network reads each 28x28 Fashion-MNIST image\n" +
    "one row per time step and classifies it from its last output (many-to-one). The data are\n" +
    "the IDX files of Debian's dataset-fashion-mnist package; the last --val-size training images\n" +
    "are held out for validation, and the test accuracy is measured on the test set at the end.",
  options: [
    { name: "dataDir", flag: "--data", type: "string", default: FASHION_MNIST_DIR, doc: "folder of the four Fashion-MNIST IDX files (.gz or plain)", resumable: true, group: "Data" },
    { name: "trainSize", flag: "--train-size", type: "integer", min: 1, default: 55000, doc: "training images used (the first ones)", resumable: false, group: "Data" },
    { name: "valSize", flag: "--val-size", type: "integer", min: 0, default: 5000, doc: "training images after those held out for validation (0: none)", resumable: false, group: "Data" },
    { name: "testSize", flag: "--test-size", type: "integer", min: 0, default: 0, doc: "test images scored at the end (0: all)", resumable: true, group: "Data" },
    { name: "cell", flag: "--cell", type: "choice", choices: SEQ_CELLS, default: "lstm", doc: "recurrent cell", resumable: false, group: "Model" },
    { name: "hiddenSize", flag: "--hidden", type: "integer", min: 1, default: 64, doc: "hidden units per layer", resumable: false, group: "Model" },
    { name: "numLayers", flag: "--layers", type: "integer", min: 1, max: 8, default: 1, doc: "stacked recurrent layers", resumable: false, group: "Model" },
    { name: "epochs", flag: "--epochs", type: "integer", min: 1, default: 4, doc: "last epoch of the run", resumable: true, group: "Training" },
    { name: "batchSize", flag: "--batch-size", type: "integer", min: 1, default: 64, doc: "images per batch", resumable: false, group: "Training" },
    { name: "lr", flag: "--lr", type: "number", default: 0.002, doc: "Adam learning rate", resumable: false, group: "Training" },
    { name: "clip", flag: "--clip", type: "number", default: 5, doc: "largest global gradient norm", resumable: false, group: "Training" },
    { name: "seed", flag: "--seed", type: "integer", min: 0, default: 0, doc: "seed of the initialisation and the shuffling", resumable: false, group: "Training" },
    { name: "baseline", flag: "--baseline", type: "boolean", default: true, doc: "also train a linear softmax classifier on the flat pixels with the same budget, for comparison", resumable: false, group: "Training" },
    { name: "checkpointEvery", flag: "--checkpoint-every", type: "integer", min: 1, default: 1, doc: "epochs between checkpoints", resumable: true, group: "Training" },
  ],
};
