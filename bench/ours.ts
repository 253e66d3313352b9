/**
 * Our runner for bench/run.ts: the standard workloads written with the public API of
 * `recurrent`, exactly as a user would write them. Runs as its own process, like the peers.
 *
 *   node --conditions=source --import tsx bench/ours.ts [--backend wasm|reference] [--window 5] [--only W1]
 */
import { createWasmBackend, Adam, Embedding, Linear, LSTM, GRU, RNN, SGD, Seq2Seq, crossEntropy, getBackend, manualSeed, mseLoss, noGrad, oneHot, setBackend, tensor, Generator, type Tensor } from "recurrent";
import { isEntryModule } from "./entry.js";
import { measure } from "./measure.js";
import { parseBenchArgs } from "./options.js";
import { emit } from "./result.js";
import { LEARNING_RATE, denseInputSize, maskedLengths, metricValue, selectWorkloads, type Seq2SeqSpec, type Workload } from "./workloads.js";

/** The runner name in the results: "ours" single-threaded, "ours-2t" with two worker threads. */
const PEER = "ours";

async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2));
  const backend = options.backend ?? "wasm";
  if (backend !== "wasm" && backend !== "reference") throw new Error(`bench/ours: --backend must be "wasm" or "reference", got "${backend}"`);
  const threads = options.threads[0] ?? 1;
  setBackend(backend === "wasm" ? createWasmBackend({ threads }) : backend);
  const peer = threads > 1 ? `ours-${threads}t` : PEER;
  manualSeed(0);
  const meta: Record<string, string> = { backend: getBackend().name, node: process.version };
  meta.threads = String(threads);
  if (backend === "wasm") meta.gemmPeakGflops = gemmPeakGflops().toFixed(1);
  emit({ peer, meta });
  for (const w of selectWorkloads(options.only)) {
    try {
      const m = await measure(buildStep(w), options.measure);
      emit({ peer, workload: w.id, metric: w.metric, value: metricValue(w, m.medianMs / 1000), higherIsBetter: w.higherIsBetter, steps: m.steps, medianMs: m.medianMs, peakRssMiB: m.peakRssMiB, cpuShare: m.cpuShare });
    } catch (e) {
      emit({ peer, workload: w.id, error: e instanceof Error ? e.message : String(e) });
    }
  }
}

/**
 * The GEMM kernel's peak on this backend, in GFLOP/s: the best of 5 products (1024, 1024) ·
 * (1024, 1024) through backend.gemm, so on every thread of the backend; the efficiency column's
 * denominator, measured in the same run as the workloads.
 */
export function gemmPeakGflops(): number {
  const n = 1024;
  const rng = new Generator(3);
  const A = Float32Array.from({ length: n * n }, () => rng.uniformRange(-1, 1));
  const B = Float32Array.from({ length: n * n }, () => rng.uniformRange(-1, 1));
  const C = new Float32Array(n * n);
  const gemm = () => getBackend().gemm(false, false, n, n, n, A, B, C, false);
  gemm();
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    gemm();
    best = Math.min(best, performance.now() - t0);
  }
  return (2 * n * n * n) / (best / 1000) / 1e9;
}

/** The recurrent part of a workload as one function of the input, plus its parameters. */
interface Recurrent {
  forward: (x: Tensor) => Tensor;
  parameters: Tensor[];
}

function recurrent(w: Workload): Recurrent {
  const common = { inputSize: w.inputSize, hiddenSize: w.hiddenSize, numLayers: w.numLayers, bidirectional: w.bidirectional };
  switch (w.cell) {
    case "lstm": {
      const m = new LSTM(common);
      return { forward: (x) => m.forward(x)[0], parameters: [...m.parameters()] };
    }
    case "gru": {
      const m = new GRU(common);
      return { forward: (x) => m.forward(x)[0], parameters: [...m.parameters()] };
    }
    case "rnn": {
      const m = new RNN({ ...common, nonlinearity: "tanh" });
      return { forward: (x) => m.forward(x)[0], parameters: [...m.parameters()] };
    }
  }
}

/** Fixed random data for one workload: (T, B, I) input and the loss target. */
function data(w: Workload): { x: Tensor; classes: Int32Array; values: Tensor } {
  const rng = new Generator(1);
  const { seqLen: T, batch: B, inputSize: I } = w;
  const randomInts = (n: number, hi: number): Int32Array => Int32Array.from({ length: n }, () => rng.randint(0, hi));
  const randomNormals = (n: number): Float32Array => Float32Array.from({ length: n }, () => rng.normal());
  const x = w.loss === "cross-entropy" ? oneHot(randomInts(T * B, I), I, [T, B]) : tensor(randomNormals(T * B * I), [T, B, I]);
  const out = Math.max(w.outputSize, 1);
  return { x, classes: randomInts(T * B, out), values: tensor(randomNormals(T * B * out), [T * B, out]) };
}

