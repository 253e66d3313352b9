/**
 * The library's layers as a TF.js / Keras Sequential description (format.ts), which
 * `writeTfjsLayersModel` turns into model.json and its shard.
 *
 * Written: a Sequential (or one layer) of `KerasSimpleRNN`, `KerasLSTM`, `KerasGRU` (every
 * setting that changes what the layer computes: activations, use_bias, unit_forget_bias,
 * reset_after, return_sequences, go_backwards, stateful, dropout, recurrent_dropout,
 * implementation, unroll), `KerasBidirectional` (concat, sum, mul, ave), `KerasDense`,
 * `Embedding` (mask_zero), `Masking` and `Dropout`; the PyTorch-style `LSTM`, `GRU`, `RNN` and
 * `Linear` go through their Keras counterparts (tfjs/torch-style.ts). The model reads (B, T, ·).
 *
 * Not written, with the reason: return_state, timeMajor and Bidirectional merge mode null (a
 * Sequential passes one batch-first tensor), Keras 3's hard sigmoid (TF.js has only Keras 2's),
 * a stateful layer whose batch size is not fixed yet (TF.js needs it in the file: call the model
 * once first). Initializers, regularizers and constraints are training-time settings and are not
 * written. TF.js loads everything written except a GRU with resetAfter=true (Keras 2+'s
 * default), which TF.js refuses; the file is Keras's own layout for it, and Keras and this
 * library read it. The description's `tfjsRefuses` (and the written files' too) says so, one
 * line per such layer.
 */
import type { Layer, Module } from "../../../nn/module.js";
import { Sequential } from "../../../models/sequential.js";
import { Embedding } from "../../../nn/layers/embedding.js";
import { Masking } from "../../../nn/layers/masking.js";
import { Linear } from "../../../nn/layers/linear.js";
import { Dropout } from "../../../nn/layers/dropout.js";
import { RNNBase } from "../../../nn/layers/rnn-base.js";
import type { ActivationName } from "../../../nn/activations.js";
import { KerasBidirectional } from "../../../nn/keras/bidirectional.js";
import { KerasDense } from "../../../nn/keras/dense.js";
import { KerasRecurrent } from "../../../nn/keras/recurrent.js";
import { TfjsFormatError, type TfjsLayer, type TfjsModelDescription, type TfjsWeight } from "./format.js";
import { kerasLayersOf } from "./torch-style.js";

type Json = Record<string, unknown>;

/** TF.js's names of the activations it has; ours that are missing have no TF.js counterpart. */
const TFJS_ACTIVATION: Partial<Record<ActivationName, string>> = {
  linear: "linear",
  tanh: "tanh",
  sigmoid: "sigmoid",
  hardSigmoid: "hard_sigmoid",
  relu: "relu",
  relu6: "relu6",
  elu: "elu",
  selu: "selu",
  softplus: "softplus",
  softsign: "softsign",
  swish: "swish",
  silu: "swish",
  geluTanh: "gelu_new",
  gelu: "gelu",
};

function activation(where: string, arg: string, name: ActivationName): string {
  const tf = TFJS_ACTIVATION[name];
  if (tf === undefined) throw new TfjsFormatError(`${where}: ${arg} "${name}" has no TF.js counterpart${name === "hardSigmoidKeras3" ? " (TF.js's hard_sigmoid is Keras 2's clip(0.2x + 0.5, 0, 1))" : ""}`);
  return tf;
}

/** Unique Keras-style layer names: "lstm", "lstm_1", ... */
function namer(): (base: string) => string {
  const seen = new Map<string, number>();
  return (base) => {
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  };
}

const CLASS: Record<KerasRecurrent["kind"], [string, string]> = { simpleRNN: ["SimpleRNN", "simple_rnn"], lstm: ["LSTM", "lstm"], gru: ["GRU", "gru"] };

function recurrentConfig(k: KerasRecurrent, name: string): Json {
  const where = `modelToTfjs: ${k.describe()}`;
  const o = k.options;
  if (o.returnState || o.timeMajor) throw new TfjsFormatError(`${where}: ${o.returnState ? "returnState" : "timeMajor"} = true, but a TF.js Sequential passes one batch-first tensor`);
  const config: Json = {
    name,
    trainable: true,
    units: o.units,
    activation: activation(where, "activation", o.activation),
    use_bias: o.useBias,
    dropout: o.dropout,
    recurrent_dropout: o.recurrentDropout,
    implementation: o.implementation,
    return_sequences: o.returnSequences,
    return_state: false,
    go_backwards: o.goBackwards,
    stateful: o.stateful,
    unroll: o.unroll,
  };
  // TF.js's default gate is hard_sigmoid, so the gate is always written.
  if (k.kind !== "simpleRNN") config["recurrent_activation"] = activation(where, "recurrentActivation", o.recurrentActivation);
  if (k.kind === "lstm") config["unit_forget_bias"] = o.unitForgetBias;
  if (k.kind === "gru") config["reset_after"] = o.resetAfter;
  // Keras reads it (Keras's Bidirectional saves it on); TF.js ignores it and never zeroes.
  if (o.zeroOutputForMask) config["zero_output_for_mask"] = true;
  return config;
}

function recurrentWeights(k: KerasRecurrent, prefix: string): TfjsWeight[] {
  const names = k.weightNames();
  return k.getWeights().map((w, i) => ({ name: `${prefix}/${names[i]}`, shape: [...w.shape], data: w.data }));
}

