// The relaxed-SIMD build of the kernels (f32x4.relaxed_madd in the GEMM micro-kernel, the cell
// kernels' multiply-adds and the exp and tanh polynomials): chosen by
// default where the engine has relaxed SIMD, refused by name where it has not, within the parity
// tolerance of the strict build, and bit-identical across thread counts. Node 20 has relaxed SIMD
// only behind --experimental-wasm-relaxed-simd, so the comparison runs in a child with that flag.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createWasmBackend, relaxedSimdSupported } from "recurrent";

const root = fileURLToPath(new URL("../..", import.meta.url));

test("the default follows the engine; relaxedSimd: false keeps strict SIMD; true where unsupported names the option", () => {
  const byDefault = createWasmBackend({ threads: 1 });
  assert.equal(byDefault.relaxedSimd, relaxedSimdSupported());
  assert.equal(createWasmBackend({ threads: 1, relaxedSimd: false }).relaxedSimd, false);
  if (relaxedSimdSupported()) assert.equal(createWasmBackend({ threads: 1, relaxedSimd: true }).relaxedSimd, true);
  else assert.throws(() => createWasmBackend({ relaxedSimd: true }), /createWasmBackend: relaxedSimd is true but this JavaScript engine has no WebAssembly relaxed SIMD/);
  assert.throws(() => createWasmBackend({ relaxedSimd: "yes" as unknown as boolean }), /createWasmBackend: relaxedSimd must be a boolean, got yes/);
});

// Run in a child with relaxed SIMD enabled: GEMMs of every layout, strict against relaxed within
// a relative tolerance, and relaxed on 1 against 2 threads bit for bit; then whole training steps.
const CHILD = `
import { createWasmBackend, relaxedSimdSupported, setBackend, LSTM, GRU, RNN, PeepholeLSTM, LayerNormLSTM, Linear, SGD, crossEntropy, manualSeed, oneHot } from "./src/index.ts";
import { Generator } from "./src/tensor/random.ts";
import { Arena } from "./src/backends/wasm/arena.ts";
import { compileKernels, instantiateKernels } from "./src/backends/wasm/module.ts";
const rng = new Generator(9);
const random = (n) => Float32Array.from({ length: n }, () => rng.uniformRange(-1, 1));
const strict = createWasmBackend({ threads: 1, relaxedSimd: false });
const relaxed = createWasmBackend({ threads: 1 });
const relaxed2 = createWasmBackend({ threads: 2, minParallelWork: 0 });
let worst = 0, identical = true, products = 0;
for (const [M, N, K] of [[7, 64, 33], [300, 24, 300], [64, 256, 290], [1, 90, 5]]) {
  for (const tA of [false, true]) for (const tB of [false, true]) {
    const A = random(M * K), B = random(K * N);
    const [s, r, r2] = [new Float32Array(M * N), new Float32Array(M * N), new Float32Array(M * N)];
    strict.gemm(tA, tB, M, N, K, A, B, s, false);
    relaxed.gemm(tA, tB, M, N, K, A, B, r, false);
    relaxed2.gemm(tA, tB, M, N, K, A, B, r2, false);
    for (let i = 0; i < s.length; i++) {
      worst = Math.max(worst, Math.abs(s[i] - r[i]) / (1 + Math.abs(s[i])));
      if (!Object.is(r[i], r2[i])) identical = false;
    }
    products++;
  }
}
// sigmoid and tanh of both builds on a dense grid over [-20, 20] (the polynomials use madd4).
let mathWorst = 0;
{
  const grid = Float32Array.from({ length: 40003 }, (_, i) => -20 + (40 * i) / 40002);
  const outputs = [false, true].map((relaxedBuild) => {
    const k = instantiateKernels(compileKernels("single", relaxedBuild));
    const arena = new Arena(k.memory);
    return ["sigmoidArray", "tanhArray"].map((fn) => {
      arena.reset(k.heapBase());
      const src = arena.alloc(grid.length), dst = arena.alloc(grid.length);
      arena.view().set(grid, src / 4);
      k[fn](grid.length, src, dst);
      return arena.view().slice(dst / 4, dst / 4 + grid.length);
    });
  });
  for (let f = 0; f < 2; f++) for (let i = 0; i < grid.length; i++) mathWorst = Math.max(mathWorst, Math.abs(outputs[0][f][i] - outputs[1][f][i]));
}
// Three training steps of each cell with a fused kernel whose multiply-adds use madd4.
function train(backend, Layer) {
  setBackend(backend);
  manualSeed(2);
  const [T, B, V, H] = [10, 8, 12, 40];
  const lstm = new Layer({ inputSize: V, hiddenSize: H });
  const dense = new Linear({ inFeatures: H, outFeatures: V });
  const params = [...lstm.parameters(), ...dense.parameters()];
  const opt = new SGD(params, { lr: 0.1 });
  const idx = Int32Array.from({ length: T * B }, (_, i) => (i * 7) % V);
  const x = oneHot(idx, V, [T, B]);
  for (let s = 0; s < 3; s++) {
    opt.zeroGrad();
    crossEntropy(dense.forward(lstm.forward(x)[0].reshape([T * B, H])), idx).backward();
    opt.step();
  }
  return params.flatMap((p) => [...p.data]);
}
let trainWorst = 0, trainIdentical = true, cells = 0;
for (const Layer of [LSTM, GRU, RNN, PeepholeLSTM, LayerNormLSTM]) {
  const [ps, pr, pr2] = [train(strict, Layer), train(relaxed, Layer), train(relaxed2, Layer)];
  for (let i = 0; i < ps.length; i++) trainWorst = Math.max(trainWorst, Math.abs(ps[i] - pr[i]));
  if (!pr.every((v, i) => Object.is(v, pr2[i]))) trainIdentical = false;
  cells++;
}
const threads = relaxed2.threads;
relaxed2.dispose();
console.log(JSON.stringify({ supported: relaxedSimdSupported(), relaxed: relaxed.relaxedSimd, threads, products, worst, identical, mathWorst, cells, trainWorst, trainIdentical }));
`;

test("with relaxed SIMD enabled: the relaxed build (GEMM, sigmoid and tanh, five cells' training) is within tolerance of the strict one and bit-identical on 1 and 2 threads", () => {
  const r = spawnSync(process.execPath, ["--experimental-wasm-relaxed-simd", "--conditions=source", "--import", "tsx", "--input-type=module", "-e", CHILD], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, RECURRENT_WASM_THREADS: "1" },
    timeout: 120_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, number | boolean>;
  assert.equal(out.supported, true, "the flag enables relaxed SIMD");
  assert.equal(out.relaxed, true, "the default backend loads the relaxed build");
  assert.equal(out.threads, 2);
  assert.equal(out.products, 16);
  assert.ok((out.worst as number) < 1e-5, `GEMM: relaxed differs from strict by ${out.worst} (relative)`);
  assert.equal(out.identical, true, "GEMM on 1 and 2 threads, bit for bit");
  assert.ok((out.mathWorst as number) < 1e-6, `sigmoid and tanh: relaxed differs from strict by ${out.mathWorst}`);
  assert.equal(out.cells, 5);
  assert.ok((out.trainWorst as number) < 1e-4, `training: parameters differ by ${out.trainWorst}`);
  assert.equal(out.trainIdentical, true, "training on 1 and 2 threads, bit for bit");
});
