/**
 * The bridge between the PyTorch-style layers (`LSTM`, `GRU`, `RNN`, `Linear`) and the
 * Keras-style ones, for the TF.js files (which hold Keras layers only):
 *
 * - `kerasLayersOf(layer)`: a PyTorch-style recurrent layer or Linear as the Keras layers that
 *   compute the same function, sharing no storage (a stacked layer becomes one Keras layer per
 *   level, with Dropout between levels when it has inter-layer dropout; a bidirectional one a
 *   concat Bidirectional; LSTM's and RNN's two biases are summed into Keras's one). What the
 *   writer uses for them, so there is one path to the file.
 * - `torchStyleModel(model)`: a Sequential of Keras-style layers as PyTorch-style ones where that
 *   is exact (what the char LM import needs): sequence-returning recurrent layers with tanh (or
 *   relu for SimpleRNN), sigmoid gates, GRU reset_after, no goBackwards, stateful, dropout or
 *   masks; concat Bidirectionals; linear Dense. Other layers pass through.
 */
import type { Layer } from "../../../nn/module.js";
import { Sequential } from "../../../models/sequential.js";
import { Linear } from "../../../nn/layers/linear.js";
import { Dropout } from "../../../nn/layers/dropout.js";
import { Embedding } from "../../../nn/layers/embedding.js";
import { RNNBase } from "../../../nn/layers/rnn-base.js";
import { GRU, LSTM, RNN } from "../../../nn/layers/rnn.js";
import { KerasGRU, KerasLSTM, KerasSimpleRNN } from "../../../nn/keras/layers.js";
import { KerasBidirectional } from "../../../nn/keras/bidirectional.js";
import { KerasDense } from "../../../nn/keras/dense.js";
import { KerasRecurrent } from "../../../nn/keras/recurrent.js";
import { convertGateBias, kerasKernelToPytorch, pytorchWeightToKeras, type KerasCell } from "../gate-order.js";
import { TfjsFormatError } from "./format.js";

type Entry = { shape: number[]; data: Float32Array };

/** (rows, cols) row-major → (cols, rows). */
function transposed(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c]!;
  return out;
}

/** One level and direction of a PyTorch-style layer as a Keras layer with its weights. */
function kerasDirection(layer: RNNBase, cell: KerasCell, level: number, reverse: boolean): KerasRecurrent {
  const H = layer.hiddenSize;
  const G = layer.spec.gatesPerUnit * H;
  const I = level === 0 ? layer.inputSize : layer.numDirections * H;
  const sd = layer.stateDict();
  const sfx = `_l${level}${reverse ? "_reverse" : ""}`;
  const get = (n: string): Float32Array => sd[n]!.data;
  // Zeros initializers: the weights are set right below (the orthogonal draw costs seconds at H = 512).
  const common = { units: H, returnSequences: true, useBias: layer.bias, inputDim: I, kernelInitializer: "zeros", recurrentInitializer: "zeros", biasInitializer: "zeros" };
  const keras = cell === "lstm" ? new KerasLSTM({ ...common, recurrentActivation: "sigmoid" }) : cell === "gru" ? new KerasGRU({ ...common, recurrentActivation: "sigmoid", resetAfter: true }) : new KerasSimpleRNN({ ...common, activation: cell === "rnn_relu" ? "relu" : "tanh" });
  const weights: Entry[] = [
    { shape: [I, G], data: pytorchWeightToKeras(cell, get(`weight_ih${sfx}`), G, I) },
    { shape: [H, G], data: pytorchWeightToKeras(cell, get(`weight_hh${sfx}`), G, H) },
  ];
  if (layer.bias) {
    const bih = convertGateBias(cell, "pytorch", "keras", get(`bias_ih${sfx}`));
    const bhh = convertGateBias(cell, "pytorch", "keras", get(`bias_hh${sfx}`));
    weights.push(cell === "gru" ? { shape: [2, G], data: Float32Array.from([...bih, ...bhh]) } : { shape: [G], data: Float32Array.from(bih, (v, k) => v + bhh[k]!) });
  }
  keras.setWeights(weights);
  return keras;
}

/** A PyTorch-style recurrent layer or Linear as Keras-style layers (see this file's comment); `where` names it in errors. */
export function kerasLayersOf(layer: RNNBase | Linear, where: string): Layer[] {
  if (layer instanceof Linear) {
    const dense = new KerasDense({ units: layer.outFeatures, useBias: layer.bias !== null, inputDim: layer.inFeatures });
    const w: Entry[] = [{ shape: [layer.inFeatures, layer.outFeatures], data: transposed(layer.weight.data, layer.outFeatures, layer.inFeatures) }];
    if (layer.bias !== null) w.push({ shape: [layer.outFeatures], data: Float32Array.from(layer.bias.data) });
    dense.setWeights(w);
    return [dense];
  }
  const cell = layer.cell;
  if (cell !== "lstm" && cell !== "gru" && cell !== "rnn_tanh" && cell !== "rnn_relu") throw new TfjsFormatError(`${where}: cell "${cell}" has no Keras layer; written are lstm, gru, rnn_tanh and rnn_relu`);
  if (layer.projSize > 0) throw new TfjsFormatError(`${where}: projSize = ${layer.projSize}, but Keras's LSTM has no projection`);
  const out: Layer[] = [];
  for (let l = 0; l < layer.numLayers; l++) {
    const forward = kerasDirection(layer, cell, l, false);
    out.push(layer.bidirectional ? new KerasBidirectional(forward, { mergeMode: "concat", backwardLayer: kerasDirection(layer, cell, l, true) }) : forward);
    if (l < layer.numLayers - 1 && layer.dropout > 0) out.push(new Dropout({ p: layer.dropout }));
  }
  return out;
}

