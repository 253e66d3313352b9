/**
 * Micro-benchmark of the wasm backend's kernels at each thread count: GEMM throughput (the raw
 * kernel on data already in linear memory, and backend.gemm with its copies), one W1-shaped LSTM
 * layer training step (T = 35, B = 32, I = 28, H = 256: forward with cache, then backward with
 * every gradient), and whole training steps of the W1 and W5 models written with the public API
 * exactly as bench/ours.ts writes them.
 *
 *   node --conditions=source --import tsx bench/wasm-kernels.ts [--reps 20] [--threads 1,2] [--reference]
 *
 * --threads lists the thread counts to compare (default 1,2). --reference also times the
 * reference backend on the LSTM step (slow: seconds).
 */
import { parseArgs } from "node:util";
import { Linear, LSTM, SGD, crossEntropy, mseLoss, oneHot, setBackend, tensor, manualSeed, type Tensor } from "recurrent";
import type { Backend, RecurrentBackwardArgs, RecurrentForwardArgs } from "../src/backends/backend.js";
import { referenceBackend } from "../src/backends/reference/index.js";
import { Arena } from "../src/backends/wasm/arena.js";
import { createWasmBackend, type WasmBackend } from "../src/backends/wasm/index.js";
import { compileKernels, instantiateKernels, type KernelExports } from "../src/backends/wasm/module.js";
import { Generator } from "../src/tensor/random.js";
import { LEARNING_RATE, WORKLOADS, denseInputSize, type Workload } from "./workloads.js";

const { values } = parseArgs({
  options: { reps: { type: "string", default: "20" }, threads: { type: "string", default: "1,2" }, reference: { type: "boolean", default: false } },
});
const reps = Number(values.reps);
const threadCounts = values.threads.split(",").map(Number);
if (!threadCounts.every((n) => Number.isInteger(n) && n >= 1)) throw new Error(`bench/wasm-kernels: --threads must list positive integers, got "${values.threads}"`);
const rng = new Generator(7);

function random(n: number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniformRange(-scale, scale);
  return a;
}

/** Median and minimum milliseconds of `n` timed runs after two untimed ones. */
function time(fn: () => void, n: number): { median: number; min: number } {
  fn();
  fn();
  const ts: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return { median: ts[ts.length >> 1]!, min: ts[0]! };
}

const fmt = (ms: number): string => ms.toFixed(2).padStart(8);
const gflops = (flops: number, ms: number): string => (flops / ms / 1e6).toFixed(1).padStart(6);
const row = (label: string): string => `  ${label.padEnd(46)}`;

const backends = new Map<number, WasmBackend>(threadCounts.map((n) => [n, createWasmBackend({ threads: n })]));
for (const [n, b] of backends) if (b.threads !== n) console.log(`(${n} threads asked, ${b.threads} running: worker threads are unavailable)`);

// Raw GEMM kernel: operands already in linear memory, B packed inside the call; one thread, on
// the module with its own memory and on the shared-memory build that threads use.
const builds: [string, KernelExports][] = [
  ["own memory", instantiateKernels(compileKernels())],
  ["shared memory", instantiateKernels(compileKernels("shared"), new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true }))],
];
console.log("GEMM kernel, 1 thread (operands in wasm memory)  median ms   GFLOP/s (median, best)");
for (const [M, N, K] of [[256, 1024, 256], [1024, 1024, 1024], [32, 1024, 256]] as const) {
  for (const [tA, tB] of [[0, 0], [0, 1], [1, 0]] as const) {
    for (const [build, kernels] of builds) {
      const arena = new Arena(kernels.memory);
      arena.reset(kernels.heapBase());
      const a = arena.alloc(M * K);
      const b = arena.alloc(K * N);
      const c = arena.alloc(M * N);
      const packed = arena.alloc(kernels.packedBFloats(K, N));
      const work = arena.alloc(kernels.gemmWorkFloats());
      const f = arena.view();
      f.set(random(M * K), a / 4);
      f.set(random(K * N), b / 4);
      const t = time(() => kernels.gemm(tA, tB, M, N, K, a, tA ? M : K, b, tB ? K : N, c, N, 0, 0, packed, work), M * N * K > 1e8 ? Math.max(3, reps >> 2) : reps * 5);
      const label = `${M}x${N}x${K} ${tA ? "T" : "N"}${tB ? "T" : "N"}, ${build}`;
      console.log(`${row(label)} ${fmt(t.median)}   ${gflops(2 * M * N * K, t.median)} ${gflops(2 * M * N * K, t.min)}`);
    }
  }
}

console.log("backend.gemm (copies in and out included)         median ms   GFLOP/s (median, best)");
for (const [M, N, K, tB] of [[256, 1024, 256, true], [1024, 1024, 1024, true], [32, 1024, 256, false], [1120, 1024, 28, true]] as const) {
  const A = random(M * K);
  const B = random(K * N);
  const C = new Float32Array(M * N);
  for (const [threads, backend] of backends) {
    const t = time(() => backend.gemm(false, tB, M, N, K, A, B, C, false), M * N * K > 1e8 ? Math.max(3, reps >> 2) : reps * 5);
    const label = `${M}x${N}x${K} N${tB ? "T" : "N"}, ${threads} thread${threads > 1 ? "s" : ""}`;
    console.log(`${row(label)} ${fmt(t.median)}   ${gflops(2 * M * N * K, t.median)} ${gflops(2 * M * N * K, t.min)}`);
  }
}

