/**
 * The char LM (`RNNLM`: optional Embedding, one recurrent stack, one Linear) as the generic
 * models the interop formats read and write, and back:
 *
 * - `portableCharLM(model, "pytorch")` is a `TorchModel` with children `embedding` (when the
 *   model has one), `rnn`, `linear`: its state dict has the RNNLM's own names, which are d2l's
 *   `RNNModel` names, so model.py's `Model` is that module;
 * - `portableCharLM(model, "sequential")` is `Sequential([Embedding?, rnn, Linear])`, what the
 *   ONNX exporter takes (a one-hot model then reads float one-hot vectors (T, B, V));
 * - `charLMFromModule(module)` accepts either shape (and an RNNLM) from any importer and builds
 *   the RNNLM with the same weights, refusing with the reason what an RNNLM cannot hold.
 *
 * The portable models share the RNNLM's layers (no copy); they are views for export.
 */
import type { Layer, Module } from "../../../nn/module.js";
import { Embedding } from "../../../nn/layers/embedding.js";
import { Linear } from "../../../nn/layers/linear.js";
import { Dropout } from "../../../nn/layers/dropout.js";
import { RNNBase } from "../../../nn/layers/rnn-base.js";
import { Sequential } from "../../../models/sequential.js";
import { RNNLM } from "../../../tasks/charlm/model.js";
import type { CellKind } from "../../../tasks/charlm/config.js";
import { TorchModel } from "../pytorch/torch-model.js";

/** The model fields of a char LM's config, as read from an imported model's weights. */
export interface CharLMArchitecture {
  cell: CellKind;
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  embedSize: number;
  vocabSize: number;
}

/** The RNNLM's layers as a TorchModel (for PyTorch files) or a Sequential (for ONNX and TF.js). */
export function portableCharLM(model: RNNLM, shape: "pytorch" | "sequential"): TorchModel | Sequential {
  if (shape === "pytorch") {
    const kids: [string, Module][] = [];
    if (model.embedding !== null) kids.push(["embedding", model.embedding]);
    kids.push(["rnn", model.rnn], ["linear", model.linear]);
    return new TorchModel(kids);
  }
  const layers: Layer[] = [];
  if (model.embedding !== null) layers.push(model.embedding);
  layers.push(model.rnn, model.linear);
  return new Sequential(layers);
}

const CELLS: Record<string, CellKind> = { lstm: "lstm", gru: "gru", rnn_tanh: "rnn", peephole_lstm: "peephole_lstm", layernorm_lstm: "layernorm_lstm" };

interface Parts {
  embedding: Embedding | null;
  rnn: RNNBase;
  linear: Linear;
}

function partsOf(module: Module): Parts | string {
  if (module instanceof RNNLM) return { embedding: module.embedding, rnn: module.rnn, linear: module.linear };
  if (module instanceof TorchModel) {
    const parts = module.languageModelParts();
    return parts ?? `${module.describe()} is not one recurrent layer, one Linear and at most one Embedding`;
  }
  if (module instanceof Sequential) {
    const layers = module.layers().filter((l) => !(l instanceof Dropout));
    const [a, b, c] = layers;
    if (layers.length === 2 && a instanceof RNNBase && b instanceof Linear) return { embedding: null, rnn: a, linear: b };
    if (layers.length === 3 && a instanceof Embedding && b instanceof RNNBase && c instanceof Linear) return { embedding: a, rnn: b, linear: c };
    return `${module.describe()} is not [Embedding,] recurrent layer, Linear`;
  }
  return `${module.describe()} is a single layer, not a language model (an optional Embedding, a recurrent layer and a Linear to the vocabulary)`;
}

/**
 * Builds the RNNLM that computes what `module` computes (an imported TorchModel, Sequential or
 * RNNLM of the char LM's shape), with its weights; `where` names the file in errors. Refused,
 * with the reason: other shapes, relu RNNs, LSTM projections, layers without biases, a Linear
 * that does not map the recurrent output to as many logits as there are input tokens.
 */
export function charLMFromModule(module: Module, where: string): { model: RNNLM; architecture: CharLMArchitecture } {
  const fail = (why: string): never => {
    throw new Error(`${where}: not a char LM: ${why}`);
  };
  const parts = partsOf(module);
  if (typeof parts === "string") return fail(parts);
  const { embedding, rnn, linear } = parts;
  const cell = CELLS[rnn.cell] ?? fail(`its recurrent layer has cell "${rnn.cell}"; a char LM runs lstm, gru, rnn (tanh), peephole_lstm or layernorm_lstm`);
  if (rnn.projSize > 0) fail(`its LSTM has projSize ${rnn.projSize}; a char LM's LSTM has no projection`);
  if (!rnn.bias) fail("its recurrent layer has no biases; a char LM's layers have them");
  if (linear.bias === null) fail("its Linear has no bias; a char LM's output layer has one");
  const width = rnn.hiddenSize * rnn.numDirections;
  if (linear.inFeatures !== width) fail(`its Linear reads ${linear.inFeatures} features but the recurrent layer gives ${width}`);
  const vocabSize = linear.outFeatures;
  if (embedding !== null) {
    if (embedding.opts.numEmbeddings !== vocabSize) fail(`its Embedding has ${embedding.opts.numEmbeddings} rows but the Linear scores ${vocabSize} tokens`);
    if (embedding.opts.embeddingDim !== rnn.inputSize) fail(`its Embedding gives ${embedding.opts.embeddingDim} features but the recurrent layer reads ${rnn.inputSize}`);
  } else if (rnn.inputSize !== vocabSize) {
    fail(`its recurrent layer reads ${rnn.inputSize} features, but a one-hot char LM reads one per token and the Linear scores ${vocabSize}`);
  }
  const architecture: CharLMArchitecture = {
    cell,
    hiddenSize: rnn.hiddenSize,
    numLayers: rnn.numLayers,
    bidirectional: rnn.bidirectional,
    embedSize: embedding === null ? 0 : embedding.opts.embeddingDim,
    vocabSize,
  };
  const model = new RNNLM(architecture);
  const weights: Record<string, { shape: readonly number[]; data: Float32Array }> = {};
  const add = (prefix: string, m: Module): void => {
    for (const [name, t] of Object.entries(m.stateDict())) weights[`${prefix}.${name}`] = t;
  };
  if (embedding !== null) add("embedding", embedding);
  add("rnn", rnn);
  add("linear", linear);
  model.loadStateDict(weights);
  model.eval();
  return { model, architecture };
}