/** Why a Keras recurrent layer has no exact PyTorch-style counterpart, or null when it has one. */
function notTorchStyle(k: KerasRecurrent): string | null {
  const o = k.options;
  if (!o.returnSequences || o.goBackwards || o.stateful || o.returnState || o.timeMajor) return "it must return sequences, without goBackwards, stateful, returnState or timeMajor";
  if (o.dropout > 0 || o.recurrentDropout > 0) return "it has dropout";
  if (k.kind === "simpleRNN") return o.activation === "tanh" || o.activation === "relu" ? null : `activation ${o.activation}`;
  if (o.activation !== "tanh" || o.recurrentActivation !== "sigmoid") return `activations ${o.activation}/${o.recurrentActivation} (tanh/sigmoid are)`;
  return k.kind === "gru" && !o.resetAfter ? "a reset-before GRU" : null;
}

/** The PyTorch-style layer for Keras layers `dirs` (one, or forward and backward). */
function torchRecurrent(dirs: KerasRecurrent[]): LSTM | GRU | RNN {
  const first = dirs[0]!;
  const I = first.rnn!.inputSize;
  const opts = { inputSize: I, hiddenSize: first.units, bias: first.options.useBias, bidirectional: dirs.length === 2, batchFirst: true };
  const layer = first.kind === "lstm" ? new LSTM(opts) : first.kind === "gru" ? new GRU(opts) : new RNN({ ...opts, nonlinearity: first.options.activation === "relu" ? "relu" : "tanh" });
  const cell = layer.cell as KerasCell;
  const G = layer.spec.gatesPerUnit * first.units;
  const state: Record<string, Entry> = {};
  dirs.forEach((k, d) => {
    const sfx = `_l0${d === 1 ? "_reverse" : ""}`;
    const [kernel, recurrent, bias] = k.getWeights();
    state[`weight_ih${sfx}`] = { shape: [G, I], data: kerasKernelToPytorch(cell, kernel!.data, I, G) };
    state[`weight_hh${sfx}`] = { shape: [G, k.units], data: kerasKernelToPytorch(cell, recurrent!.data, k.units, G) };
    if (bias !== undefined) {
      state[`bias_ih${sfx}`] = { shape: [G], data: convertGateBias(cell, "keras", "pytorch", bias.data.subarray(0, G)) };
      state[`bias_hh${sfx}`] = { shape: [G], data: cell === "gru" ? convertGateBias(cell, "keras", "pytorch", bias.data.subarray(G)) : new Float32Array(G) };
    }
  });
  layer.loadStateDict(state);
  return layer;
}

/** `model`'s Keras-style layers as PyTorch-style ones where exact (see this file's comment); `where` names the model in errors. */
export function torchStyleModel(model: Sequential, where: string): Sequential {
  const layers = model.layers().map((m, k): Layer => {
    const fail = (why: string): never => {
      throw new TfjsFormatError(`${where}: layer ${k} (${m.describe()}) has no PyTorch-style counterpart: ${why}`);
    };
    if ((m instanceof KerasBidirectional || m instanceof KerasRecurrent || m instanceof KerasDense) && !m.built) fail("it is not built yet");
    if (m instanceof KerasBidirectional) {
      if (m.mergeMode !== "concat") fail(`mergeMode ${String(m.mergeMode)} (the PyTorch-style layers concatenate)`);
      const why = notTorchStyle(m.forwardLayer) ?? notTorchStyle(m.backwardLayer);
      return why === null ? torchRecurrent([m.forwardLayer, m.backwardLayer]) : fail(why);
    }
    if (m instanceof KerasLSTM || m instanceof KerasGRU || m instanceof KerasSimpleRNN) {
      const why = notTorchStyle(m);
      return why === null ? torchRecurrent([m]) : fail(why);
    }
    if (m instanceof KerasDense) {
      if (m.activation !== "linear") fail(`activation ${m.activation}`);
      const [kernel, bias] = m.getWeights();
      const [I, O] = kernel!.shape as [number, number];
      const linear = new Linear({ inFeatures: I, outFeatures: O, bias: bias !== undefined });
      const state: Record<string, Entry> = { weight: { shape: [O, I], data: transposed(kernel!.data, I, O) } };
      if (bias !== undefined) state["bias"] = { shape: [O], data: bias.data };
      linear.loadStateDict(state);
      return linear;
    }
    if (m instanceof Embedding && m.maskZero) fail("mask_zero (masks are not carried by the PyTorch-style layers)");
    return m as Layer;
  });
  return new Sequential(layers);
}