// W1's LSTM layer: T = 35, B = 32, I = 28, H = 256.
const [T, B, I, H] = [35, 32, 28, 256];
const G = 4 * H;
const fwd: RecurrentForwardArgs = {
  mode: "lstm", T, B, I, H, P: H, reverse: false,
  x: random(T * B * I), wIh: random(G * I, 0.06), wHh: random(G * H, 0.06), bIh: random(G, 0.06), bHh: random(G, 0.06),
  wHr: null, h0: new Float32Array(B * H), c0: new Float32Array(B * H), training: true,
  out: new Float32Array(T * B * H), hN: new Float32Array(B * H), cN: new Float32Array(B * H),
};
const dOut = random(T * B * H);
const grads = {
  dx: new Float32Array(T * B * I), dh0: new Float32Array(B * H), dc0: new Float32Array(B * H),
  dWIh: new Float32Array(G * I), dWHh: new Float32Array(G * H), dBIh: new Float32Array(G), dBHh: new Float32Array(G),
  dWHr: null,
};

/** Milliseconds of the forward and backward halves of each lstmStep. */
const split: { forward: number[]; backward: number[] } = { forward: [], backward: [] };

function lstmStep(backend: Backend): void {
  const t0 = performance.now();
  const cache = backend.recurrentForward(fwd);
  const t1 = performance.now();
  const bwd: RecurrentBackwardArgs = { ...fwd, cache, out: fwd.out, dOut, dHN: null, dCN: null, ...grads };
  backend.recurrentBackward(bwd);
  split.forward.push(t1 - t0);
  split.backward.push(performance.now() - t1);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

// Matrix FLOPs of the step: forward input projection and recurrence, and their three backward GEMMs.
const stepFlops = 2 * T * B * G * (I + H) * 3;
console.log(`LSTM layer of W1 (T=${T} B=${B} I=${I} H=${H})       median ms   GFLOP/s of its GEMMs`);
for (const [threads, wasm] of backends) {
  const tag = `${threads} thread${threads > 1 ? "s" : ""}`;
  split.forward.length = 0;
  split.backward.length = 0;
  const train = time(() => lstmStep(wasm), reps);
  console.log(`${row(`forward + backward, ${tag}`)} ${fmt(train.median)}   ${gflops(stepFlops, train.median)}  (best ${train.min.toFixed(2)} ms)`);
  console.log(`${row("  of which forward (training)")} ${fmt(median(split.forward))}   ${gflops(stepFlops / 3, median(split.forward))}`);
  console.log(`${row("  of which backward")} ${fmt(median(split.backward))}   ${gflops((2 * stepFlops) / 3, median(split.backward))}`);
  const inference = time(() => wasm.recurrentForward({ ...fwd, training: false }), reps);
  console.log(`${row(`forward, inference, ${tag}`)} ${fmt(inference.median)}`);
  const single = { ...fwd, B: 1, x: random(T * I), h0: new Float32Array(H), c0: new Float32Array(H), out: new Float32Array(T * H), hN: new Float32Array(H), cN: new Float32Array(H), training: false };
  const b1 = time(() => wasm.recurrentForward(single), reps * 5);
  console.log(`${row(`forward, inference, B=1, ${tag}`)} ${fmt(b1.median)}`);
}
if (values.reference) {
  const ref = time(() => lstmStep(referenceBackend), 3);
  console.log(`${row("reference forward + backward")} ${fmt(ref.median)}`);
}

/** One training step of a workload's model, as bench/ours.ts builds it (LSTM workloads only). */
function modelStep(w: Workload): () => void {
  manualSeed(0);
  const data = new Generator(1);
  const [Tw, Bw, Iw] = [w.seqLen, w.batch, w.inputSize];
  const N = Tw * Bw;
  const lstm = new LSTM({ inputSize: Iw, hiddenSize: w.hiddenSize, numLayers: w.numLayers, bidirectional: w.bidirectional });
  const dense = new Linear({ inFeatures: denseInputSize(w), outFeatures: w.outputSize });
  const opt = new SGD([...lstm.parameters(), ...dense.parameters()], { lr: LEARNING_RATE });
  const classes = Int32Array.from({ length: N }, () => data.randint(0, Math.max(w.outputSize, 1)));
  const x: Tensor = w.loss === "cross-entropy"
    ? oneHot(Int32Array.from({ length: N }, () => data.randint(0, Iw)), Iw, [Tw, Bw])
    : tensor(Float32Array.from({ length: N * Iw }, () => data.normal()), [Tw, Bw, Iw]);
  const target = tensor(Float32Array.from({ length: N * w.outputSize }, () => data.normal()), [N, w.outputSize]);
  return () => {
    opt.zeroGrad();
    const pred = dense.forward(lstm.forward(x)[0].reshape([N, denseInputSize(w)]));
    const loss = w.loss === "cross-entropy" ? crossEntropy(pred, classes) : mseLoss(pred, target);
    loss.backward();
    opt.step();
  };
}

console.log("Whole training steps (public API, as bench/ours.ts) median ms");
for (const id of ["W1", "W5"]) {
  const w = WORKLOADS.find((x) => x.id === id)!;
  for (const [threads, wasm] of backends) {
    setBackend(wasm);
    const t = time(modelStep(w), reps * (id === "W5" ? 5 : 2));
    console.log(`${row(`${id}, ${threads} thread${threads > 1 ? "s" : ""}`)} ${fmt(t.median)}   (best ${t.min.toFixed(2)} ms)`);
  }
}
for (const b of backends.values()) b.dispose();