/** One Keras-style layer as a TF.js layer; `inputDim` is what it reads, for the first layer's batch_input_shape. */
function kerasLayer(m: Layer, name: (base: string) => string): { layer: TfjsLayer; inputShape: (number | null)[] | null; batch: number | null } {
  if (m instanceof KerasRecurrent || m instanceof KerasBidirectional) {
    const inner = m instanceof KerasBidirectional ? m.forwardLayer : m;
    if (!inner.built) throw new TfjsFormatError(`modelToTfjs: ${m.describe()} is not built yet; call build(inputDim) or the model once`);
    const [cls, base] = CLASS[inner.kind];
    const inputShape = [null, inner.rnn!.inputSize];
    if (m instanceof KerasRecurrent) {
      const n = name(base);
      return { layer: { className: cls, config: recurrentConfig(m, n), weights: recurrentWeights(m, n) }, inputShape, batch: m.statefulBatchSize };
    }
    if (m.mergeMode === null) throw new TfjsFormatError(`modelToTfjs: ${m.describe()}: mergeMode null gives two outputs, which a TF.js Sequential cannot pass on`);
    const n = name("bidirectional");
    const config = recurrentConfig(m.forwardLayer, base);
    const backward = recurrentConfig(m.backwardLayer, base);
    for (const key of Object.keys(config)) {
      if (key !== "name" && JSON.stringify(config[key]) !== JSON.stringify(backward[key])) {
        throw new TfjsFormatError(`modelToTfjs: ${m.describe()}: the backward layer's ${key} (${JSON.stringify(backward[key])}) differs from the forward layer's (${JSON.stringify(config[key])}); Keras's file holds one config for both`);
      }
    }
    const weights = [...recurrentWeights(m.forwardLayer, `${n}/forward_${base}`), ...recurrentWeights(m.backwardLayer, `${n}/backward_${base}`)];
    return { layer: { className: "Bidirectional", config: { name: n, trainable: true, merge_mode: m.mergeMode, layer: { class_name: cls, config } }, weights }, inputShape, batch: null };
  }
  if (m instanceof KerasDense) {
    if (!m.built) throw new TfjsFormatError(`modelToTfjs: ${m.describe()} is not built yet; call the model once`);
    const n = name("dense");
    const [kernel, bias] = m.getWeights();
    const weights: TfjsWeight[] = [{ name: `${n}/kernel`, shape: [...kernel!.shape], data: kernel!.data }];
    if (bias !== undefined) weights.push({ name: `${n}/bias`, shape: [...bias.shape], data: bias.data });
    const config = { name: n, trainable: true, units: m.units, activation: activation(`modelToTfjs: ${m.describe()}`, "activation", m.activation), use_bias: m.useBias };
    return { layer: { className: "Dense", config, weights }, inputShape: [null, kernel!.shape[0]!], batch: null };
  }
  if (m instanceof Embedding) {
    const n = name("embedding");
    const config = { name: n, trainable: true, input_dim: m.opts.numEmbeddings, output_dim: m.opts.embeddingDim, mask_zero: m.maskZero };
    return { layer: { className: "Embedding", config, weights: [{ name: `${n}/embeddings`, shape: [m.opts.numEmbeddings, m.opts.embeddingDim], data: Float32Array.from(m.weight.data) }] }, inputShape: [null], batch: null };
  }
  if (m instanceof Masking) return { layer: { className: "Masking", config: { name: name("masking"), trainable: true, mask_value: m.maskValue }, weights: [] }, inputShape: null, batch: null };
  if (m instanceof Dropout) return { layer: { className: "Dropout", config: { name: name("dropout"), trainable: true, rate: m.p }, weights: [] }, inputShape: null, batch: null };
  throw new TfjsFormatError(`modelToTfjs: ${m.describe()} has no Keras counterpart here; written are the Keras-style recurrent layers, Bidirectional and Dense, LSTM, GRU, RNN, Linear, Embedding, Masking, Dropout`);
}

/** A TF.js description of `model` (a Sequential or one layer; see this file's comment). */
export function modelToTfjs(model: Module): TfjsModelDescription {
  const list: Module[] = model instanceof Sequential ? model.layers() : [model];
  const keras: Layer[] = list.flatMap((m, k) => (m instanceof RNNBase || m instanceof Linear ? kerasLayersOf(m, `modelToTfjs: ${m.describe()}${model instanceof Sequential ? ` (layer ${k})` : ""}`) : [m as Layer]));
  const name = namer();
  const written = keras.map((m) => kerasLayer(m, name));
  const first = written[0];
  if (first === undefined) throw new TfjsFormatError("modelToTfjs: the model has no layers");
  // Masking and Dropout keep the shape: the first layer that knows its input gives the model's.
  const inputShape = written.map((w) => w.inputShape).find((s): s is (number | null)[] => s !== null);
  if (inputShape === undefined) throw new TfjsFormatError("modelToTfjs: no layer gives the input's shape (Keras needs it in the file): add a recurrent layer, Dense or Embedding");
  // TF.js keeps a stateful layer's state per batch row, so the file fixes the batch size.
  const batches = written.filter((w) => w.layer.config["stateful"] === true || (w.layer.config["layer"] as { config?: Json } | undefined)?.config?.["stateful"] === true);
  const batch = batches.map((w) => w.batch).find((b) => b !== null) ?? null;
  if (batches.length > 0 && batch === null) throw new TfjsFormatError("modelToTfjs: a stateful layer's batch size is not fixed yet, and TF.js needs it in the file: call the model once on a batch first");
  first.layer.config["batch_input_shape"] = [batch, ...inputShape];
  const tfjsRefuses = written
    .filter((w) => (w.layer.className === "Bidirectional" ? (w.layer.config["layer"] as { config: Json }).config : w.layer.config)["reset_after"] === true)
    .map((w) => `${w.layer.config["name"] as string}: a GRU with reset_after=true (Keras 2+'s default), which TF.js cannot load; Keras and this library read it (use resetAfter: false for TF.js)`);
  return { name: "sequential", layers: written.map((w) => w.layer), tfjsRefuses };
}
