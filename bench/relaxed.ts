// Strict against relaxed SIMD kernels, A/B alternated in one process on one thread: the GEMM
// (1024³) in GFLOP/s, the W1 and W5 training steps, the W4-b1 inference in ms and the fused cell
// kernels alone in µs, all from CPU time (process.cpuUsage), which other processes on a shared
// machine disturb less than wall time. Needs an engine with relaxed SIMD (Node 22 or later, or
// Node 20 with --experimental-wasm-relaxed-simd).
//   node --conditions=source --import tsx bench/relaxed.ts [rounds]
import { Arena } from "../src/backends/wasm/arena.js";
import { compileKernels, instantiateKernels } from "../src/backends/wasm/module.js";
import { LSTM, Linear, SGD, createWasmBackend, crossEntropy, manualSeed, mseLoss, noGrad, oneHot, relaxedSimdSupported, setBackend, tensor, type Backend, type Tensor } from "recurrent";

if (!relaxedSimdSupported()) throw new Error(`bench/relaxed: ${process.version} has no WebAssembly relaxed SIMD; use Node 22+ or --experimental-wasm-relaxed-simd`);
const rounds = Number(process.argv[2] ?? 5);
const variants: [string, Backend][] = [
  ["strict", createWasmBackend({ threads: 1, relaxedSimd: false })],
  ["relaxed", createWasmBackend({ threads: 1, relaxedSimd: true })],
];
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function gemmStep(): () => void {
  const n = 1024;
  const A = Float32Array.from({ length: n * n }, (_, i) => Math.sin(i));
  const B = Float32Array.from({ length: n * n }, (_, i) => Math.cos(i));
  const C = new Float32Array(n * n);
  return () => variantBackend.gemm(false, false, n, n, n, A, B, C, false);
}

function trainStep(w5: boolean): () => void {
  manualSeed(0);
  const [T, B, I, H, O] = w5 ? [50, 64, 1, 64, 1] : [35, 32, 28, 256, 28];
  const lstm = new LSTM({ inputSize: I, hiddenSize: H });
  const dense = new Linear({ inFeatures: H, outFeatures: O });
  const opt = new SGD([...lstm.parameters(), ...dense.parameters()], { lr: 0.1 });
  const idx = Int32Array.from({ length: T * B }, (_, i) => (i * 7) % I);
  const x: Tensor = w5 ? tensor(Float32Array.from({ length: T * B }, (_, i) => Math.sin(i)), [T, B, 1]) : oneHot(idx, I, [T, B]);
  const y = tensor(Float32Array.from({ length: T * B }, (_, i) => Math.cos(i)), [T * B, 1]);
  const tgt = Int32Array.from({ length: T * B }, (_, i) => (i * 5) % O);
  return () => {
    opt.zeroGrad();
    const pred = dense.forward(lstm.forward(x)[0].reshape([T * B, H]));
    (w5 ? mseLoss(pred, y) : crossEntropy(pred, tgt)).backward();
    opt.step();
  };
}

/** W4-b1: a 256-unit LSTM over 100 steps of batch 1, no gradients (the batch-1 products are gemv). */
function inferStep(): () => void {
  manualSeed(0);
  const lstm = new LSTM({ inputSize: 28, hiddenSize: 256 });
  const x = oneHot(Int32Array.from({ length: 100 }, (_, i) => i % 28), 28, [100, 1]);
  return () => void noGrad(() => lstm.forward(x));
}

/**
 * The fused cell kernels alone, on the variant's build: one LSTM forward and backward step, one
 * GRU forward step and one tanh RNN forward step over B 64, H 256 (their multiply-adds and the exp
 * and tanh polynomials are where the relaxed build fuses).
 */
function cellSteps(): () => void {
  const relaxed = variantBackend === variants[1]![1];
  const k = instantiateKernels(compileKernels("single", relaxed));
  const arena = new Arena(k.memory);
  const [B, H] = [64, 256];
  arena.reset(k.heapBase());
  const at = Array.from({ length: 8 }, () => arena.alloc(B * 4 * H)); // (B, 4H) each
  const f = arena.view();
  for (const p of at) for (let i = 0; i < B * 4 * H; i++) f[p / 4 + i] = Math.sin(i + p) * 3;
  return () => {
    k.lstmForwardStep(B, H, H, at[0]!, at[1]!, at[2]!, at[3]!);
    k.lstmBackwardStep(B, H, H, at[0]!, at[1]!, at[2]!, at[3]!, at[4]!, at[5]!);
    k.gruForwardStep(B, H, H, at[6]!, at[7]!, at[1]!, at[2]!, at[3]!);
    k.rnnForwardStep(B, H, H, 0, at[6]!, at[7]!);
  };
}

let variantBackend: Backend = variants[0]![1];
const cases: [string, () => () => void, number, (ms: number) => string][] = [
  ["GEMM 1024³", gemmStep, 3, (ms) => `${((2 * 1024 ** 3) / (ms / 1000) / 1e9).toFixed(1)} GFLOP/s`],
  ["W1 step", () => trainStep(false), 5, (ms) => `${ms.toFixed(1)} ms`],
  ["W5 step", () => trainStep(true), 10, (ms) => `${ms.toFixed(2)} ms`],
  ["W4-b1 seq", inferStep, 20, (ms) => `${ms.toFixed(3)} ms`],
  ["cell steps", cellSteps, 400, (ms) => `${(ms * 1000).toFixed(1)} µs`],
];
console.log(`node ${process.version}, ${rounds} alternating rounds, best CPU ms per call of each variant`);
for (const [name, build, reps, show] of cases) {
  const steps = variants.map(([, b]) => {
    variantBackend = b;
    setBackend(b);
    const s = build();
    s();
    return s;
  });
  const best = variants.map(() => Infinity);
  for (let r = 0; r < rounds; r++) {
    variants.forEach(([, b], v) => {
      variantBackend = b;
      setBackend(b);
      const t0 = cpuMs();
      for (let i = 0; i < reps; i++) steps[v]!();
      best[v] = Math.min(best[v]!, (cpuMs() - t0) / reps);
    });
  }
  console.log(`${name.padEnd(11)} strict ${show(best[0]!).padStart(14)}   relaxed ${show(best[1]!).padStart(14)}   relaxed/strict time ${(best[1]! / best[0]!).toFixed(3)}`);
}
