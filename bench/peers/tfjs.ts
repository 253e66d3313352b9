/**
 * TensorFlow.js peer for bench/run.ts: the standard workloads written as idiomatic TF.js Layers
 * code (tf.sequential, trainOnBatch, tf.train.sgd), on the `cpu` or `wasm` backend.
 * Runs as its own process so that its memory and threads do not disturb ours.
 *
 *   node --import tsx bench/peers/tfjs.ts --backend wasm [--window 5] [--only W1,W4]
 *
 * Choices that differ from the PyTorch reading of a workload, kept because they are what a
 * TF.js user writes:
 * - input is batch-first (B, T, I), the Keras layout;
 * - the dense layer is timeDistributed(dense) with a softmax, trained with categoricalCrossentropy
 *   against one-hot targets (the softmax and the loss are then two ops, not one fused one);
 * - recurrentActivation is set to "sigmoid" (the TF.js default is hardSigmoid) so that the gate
 *   math matches PyTorch's; GRU is the reset-before variant, the only one TF.js implements;
 * - recurrentInitializer is glorotUniform, not the default orthogonal: initialisation is not timed,
 *   and the orthogonal one runs a QR decomposition in plain JS that takes about 100 s per
 *   256-unit LSTM layer on the cpu backend.
 */
import * as tf from "@tensorflow/tfjs";
import { getThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { isEntryModule } from "../entry.js";
import { measure, type MeasureOptions } from "../measure.js";
import { parseBenchArgs } from "../options.js";
import { emit } from "../result.js";
import { LEARNING_RATE, denseInputSize, maskedLengths, metricValue, selectWorkloads, type Seq2SeqSpec, type Workload } from "../workloads.js";

type TfBackend = "cpu" | "wasm";

/**
 * The cpu backend runs every op in plain JS and takes seconds per training step, so a full
 * window there would take many minutes per cell: training workloads get one warm-up step and
 * at most two timed steps. The reported median then rests on 2 steps, which the table marks.
 */
export const CPU_TRAINING_CAP: Pick<MeasureOptions, "warmup" | "minSteps" | "maxSteps"> = { warmup: 1, minSteps: 1, maxSteps: 2 };

async function main(): Promise<void> {
  // Library notices go to stderr: stdout carries only the JSON-lines protocol.
  console.log = console.error;
  const options = parseBenchArgs(process.argv.slice(2));
  const backend = parseBackend(options.backend);
  const peer = `tfjs-${backend}`;
  emit({ peer, meta: await initBackend(backend) });
  for (const w of selectWorkloads(options.only)) {
    const measureOptions = backend === "cpu" && w.training ? { ...options.measure, ...CPU_TRAINING_CAP } : options.measure;
    try {
      const { step, dispose } = buildStep(w);
      const m = await measure(step, measureOptions);
      dispose();
      emit({ peer, workload: w.id, metric: w.metric, value: metricValue(w, m.medianMs / 1000), higherIsBetter: w.higherIsBetter, steps: m.steps, medianMs: m.medianMs, peakRssMiB: m.peakRssMiB, cpuShare: m.cpuShare });
    } catch (e) {
      emit({ peer, workload: w.id, error: e instanceof Error ? e.message : String(e) });
    }
  }
}

function parseBackend(name: string | null): TfBackend {
  if (name === "cpu" || name === "wasm") return name;
  throw new Error(`bench/peers/tfjs: --backend must be "cpu" or "wasm", got ${name === null ? "nothing" : `"${name}"`}`);
}

/**
 * Selects the backend and reports which wasm binary it loaded. In Node, tfjs-backend-wasm
 * reports no multithread support (its feature flag is hard-wired off there), so it loads the
 * SIMD single-threaded binary; forcing the threaded binary fails because its pthread workers are
 * started from blob: URLs, which Node's worker_threads refuses.
 */
async function initBackend(backend: TfBackend): Promise<Record<string, string>> {
  const meta: Record<string, string> = { tfjs: tf.version.tfjs, backend };
  if (backend === "wasm") {
    const dist = dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm"));
    setWasmPaths(`${dist}/`);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`bench/peers/tfjs: backend "${backend}" failed to initialise`);
  await tf.ready();
  if (backend === "wasm") {
    const simd = (await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")) === true;
    const threads = (await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT")) === true;
    meta.simd = String(simd);
    meta.multithread = String(threads);
    meta.threads = String(getThreadsCount());
    meta.binary = simd ? (threads ? "tfjs-backend-wasm-threaded-simd.wasm" : "tfjs-backend-wasm-simd.wasm") : "tfjs-backend-wasm.wasm";
  }
  return meta;
}

function recurrentLayer(w: Workload, first: boolean): tf.layers.Layer {
  const shape = first ? { inputShape: [w.seqLen, w.inputSize] } : {};
  const common = { units: w.hiddenSize, returnSequences: true, recurrentInitializer: "glorotUniform" } as const;
  if (w.bidirectional) {
    const inner = tf.layers.lstm({ ...common, recurrentActivation: "sigmoid" });
    return tf.layers.bidirectional({ layer: inner, mergeMode: "concat", ...shape });
  }
  switch (w.cell) {
    case "lstm":
      return tf.layers.lstm({ ...common, recurrentActivation: "sigmoid", ...shape });
    case "gru":
      return tf.layers.gru({ ...common, recurrentActivation: "sigmoid", ...shape });
    case "rnn":
      return tf.layers.simpleRNN({ ...common, activation: "tanh", ...shape });
  }
}

export interface Step {
  step: () => Promise<unknown> | unknown;
  dispose: () => void;
}

/**
 * W6 as a Keras user writes it: embedding with maskZero (id 0 pads), a bidirectional LSTM that
 * returns its last output (the final state of each direction, masked steps skipped), a softmax
 * dense layer and categoricalCrossentropy; batch-first ids (B, T).
 */
function buildMaskedStep(w: Workload): Step {
  const spec = w.masked!;
  const { seqLen: T, batch: B } = w;
  const lengths = maskedLengths(w);
  const ids = new Int32Array(B * T);
  for (let b = 0; b < B; b++) for (let t = 0; t < lengths[b]!; t++) ids[b * T + t] = 1 + Math.floor(Math.random() * (spec.vocab - 1));
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: spec.vocab, outputDim: w.inputSize, maskZero: true, inputLength: T }));
  const lstm = tf.layers.lstm({ units: w.hiddenSize, recurrentActivation: "sigmoid", recurrentInitializer: "glorotUniform" });
  model.add(w.bidirectional ? tf.layers.bidirectional({ layer: lstm, mergeMode: "concat" }) : lstm);
  model.add(tf.layers.dense({ units: w.outputSize, activation: "softmax" }));
  model.compile({ optimizer: tf.train.sgd(LEARNING_RATE), loss: "categoricalCrossentropy" });
  const x = tf.tensor2d(ids, [B, T], "int32");
  const y = tf.oneHot(tf.randomUniform([B], 0, w.outputSize, "int32"), w.outputSize).toFloat();
  return trainingStep(model, x, y);
}

