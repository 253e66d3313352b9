/**
 * The char LM's options, declared once (see tasks/schema.ts): `recurrent train charlm` builds
 * its flags, --help, value checks and resume check from this list, and config.json is validated
 * against it.
 */
import type { SamplerKind } from "../../data/text/loader.js";
import type { TaskSchema } from "../schema.js";
import type { CharLMConfig } from "./config.js";

/**
 * The char LM's cells: the book's three, and two LSTM variants by their registered cell names
 * (src/nn/cells/peephole-lstm.ts, layernorm-lstm.ts). "rnn" is the registry's "rnn_tanh".
 */
export type CellKind = "rnn" | "gru" | "lstm" | "peephole_lstm" | "layernorm_lstm";
export type OptimizerKind = "sgd" | "adam";

export const CELL_KINDS: readonly CellKind[] = ["rnn", "gru", "lstm", "peephole_lstm", "layernorm_lstm"];
/** Each cell's name in titles and summaries ("LSTM, 1 layer, 256 hidden"). */
export const CELL_LABELS: Readonly<Record<CellKind, string>> = {
  rnn: "RNN",
  gru: "GRU",
  lstm: "LSTM",
  peephole_lstm: "Peephole LSTM",
  layernorm_lstm: "Layer-norm LSTM",
};
export const OPTIMIZER_KINDS: readonly OptimizerKind[] = ["sgd", "adam"];
export const SAMPLER_KINDS: readonly SamplerKind[] = ["sequential", "random"];

/** The book's setting, without the text. */
export const CHARLM_DEFAULTS = {
  cell: "lstm",
  hiddenSize: 256,
  numLayers: 1,
  bidirectional: false,
  embedSize: 0,
  batchSize: 32,
  numSteps: 35,
  numEpochs: 500,
  clip: 1,
  sampler: "sequential",
  maxTokens: 10000,
  optimizer: "sgd",
  seed: 0,
  checkpointEvery: 10,
} as const satisfies Omit<CharLMConfig, "lr" | "textPath" | "textSha256">;


export const CHARLM_SCHEMA: TaskSchema = {
  task: "charlm",
  summary: "train a character language model",
  description:
    "Trains a character-level language model on a text, as in the recurrent-network chapter of\n" +
    "Dive into Deep Learning, and writes a run folder: config.json, vocab.json, metrics.jsonl,\n" +
    "perplexity.svg/.png, checkpoints/epoch-XXXX.{json,safetensors} (the last 3 kept) and\n" +
    "final.{json,safetensors}.",
  options: [
    { name: "cell", flag: "--cell", type: "choice", choices: CELL_KINDS, metavar: "lstm|gru|rnn|peephole_lstm|layernorm_lstm", default: CHARLM_DEFAULTS.cell, doc: "recurrent cell (peephole_lstm and layernorm_lstm export to PyTorch only)", resumable: false, group: "Model" },
    { name: "hiddenSize", flag: "--hidden", type: "integer", min: 1, max: 4096, default: CHARLM_DEFAULTS.hiddenSize, doc: "hidden units per layer", resumable: false, group: "Model" },
    { name: "numLayers", flag: "--layers", type: "integer", min: 1, max: 16, default: CHARLM_DEFAULTS.numLayers, doc: "stacked layers", resumable: false, group: "Model" },
    { name: "bidirectional", flag: "--bidirectional", type: "boolean", default: CHARLM_DEFAULTS.bidirectional, doc: "read the text both ways (low perplexity, useless for generation)", resumable: false, group: "Model" },
    { name: "embedSize", flag: "--embed", type: "integer", min: 0, max: 4096, default: CHARLM_DEFAULTS.embedSize, defaultDoc: "0: one-hot", doc: "learn an N-wide embedding instead of one-hot inputs", resumable: false, group: "Model" },
    { name: "textPath", flag: "--text", type: "string", defaultDoc: "data/timemachine.txt, bundled", doc: "training text", resumable: true, group: "Data" },
    { name: "maxTokens", flag: "--max-tokens", type: "integer", min: 0, max: 1000000000, default: CHARLM_DEFAULTS.maxTokens, doc: "use the first N characters; 0 for all", resumable: false, group: "Data" },
    { name: "batchSize", flag: "--batch", type: "integer", min: 1, max: 65536, default: CHARLM_DEFAULTS.batchSize, doc: "rows per minibatch", resumable: false, group: "Data" },
    { name: "numSteps", flag: "--steps", type: "integer", min: 1, max: 100000, default: CHARLM_DEFAULTS.numSteps, doc: "time steps per minibatch", resumable: false, group: "Data" },
    {
      name: "sampler",
      flag: "--sampler",
      type: "choice",
      choices: SAMPLER_KINDS,
      default: CHARLM_DEFAULTS.sampler,
      doc: "sequential carries the state across batches (truncated BPTT); random restarts it every batch",
      resumable: false,
      group: "Data",
    },
    { name: "numEpochs", flag: "--epochs", type: "integer", min: 1, max: 1000000, default: CHARLM_DEFAULTS.numEpochs, doc: "epochs", resumable: true, group: "Optimisation" },
    { name: "optimizer", flag: "--optimizer", type: "choice", choices: OPTIMIZER_KINDS, default: CHARLM_DEFAULTS.optimizer, doc: "optimiser", resumable: false, group: "Optimisation" },
    { name: "lr", flag: "--lr", type: "number", defaultDoc: "1 for sgd, 0.01 for adam", doc: "learning rate", resumable: false, group: "Optimisation" },
    { name: "clip", flag: "--clip", type: "number", default: CHARLM_DEFAULTS.clip, doc: "largest gradient norm", resumable: false, group: "Optimisation" },
    { name: "seed", flag: "--seed", type: "integer", min: 0, max: 0xffffffff, default: CHARLM_DEFAULTS.seed, doc: "seeds the initialisation and the sampler", resumable: false, group: "Optimisation" },
    { name: "checkpointEvery", flag: "--checkpoint-every", type: "integer", min: 1, max: 1000000, default: CHARLM_DEFAULTS.checkpointEvery, doc: "periodic checkpoint every N epochs", resumable: true, group: "Run" },
  ],
};

/** Config fields the task derives itself rather than taking as options. */
// vocabSha256 is written into checkpoints only: the vocabulary the weights were trained with.
export const CHARLM_DERIVED_FIELDS = ["textSha256", "vocabSha256"] as const;
