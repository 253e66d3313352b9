/** `recurrent train highway`: its options, declared once (see tasks/schema.ts). */
import type { TaskSchema } from "../schema.js";
import { FASHION_MNIST_DIR } from "../seqmnist/classes.js";

/** Transform-gate biases offered (the paper recommends negative values, -1 to -3, deeper nets further from 0). */
export const GATE_BIASES = ["-1", "-2", "-3", "-4"] as const;

export const HIGHWAY_SCHEMA: TaskSchema = {
  task: "highway",
  summary: "plain vs highway networks at depths 10 to 100 on Fashion-MNIST (the Highway Networks paper's figure 1)",
  description:
    "Trains thin fully connected plain and highway networks at each depth of --depths on the same\n" +
    "Fashion-MNIST images with the same optimiser budget, plots the training loss of all of them in\n" +
    "one figure (loss.svg) and reports each one's final training loss and test accuracy. With\n" +
    "--lstm, an LSTM reading the images row by row is trained with the same budget, and its loss\n" +
    "curve is plotted with the shallowest highway network's (lstm-vs-highway.svg).",
  options: [
    { name: "dataDir", flag: "--data", type: "string", default: FASHION_MNIST_DIR, doc: "folder of the four Fashion-MNIST IDX files (.gz or plain)", resumable: true, group: "Data" },
    { name: "trainSize", flag: "--train-size", type: "integer", min: 1, default: 3000, doc: "training images used (the first ones)", resumable: false, group: "Data" },
    { name: "testSize", flag: "--test-size", type: "integer", min: 0, default: 2000, doc: "test images scored at the end (0: all)", resumable: true, group: "Data" },
    { name: "depths", flag: "--depths", type: "string", default: "10,20,50,100", doc: "depths to train, comma-separated (layers with weights, at least 3)", resumable: false, group: "Model" },
    { name: "plainWidth", flag: "--plain-width", type: "integer", min: 1, default: 71, doc: "units per plain layer", resumable: false, group: "Model" },
    { name: "highwayWidth", flag: "--highway-width", type: "integer", min: 1, default: 50, doc: "blocks per highway layer", resumable: false, group: "Model" },
    { name: "gateBias", flag: "--gate-bias", type: "choice", choices: GATE_BIASES, default: "-4", doc: "initial transform-gate bias of the highway layers", resumable: false, group: "Model" },
    { name: "lstm", flag: "--lstm", type: "boolean", default: true, doc: "also train an LSTM on the images read row by row, with the same budget", resumable: false, group: "Model" },
    { name: "lstmHidden", flag: "--lstm-hidden", type: "integer", min: 1, default: 64, doc: "hidden units of that LSTM", resumable: false, group: "Model" },
    { name: "epochs", flag: "--epochs", type: "integer", min: 1, default: 6, doc: "epochs per network (a resumed run may raise it: every network then trains on to it)", resumable: true, group: "Training" },
    { name: "batchSize", flag: "--batch-size", type: "integer", min: 1, default: 64, doc: "images per batch", resumable: false, group: "Training" },
    { name: "lr", flag: "--lr", type: "number", default: 0.001, doc: "Adam learning rate", resumable: false, group: "Training" },
    { name: "clip", flag: "--clip", type: "number", default: 5, doc: "largest global gradient norm", resumable: false, group: "Training" },
    { name: "seed", flag: "--seed", type: "integer", min: 0, default: 0, doc: "seed of the initialisations and the shuffling", resumable: false, group: "Training" },
  ],
};

/** The depths of a `--depths` value, checked: "10,20" -> [10, 20]. */
export function parseDepths(text: string): number[] {
  const parts = text.split(",").map((s) => s.trim());
  const depths = parts.map((s) => (/^\d+$/.test(s) ? Number(s) : NaN));
  const bad = parts.find((_, i) => !(depths[i]! >= 3 && depths[i]! <= 1000));
  if (bad !== undefined) throw new Error(`highway: --depths must be integers from 3 to 1000, comma-separated ("10,20,50,100"), got ${JSON.stringify(text)} (${JSON.stringify(bad)})`);
  if (new Set(depths).size !== depths.length) throw new Error(`highway: --depths lists a depth twice: ${JSON.stringify(text)}`);
  return depths;
}