/** One trainOnBatch per step; it resolves once the loss value has been read back, so the step is complete. */
function trainingStep(model: tf.Sequential, x: tf.Tensor, y: tf.Tensor): Step {
  return {
    step: () => model.trainOnBatch(x, y),
    dispose: () => {
      x.dispose();
      y.dispose();
      model.dispose();
    },
  };
}

/**
 * W7 in TF.js Layers, called eagerly inside an optimizer step: a functional model
 * (tf.model) cannot train a GRU given `initialState`, since its executor passes the state both
 * as an input and in the call's arguments and the GRU refuses that ("When inputs is an array,
 * neither initialState or constants should be provided"). So the layers are applied to tensors
 * and `adam.minimize` takes the step:
 * - encoder: embedding with maskZero, whose mask each GRU layer gets, so that every layer returns
 *   (returnState) the state of its source's last real token, as ours does;
 * - decoder: its embedding concatenated with the top encoder state repeated over the steps, GRU
 *   layers started from the encoder's states (initialState), a dense layer to the logits;
 * - dropout between layers is the GRUs' input dropout on every layer after the first;
 * - the loss is tf.losses.softmaxCrossEntropy weighted by the target mask (its default
 *   reduction divides by the real tokens' count: the masked mean).
 */
function buildSeq2SeqStep(w: Workload, spec: Seq2SeqSpec): Step {
  const { seqLen: T, batch: B, inputSize: E, hiddenSize: H, numLayers: L, outputSize: V } = w;
  const gru = (layer: number, returnState: boolean): tf.layers.RNN =>
    tf.layers.gru({ units: H, returnSequences: true, returnState, recurrentActivation: "sigmoid", recurrentInitializer: "glorotUniform", dropout: layer > 0 ? spec.dropout : 0 });
  const sourceEmbedding = tf.layers.embedding({ inputDim: spec.sourceVocab, outputDim: E, maskZero: true });
  const encoder = Array.from({ length: L }, (_, l) => gru(l, true));
  const targetEmbedding = tf.layers.embedding({ inputDim: V, outputDim: E });
  const decoder = Array.from({ length: L }, (_, l) => gru(l, false));
  const dense = tf.layers.dense({ units: V });
  const forward = (src: tf.Tensor, tgtIn: tf.Tensor): tf.Tensor => {
    const mask = sourceEmbedding.computeMask(src) as tf.Tensor;
    let enc = sourceEmbedding.apply(src) as tf.Tensor;
    const states: tf.Tensor[] = [];
    for (const layer of encoder) {
      const [seq, state] = layer.apply(enc, { mask, training: true }) as tf.Tensor[];
      enc = seq!;
      states.push(state!);
    }
    const context = tf.layers.repeatVector({ n: T }).apply(states[L - 1]!) as tf.Tensor;
    let dec = tf.concat([targetEmbedding.apply(tgtIn) as tf.Tensor, context], 2);
    decoder.forEach((layer, l) => (dec = layer.apply(dec, { initialState: [states[l]!], training: true }) as tf.Tensor));
    return dense.apply(dec) as tf.Tensor;
  };

  const lengths = maskedLengths(w);
  const src = new Int32Array(B * T);
  const dst = new Int32Array(B * T);
  const labels = new Int32Array(B * T);
  const randomId = (vocab: number): number => 1 + Math.floor(Math.random() * (vocab - 1));
  for (let b = 0; b < B; b++) {
    // The decoder reads a start token, then the target shifted by one step.
    dst[b * T] = randomId(V);
    for (let t = 0; t < lengths[b]!; t++) {
      src[b * T + t] = randomId(spec.sourceVocab);
      labels[b * T + t] = randomId(V);
      if (t + 1 < T) dst[b * T + t + 1] = labels[b * T + t]!;
    }
  }
  const srcIds = tf.tensor2d(src, [B, T], "int32");
  const tgtIds = tf.tensor2d(dst, [B, T], "int32");
  const y = tf.oneHot(tf.tensor2d(labels, [B, T], "int32"), V);
  const weights = tf.tensor2d(labels.map((id) => (id === 0 ? 0 : 1)), [B, T], "float32");
  // One forward builds the layers, so that their variables exist for the optimizer's list.
  tf.tidy(() => forward(srcIds, tgtIds));
  const variables = [sourceEmbedding, ...encoder, targetEmbedding, ...decoder, dense].flatMap((layer) => layer.trainableWeights.map((v) => v.read() as tf.Variable));
  const optimizer = tf.train.adam(spec.lr);
  return {
    // The step ends once the loss has been read back, so its work is complete.
    step: () => {
      const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, forward(srcIds, tgtIds), weights) as tf.Scalar, true, variables);
      loss?.dataSync();
      loss?.dispose();
    },
    dispose: () => {
      tf.dispose([srcIds, tgtIds, y, weights, ...variables]);
      optimizer.dispose();
    },
  };
}