/**
 * A masked classifier step (W6): padded token ids (T, B) through an embedding, the LSTM with the
 * sequences' lengths (PyTorch's pack_padded_sequence semantics), the dense layer on the final
 * hidden states of both directions.
 */
function buildMaskedStep(w: Workload): () => void {
  const spec = w.masked!;
  const rng = new Generator(1);
  const { seqLen: T, batch: B, hiddenSize: H } = w;
  const lengths = maskedLengths(w);
  const ids = new Int32Array(T * B);
  for (let b = 0; b < B; b++) for (let t = 0; t < lengths[b]!; t++) ids[t * B + b] = rng.randint(1, spec.vocab);
  const classes = Int32Array.from({ length: B }, () => rng.randint(0, w.outputSize));
  const embedding = new Embedding({ numEmbeddings: spec.vocab, embeddingDim: w.inputSize, paddingIdx: 0 });
  const lstm = new LSTM({ inputSize: w.inputSize, hiddenSize: H, numLayers: w.numLayers, bidirectional: w.bidirectional });
  const D = w.bidirectional ? 2 : 1;
  const dense = new Linear({ inFeatures: D * H, outFeatures: w.outputSize });
  const opt = new SGD([...embedding.parameters(), ...lstm.parameters(), ...dense.parameters()], { lr: LEARNING_RATE });
  return () => {
    opt.zeroGrad();
    const [, [hN]] = lstm.forward(embedding.forward(ids, [T, B]), null, { lengths });
    // hN (D·L, B, H): the last layer's directions, side by side per sequence.
    const last = hN.slice(0, hN.shape[0]! - D, hN.shape[0]!).transpose(0, 1).reshape([B, D * H]);
    crossEntropy(dense.forward(last), classes).backward();
    opt.step();
  };
}

/**
 * The encoder–decoder step (W7), as the translation task trains (src/tasks/seq2seq/train.ts's
 * seq2seqStep): the task's `Seq2Seq` on time-major ids, the encoder reading each source up to its
 * length, teacher forcing, cross-entropy that ignores the padding, Adam. The task also clips the
 * gradient norm at 1; no runner does here, since TF.js's Layers optimizers have no clipping.
 */
function buildSeq2SeqStep(w: Workload, spec: Seq2SeqSpec): () => void {
  const rng = new Generator(1);
  const { seqLen: T, batch: B } = w;
  const lengths = maskedLengths(w);
  const src = new Float32Array(T * B);
  const tgtIn = new Float32Array(T * B);
  const labels = new Int32Array(T * B);
  for (let b = 0; b < B; b++) {
    // The decoder reads a start token, then the target shifted by one step.
    tgtIn[b] = rng.randint(1, w.outputSize);
    for (let t = 0; t < lengths[b]!; t++) {
      src[t * B + b] = rng.randint(1, spec.sourceVocab);
      labels[t * B + b] = rng.randint(1, w.outputSize);
      if (t + 1 < T) tgtIn[(t + 1) * B + b] = labels[t * B + b]!;
    }
  }
  const srcIds = tensor(src, [T, B]);
  const tgtIds = tensor(tgtIn, [T, B]);
  const model = new Seq2Seq({ sourceVocab: spec.sourceVocab, targetVocab: w.outputSize, embedSize: w.inputSize, hiddenSize: w.hiddenSize, numLayers: w.numLayers, dropout: spec.dropout });
  model.train();
  const opt = new Adam(model.parameters(), { lr: spec.lr });
  return () => {
    opt.zeroGrad();
    const logits = model.forward(srcIds, lengths, tgtIds);
    crossEntropy(logits.reshape([T * B, w.outputSize]), labels, { ignoreIndex: 0 }).backward();
    opt.step();
  };
}

export function buildStep(w: Workload): () => void {
  if (w.masked !== undefined) return buildMaskedStep(w);
  if (w.seq2seq !== undefined) return buildSeq2SeqStep(w, w.seq2seq);
  const rnn = recurrent(w);
  const { x, classes, values } = data(w);
  const N = w.seqLen * w.batch;
  if (!w.training) {
    return () => {
      const out = noGrad(() => rnn.forward(x));
      // Reading the output makes sure a lazy backend has finished the work being timed.
      if (!Number.isFinite(out.data[0])) throw new Error(`bench/ours ${w.id}: inference produced ${out.data[0]}`);
    };
  }
  const dense = new Linear({ inFeatures: denseInputSize(w), outFeatures: w.outputSize });
  const opt = new SGD([...rnn.parameters, ...dense.parameters()], { lr: LEARNING_RATE });
  return () => {
    opt.zeroGrad();
    const pred = dense.forward(rnn.forward(x).reshape([N, denseInputSize(w)]));
    const loss = w.loss === "cross-entropy" ? crossEntropy(pred, classes) : mseLoss(pred, values);
    loss.backward();
    opt.step();
  };
}

if (isEntryModule(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  });
}
