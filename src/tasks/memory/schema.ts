/** The long-range memory task's options (see tasks/schema.ts). */
import type { TaskSchema } from "../schema.js";

export const MEMORY_DEFAULTS = {
  length: 50,
  cells: "rnn,lstm,gru",
  hiddenSize: 32,
  trainSize: 2000,
  testSize: 500,
  batchSize: 50,
  numEpochs: 10,
  lr: 0.01,
  clip: 1,
  skipExploding: false,
  explodeGain: 4,
  seed: 0,
  checkpointEvery: 5,
} as const;

export const MEMORY_SCHEMA: TaskSchema = {
  task: "memory",
  summary: "the adding problem: how far back can tanh RNN, LSTM and GRU remember?",
  description:
    "The adding problem (Hochreiter & Schmidhuber 1997) at one sequence length T: each listed cell\n" +
    "is trained (Adam, clipped) to output the sum of the two marked values of T, and scored by its\n" +
    "test MSE against the trivial 1/6 of always answering 1. Also plots the gradient norm\n" +
    "||dL/dh_t|| against t at initialisation and after training, and trains a\n" +
    "relu RNN whose recurrent weights are scaled up, with and without clipping. Writes\n" +
    "config.json, results.json, loss.svg, gradnorm.svg, exploding.svg (and .png) and one\n" +
    "sub-folder per run (metrics.jsonl, loss plot, checkpoints, final).",
  options: [
    { name: "length", flag: "--length", type: "integer", min: 1, default: MEMORY_DEFAULTS.length, doc: "sequence length T", resumable: false, group: "Data" },
    { name: "trainSize", flag: "--train-size", type: "integer", min: 1, default: MEMORY_DEFAULTS.trainSize, doc: "training sequences", resumable: false, group: "Data" },
    { name: "testSize", flag: "--test-size", type: "integer", min: 1, default: MEMORY_DEFAULTS.testSize, doc: "test sequences", resumable: false, group: "Data" },
    { name: "cells", flag: "--cells", type: "string", default: MEMORY_DEFAULTS.cells, doc: "comma-separated cells to train: rnn (tanh), lstm, gru", resumable: false, group: "Model" },
    { name: "hiddenSize", flag: "--hidden", type: "integer", min: 1, default: MEMORY_DEFAULTS.hiddenSize, doc: "hidden units", resumable: false, group: "Model" },
    { name: "skipExploding", flag: "--skip-exploding", type: "boolean", default: MEMORY_DEFAULTS.skipExploding, doc: "leave out the relu RNN with a large recurrent init (trained with and without clipping)", resumable: false, group: "Model" },
    { name: "explodeGain", flag: "--explode-gain", type: "number", default: MEMORY_DEFAULTS.explodeGain, doc: "factor on the relu RNN's initial recurrent weights", resumable: false, group: "Model" },
    { name: "batchSize", flag: "--batch", type: "integer", min: 1, default: MEMORY_DEFAULTS.batchSize, doc: "sequences per minibatch", resumable: false, group: "Optimisation" },
    { name: "numEpochs", flag: "--epochs", type: "integer", min: 1, default: MEMORY_DEFAULTS.numEpochs, doc: "epochs per run", resumable: true, group: "Optimisation" },
    { name: "lr", flag: "--lr", type: "number", default: MEMORY_DEFAULTS.lr, doc: "Adam learning rate", resumable: false, group: "Optimisation" },
    { name: "clip", flag: "--clip", type: "number", default: MEMORY_DEFAULTS.clip, doc: "largest gradient norm (the unclipped exploding run ignores it)", resumable: false, group: "Optimisation" },
    { name: "seed", flag: "--seed", type: "integer", min: 0, max: 0xffffffff, default: MEMORY_DEFAULTS.seed, doc: "seeds the data, the initialisation and the shuffling", resumable: false, group: "Optimisation" },
    { name: "checkpointEvery", flag: "--checkpoint-every", type: "integer", min: 1, default: MEMORY_DEFAULTS.checkpointEvery, doc: "periodic checkpoint every N epochs", resumable: true, group: "Run" },
  ],
};