export function buildStep(w: Workload): Step {
  if (w.masked !== undefined) return buildMaskedStep(w);
  if (w.seq2seq !== undefined) return buildSeq2SeqStep(w, w.seq2seq);
  const model = tf.sequential();
  for (let l = 0; l < w.numLayers; l++) model.add(recurrentLayer(w, l === 0));
  const x = w.loss === "cross-entropy" ? tf.oneHot(tf.randomUniform([w.batch, w.seqLen], 0, w.inputSize, "int32"), w.inputSize).toFloat() : tf.randomNormal([w.batch, w.seqLen, w.inputSize]);

  if (!w.training) {
    return {
      // predict runs without a gradient tape; dataSync waits for the result.
      step: () => {
        const y = model.predict(x);
        for (const t of Array.isArray(y) ? y : [y]) {
          t.dataSync();
          t.dispose();
        }
      },
      dispose: () => {
        x.dispose();
        model.dispose();
      },
    };
  }

  const ce = w.loss === "cross-entropy";
  model.add(tf.layers.timeDistributed({ layer: tf.layers.dense({ units: w.outputSize, activation: ce ? "softmax" : "linear", inputDim: denseInputSize(w) }) }));
  model.compile({ optimizer: tf.train.sgd(LEARNING_RATE), loss: ce ? "categoricalCrossentropy" : "meanSquaredError" });
  const y = ce ? tf.oneHot(tf.randomUniform([w.batch, w.seqLen], 0, w.outputSize, "int32"), w.outputSize).toFloat() : tf.randomNormal([w.batch, w.seqLen, w.outputSize]);
  return trainingStep(model, x, y);
}

if (isEntryModule(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  });
}
