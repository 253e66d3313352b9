/**
 * `recurrent train seq2seq`: its options, declared once (see tasks/schema.ts). The defaults are
 * *Dive into Deep Learning*'s (section "Sequence-to-Sequence Learning"): the first 640 pairs,
 * 512 to train on and 128 held out, 9 steps, embedding and GRU widths 256, 2 layers, dropout
 * 0.2, Adam at 0.005, batches of 128, gradient norm clipped at 1, 30 epochs.
 */
import type { TaskSchema } from "../schema.js";

export const SEQ2SEQ_SPLITS = ["tail", "random"] as const;

export const SEQ2SEQ_DEFAULTS = {
  pairs: 640,
  heldOut: 128,
  split: "tail",
  numSteps: 9,
  minFreq: 2,
  attention: false,
  embedSize: 256,
  hiddenSize: 256,
  numLayers: 2,
  dropout: 0.2,
  epochs: 30,
  batchSize: 128,
  lr: 0.005,
  clip: 1,
  seed: 0,
  beam: 1,
  lengthPenalty: 0.75,
  checkpointEvery: 10,
} as const;

export const SEQ2SEQ_SCHEMA: TaskSchema = {
  task: "seq2seq",
  summary: "translate English to French with a GRU encoder-decoder (optionally with Bahdanau attention), scored by BLEU",
  description:
    "Machine translation as in Dive into Deep Learning: the Tatoeba English-French pairs (bundled,\n" +
    "sorted short first) with the book's preprocessing, a GRU encoder and a GRU decoder that reads\n" +
    "the encoder's final state at every step (or, with --attention, additive attention over all\n" +
    "encoder states), trained with teacher forcing and a loss that ignores <pad>. After training\n" +
    "it translates the held-out pairs (greedy, or beam search with --beam) and the book's four\n" +
    "examples, and writes BLEU to results.json beside config.json, the vocabularies, metrics.jsonl,\n" +
    "loss.svg/.png, checkpoints/ and final.{json,safetensors} (with --attention also the weights of\n" +
    "\"i'm home .\" as attention.json and attention.svg/.png). Resuming a finished run with another\n" +
    "--beam or --length-penalty translates and scores it again.",
  options: [
    { name: "dataPath", flag: "--data", type: "string", defaultDoc: "data/fra-eng.txt, bundled", doc: "pairs file, one `English<TAB>French` per line", resumable: true, group: "Data" },
    { name: "pairs", flag: "--pairs", type: "integer", min: 1, default: SEQ2SEQ_DEFAULTS.pairs, doc: "pairs used: the first ones of the file", resumable: false, group: "Data" },
    { name: "heldOut", flag: "--held-out", type: "integer", min: 1, default: SEQ2SEQ_DEFAULTS.heldOut, doc: "of those, pairs held out for validation loss and BLEU", resumable: false, group: "Data" },
    { name: "split", flag: "--split", type: "choice", choices: SEQ2SEQ_SPLITS, default: SEQ2SEQ_DEFAULTS.split, doc: "held-out pairs: the last ones (the book's) or a seeded random choice", resumable: false, group: "Data" },
    { name: "numSteps", flag: "--steps", type: "integer", min: 1, max: 64, default: SEQ2SEQ_DEFAULTS.numSteps, doc: "tokens per sentence after cutting or padding (and longest translation)", resumable: false, group: "Data" },
    { name: "minFreq", flag: "--min-freq", type: "integer", min: 1, default: SEQ2SEQ_DEFAULTS.minFreq, doc: "rarer tokens become <unk>", resumable: false, group: "Data" },
    { name: "attention", flag: "--attention", type: "boolean", default: SEQ2SEQ_DEFAULTS.attention, doc: "decoder with Bahdanau (additive) attention over all encoder states", resumable: false, group: "Model" },
    { name: "embedSize", flag: "--embed", type: "integer", min: 1, max: 4096, default: SEQ2SEQ_DEFAULTS.embedSize, doc: "embedding width", resumable: false, group: "Model" },
    { name: "hiddenSize", flag: "--hidden", type: "integer", min: 1, max: 4096, default: SEQ2SEQ_DEFAULTS.hiddenSize, doc: "GRU width (encoder and decoder)", resumable: false, group: "Model" },
    { name: "numLayers", flag: "--layers", type: "integer", min: 1, max: 8, default: SEQ2SEQ_DEFAULTS.numLayers, doc: "stacked GRU layers (encoder and decoder)", resumable: false, group: "Model" },
    { name: "dropout", flag: "--dropout", type: "number", min: 0, default: SEQ2SEQ_DEFAULTS.dropout, doc: "dropout between GRU layers and on attention weights, below 1", resumable: false, group: "Model" },
    { name: "epochs", flag: "--epochs", type: "integer", min: 1, default: SEQ2SEQ_DEFAULTS.epochs, doc: "last epoch of the run", resumable: true, group: "Training" },
    { name: "batchSize", flag: "--batch-size", type: "integer", min: 1, default: SEQ2SEQ_DEFAULTS.batchSize, doc: "pairs per batch", resumable: false, group: "Training" },
    { name: "lr", flag: "--lr", type: "number", default: SEQ2SEQ_DEFAULTS.lr, doc: "Adam learning rate", resumable: false, group: "Training" },
    { name: "clip", flag: "--clip", type: "number", default: SEQ2SEQ_DEFAULTS.clip, doc: "largest global gradient norm", resumable: false, group: "Training" },
    { name: "seed", flag: "--seed", type: "integer", min: 0, max: 0xffffffff, default: SEQ2SEQ_DEFAULTS.seed, doc: "seeds the initialisation, dropout, shuffling and a random split", resumable: false, group: "Training" },
    { name: "checkpointEvery", flag: "--checkpoint-every", type: "integer", min: 1, default: SEQ2SEQ_DEFAULTS.checkpointEvery, doc: "epochs between checkpoints", resumable: true, group: "Training" },
    { name: "beam", flag: "--beam", type: "integer", min: 1, max: 64, default: SEQ2SEQ_DEFAULTS.beam, doc: "beam width of the translations (1: greedy)", resumable: true, group: "Decoding" },
    { name: "lengthPenalty", flag: "--length-penalty", type: "number", min: 0, default: SEQ2SEQ_DEFAULTS.lengthPenalty, doc: "beam search ranks by log P / length^X", resumable: true, group: "Decoding" },
  ],
};
