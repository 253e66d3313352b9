// The wasm backend on several threads: results bit-identical to one thread (Float32Array
// equality, not a tolerance) for GEMMs, every recurrent mode forward and backward, whole training
// steps and the PyTorch parity fixtures; plus the options, dispose, a worker's failure, the
// fallback where threads are unavailable, and a process that never disposes still exiting.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Backend, CellName, RecurrentBackwardArgs, RecurrentForwardArgs } from "../../src/backends/backend.js";
import { getCell } from "../../src/nn/cells/registry.js";
import { DEFAULT_THREADS_CAP, defaultThreadCount, threadHost } from "../../src/backends/wasm/host.js";
import { availableParallelism } from "node:os";
import { createWasmBackend, loadWasmBackend, type WasmBackend } from "../../src/backends/wasm/index.js";
import { compileKernels } from "../../src/backends/wasm/module.js";
import { Team } from "../../src/backends/wasm/team.js";
import { Generator } from "../../src/tensor/random.js";
import { LSTM, GRU, RNN, PeepholeLSTM, LayerNormLSTM, Linear, SGD, crossEntropy, manualSeed, mseLoss, oneHot, tensor, getBackend, setBackend, type Module, type Tensor } from "recurrent";
import { readFixture, fixtureNames, toTensor, type JsonTensor } from "../helpers/fixtures.js";

const rng = new Generator(2024);

function random(n: number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniformRange(-scale, scale);
  return a;
}

// minParallelWork 0: every call is split, however small, so that the tests exercise the team.
const one = createWasmBackend({ threads: 1 });
const two = createWasmBackend({ threads: 2, minParallelWork: 0 });
const three = createWasmBackend({ threads: 3, minParallelWork: 0 });
const teams: [string, WasmBackend][] = [["2 threads", two], ["3 threads", three]];
after(() => {
  two.dispose();
  three.dispose();
});

/** Fails naming the first element that differs in any bit (NaN compares equal to NaN). */
function assertIdentical(actual: Float32Array | null, expected: Float32Array | null, what: string): void {
  if (expected === null || actual === null) {
    assert.equal(actual, expected, `${what}: presence`);
    return;
  }
  assert.equal(actual.length, expected.length, `${what}: length`);
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const e = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  for (let i = 0; i < e.length; i++) {
    if (a[i] !== e[i]) assert.fail(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]} bit for bit`);
  }
}

test("a backend with threads runs its workers, and threads: 1 has none", () => {
  assert.equal(one.threads, 1);
  assert.equal(two.threads, 2);
  assert.equal(three.threads, 3);
});

const LAYOUTS: [boolean, boolean][] = [[false, false], [false, true], [true, false], [true, true]];

test("gemm is bit-identical on 1, 2 and 3 threads for every layout, split by rows or by columns", () => {
  // Short A (split by column panels), tall A (split by row tiles), one row, one column, K past a block.
  const shapes: [number, number, number][] = [[7, 64, 33], [300, 24, 17], [1, 90, 5], [130, 1, 40], [64, 256, 300], [33, 17, 0]];
  for (const [tA, tB] of LAYOUTS) {
    for (const [M, N, K] of shapes) {
      for (const acc of [false, true]) {
        const A = random(M * K);
        const B = random(K * N);
        const C0 = random(M * N);
        const expected = C0.slice();
        one.gemm(tA, tB, M, N, K, A, B, expected, acc);
        for (const [name, backend] of teams) {
          const C = C0.slice();
          backend.gemm(tA, tB, M, N, K, A, B, C, acc);
          assertIdentical(C, expected, `gemm ${name} tA=${tA} tB=${tB} ${M}x${N}x${K} acc=${acc}`);
        }
      }
    }
  }
});

interface Case {
  mode: CellName;
  T: number;
  B: number;
  I: number;
  H: number;
  P: number;
  reverse: boolean;
  bias: boolean;
  grads: boolean;
  /** x made of one-hot rows (and rows of zeros), which takes the lookup path. */
  oneHot?: boolean;
}

function oneHotRows(rows: number, I: number): Float32Array {
  const x = new Float32Array(rows * I);
  for (let r = 0; r < rows; r++) if (r % 5 !== 4) x[r * I + rng.randint(0, I)] = 1;
  return x;
}

function makeForward(c: Case): RecurrentForwardArgs {
  const G = getCell(c.mode).gatesPerUnit * c.H;
  const lstm = c.mode === "lstm";
  return {
    mode: c.mode, T: c.T, B: c.B, I: c.I, H: c.H, P: c.P, reverse: c.reverse,
    x: c.oneHot === true ? oneHotRows(c.T * c.B, c.I) : random(c.T * c.B * c.I), wIh: random(G * c.I, 0.5), wHh: random(G * c.P, 0.5),
    bIh: c.bias ? random(G, 0.5) : null, bHh: c.bias ? random(G, 0.5) : null,
    wHr: c.P < c.H ? random(c.P * c.H, 0.5) : null, h0: random(c.B * c.P), c0: lstm ? random(c.B * c.H) : null,
    training: true, out: new Float32Array(c.T * c.B * c.P), hN: new Float32Array(c.B * c.P), cN: lstm ? new Float32Array(c.B * c.H) : null,
  };
}

/** Forward then backward with every gradient; returns every output array, named. */
function layerStep(backend: Backend, f: RecurrentForwardArgs, c: Case, seeds: Record<string, Float32Array>): [string, Float32Array | null][] {
  const fw = { ...f, out: new Float32Array(f.out.length), hN: new Float32Array(f.hN.length), cN: f.cN === null ? null : new Float32Array(f.cN.length) };
  const cache = backend.recurrentForward(fw);
  const lstm = c.mode === "lstm";
  const proj = c.P < c.H;
  const bw: RecurrentBackwardArgs = {
    mode: f.mode, T: f.T, B: f.B, I: f.I, H: f.H, P: f.P, reverse: f.reverse,
    x: f.x, wIh: f.wIh, wHh: f.wHh, bIh: f.bIh, bHh: f.bHh, wHr: f.wHr, h0: f.h0, c0: f.c0,
    cache, out: fw.out,
    dOut: c.grads ? seeds["dOut"]! : null, dHN: c.grads ? seeds["dHN"]! : null, dCN: c.grads && lstm ? seeds["dCN"]! : null,
    dx: new Float32Array(c.T * c.B * c.I), dh0: new Float32Array(c.B * c.P), dc0: lstm ? new Float32Array(c.B * c.H) : null,
    dWIh: seeds["dWIh"]!.slice(), dWHh: seeds["dWHh"]!.slice(),
    dBIh: c.bias ? seeds["dBIh"]!.slice() : null, dBHh: c.bias ? seeds["dBHh"]!.slice() : null,
    dWHr: proj ? seeds["dWHr"]!.slice() : null,
  };
  backend.recurrentBackward(bw);
  const inference = { ...fw, training: false, out: new Float32Array(f.out.length), hN: new Float32Array(f.hN.length), cN: f.cN === null ? null : new Float32Array(f.cN.length) };
  backend.recurrentForward(inference);
  return [
    ["out", fw.out], ["hN", fw.hN], ["cN", fw.cN], ["inference out", inference.out],
    ["dx", bw.dx], ["dh0", bw.dh0], ["dc0", bw.dc0], ["dWIh", bw.dWIh], ["dWHh", bw.dWHh],
    ["dBIh", bw.dBIh], ["dBHh", bw.dBHh], ["dWHr", bw.dWHr],
  ];
}

function checkCase(c: Case): void {
  const name = `${c.mode} T=${c.T} B=${c.B} I=${c.I} H=${c.H} P=${c.P} reverse=${c.reverse} bias=${c.bias} grads=${c.grads} oneHot=${c.oneHot === true}`;
  const G = getCell(c.mode).gatesPerUnit * c.H;
  const f = makeForward(c);
  const seeds: Record<string, Float32Array> = {
    dOut: random(c.T * c.B * c.P), dHN: random(c.B * c.P), dCN: random(c.B * c.H),
    dWIh: random(G * c.I), dWHh: random(G * c.P), dBIh: random(G), dBHh: random(G), dWHr: random(c.P * c.H),
  };
  const expected = layerStep(one, f, c, seeds);
  for (const [threads, backend] of teams) {
    const actual = layerStep(backend, f, c, seeds);
    expected.forEach(([what, e], i) => assertIdentical(actual[i]![1], e, `${name} on ${threads}: ${what}`));
  }
}

for (const mode of ["rnn_tanh", "rnn_relu", "lstm", "gru"] as const) {
  test(`${mode} forward and backward are bit-identical on 1, 2 and 3 threads`, () => {
    // H = 40 splits into several bands per part; H = 22 leaves a part a ragged band; H = 5 gives
    // one part everything; B = 1 takes the matrix-vector path.
    for (const H of [40, 22, 5]) {
      for (const B of [1, 6]) {
        for (const reverse of [false, true]) {
          checkCase({ mode, T: 4, B, I: 9, H, P: H, reverse, bias: !reverse, grads: B > 1 || reverse });
          if (mode === "lstm") checkCase({ mode, T: 3, B, I: 9, H, P: Math.max(1, H >> 1), reverse, bias: true, grads: true });
        }
      }
    }
    checkCase({ mode, T: 1, B: 3, I: 2, H: 24, P: 24, reverse: false, bias: true, grads: false });
    checkCase({ mode, T: 5, B: 4, I: 13, H: 40, P: 40, reverse: true, bias: true, grads: true, oneHot: true });
    // Too wide to join x and h_prev in one product: the separate input GEMM.
    checkCase({ mode, T: 3, B: 4, I: 240, H: 40, P: 40, reverse: false, bias: true, grads: true });
  });
}

/** Runs `fn` with `backend` installed as the active one, then puts the previous one back. */
function withBackend<T>(backend: Backend, fn: () => T): T {
  const before = getBackend();
  setBackend(backend);
  try {
    return fn();
  } finally {
    setBackend(before);
  }
}

/** Parameters after three SGD steps of a small model (initialised from seed 1), as fresh copies. */
function trainSmall(build: () => { params: Tensor[]; loss: () => Tensor }): Float32Array[] {
  manualSeed(1);
  const { params, loss } = build();
  const opt = new SGD(params, { lr: 0.1 });
  for (let i = 0; i < 3; i++) {
    opt.zeroGrad();
    loss().backward();
    opt.step();
  }
  return params.map((p) => p.data.slice());
}

test("whole training steps give bit-identical parameters on 1 and 2 threads", () => {
  const [T, B, V, H] = [12, 8, 28, 48];
  const data = new Generator(5);
  const classes = Int32Array.from({ length: T * B }, () => data.randint(0, V));
  const series = Float32Array.from({ length: T * B * 3 }, () => data.normal());
  const models: [string, () => { params: Tensor[]; loss: () => Tensor }][] = [
    [
      "char-LM LSTM (W1 in small)",
      () => {
        const lstm = new LSTM({ inputSize: V, hiddenSize: H });
        const dense = new Linear({ inFeatures: H, outFeatures: V });
        const x = oneHot(classes, V, [T, B]);
        return { params: [...lstm.parameters(), ...dense.parameters()], loss: () => crossEntropy(dense.forward(lstm.forward(x)[0].reshape([T * B, H])), classes) };
      },
    ],
    [
      "2-layer bidirectional GRU forecaster",
      () => {
        const gru = new GRU({ inputSize: 3, hiddenSize: 24, numLayers: 2, bidirectional: true });
        const dense = new Linear({ inFeatures: 48, outFeatures: 3 });
        const x = tensor(series, [T, B, 3]);
        const y = tensor(series, [T * B, 3]);
        return { params: [...gru.parameters(), ...dense.parameters()], loss: () => mseLoss(dense.forward(gru.forward(x)[0].reshape([T * B, 48])), y) };
      },
    ],
    [
      "2-layer relu RNN",
      () => {
        const rnn = new RNN({ inputSize: 3, hiddenSize: 32, numLayers: 2, nonlinearity: "relu" });
        const dense = new Linear({ inFeatures: 32, outFeatures: 3 });
        const x = tensor(series, [T, B, 3]);
        const y = tensor(series, [T * B, 3]);
        return { params: [...rnn.parameters(), ...dense.parameters()], loss: () => mseLoss(dense.forward(rnn.forward(x)[0].reshape([T * B, 32])), y) };
      },
    ],
    ...(["PeepholeLSTM", "LayerNormLSTM"] as const).map((cell): [string, () => { params: Tensor[]; loss: () => Tensor }] => [
      `2-layer bidirectional ${cell} (its own fused kernels)`,
      () => {
        const opts = { inputSize: 3, hiddenSize: 20, numLayers: 2, bidirectional: true };
        const layer = cell === "PeepholeLSTM" ? new PeepholeLSTM(opts) : new LayerNormLSTM(opts);
        const dense = new Linear({ inFeatures: 40, outFeatures: 3 });
        const x = tensor(series, [T, B, 3]);
        const y = tensor(series, [T * B, 3]);
        return { params: [...layer.parameters(), ...dense.parameters()], loss: () => mseLoss(dense.forward(layer.forward(x)[0].reshape([T * B, 40])), y) };
      },
    ]),
  ];
  // The default backend (every core; the suite pins RECURRENT_WASM_THREADS, so unset it here)
  // with its default minParallelWork, as a user gets it.
  const pinned = process.env.RECURRENT_WASM_THREADS;
  delete process.env.RECURRENT_WASM_THREADS;
  const byDefault = createWasmBackend();
  if (pinned !== undefined) process.env.RECURRENT_WASM_THREADS = pinned;
  try {
    assert.equal(byDefault.threads, Math.min(DEFAULT_THREADS_CAP, availableParallelism()));
    for (const [name, build] of models) {
      const expected = withBackend(one, () => trainSmall(build));
      for (const [label, backend] of [["2 threads", two], ["the default threads", byDefault]] as const) {
        const actual = withBackend(backend, () => trainSmall(build));
        expected.forEach((e, i) => assertIdentical(actual[i]!, e, `${name} on ${label}: parameter ${i}`));
      }
    }
  } finally {
    byDefault.dispose();
  }
});

/** Runs `fn` with RECURRENT_WASM_THREADS set to `value` (unset for undefined), then restores it. */
function withThreadsEnv<T>(value: string | undefined, fn: () => T): T {
  const before = process.env.RECURRENT_WASM_THREADS;
  if (value === undefined) delete process.env.RECURRENT_WASM_THREADS;
  else process.env.RECURRENT_WASM_THREADS = value;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.RECURRENT_WASM_THREADS;
    else process.env.RECURRENT_WASM_THREADS = before;
  }
}

test("the default thread count: every core up to the cap in Node, RECURRENT_WASM_THREADS replaces it", () => {
  assert.equal(DEFAULT_THREADS_CAP, 8);
  assert.equal(withThreadsEnv(undefined, defaultThreadCount), Math.min(8, availableParallelism()));
  assert.equal(withThreadsEnv("", defaultThreadCount), Math.min(8, availableParallelism()));
  assert.equal(withThreadsEnv("3", defaultThreadCount), 3);
  assert.equal(withThreadsEnv("12", defaultThreadCount), 12, "an explicit count is not capped");
  assert.throws(() => withThreadsEnv("0", defaultThreadCount), /RECURRENT_WASM_THREADS: expected a positive integer, got "0"/);
  assert.throws(() => withThreadsEnv("2.5", createWasmBackend), /RECURRENT_WASM_THREADS: expected a positive integer, got "2.5"/);
  const b = withThreadsEnv("3", () => createWasmBackend({ minParallelWork: 0 }));
  try {
    assert.equal(b.threads, 3, "createWasmBackend() follows the variable");
  } finally {
    b.dispose();
  }
});

test("the default thread count in a browser: hardwareConcurrency (capped) when cross-origin isolated, else 1", () => {
  const g = globalThis as Record<string, unknown>;
  const saved = ["crossOriginIsolated", "Worker", "navigator"].map((k) => [k, Object.getOwnPropertyDescriptor(g, k)] as const);
  const builtin = Object.getOwnPropertyDescriptor(process, "getBuiltinModule");
  Object.defineProperty(process, "getBuiltinModule", { value: undefined, configurable: true, writable: true });
  const define = (k: string, value: unknown): void => void Object.defineProperty(g, k, { value, configurable: true, writable: true });
  try {
    define("Worker", function Worker() {});
    define("navigator", { hardwareConcurrency: 6 });
    define("crossOriginIsolated", true);
    assert.equal(withThreadsEnv(undefined, defaultThreadCount), 6);
    define("navigator", { hardwareConcurrency: 64 });
    assert.equal(withThreadsEnv(undefined, defaultThreadCount), 8);
    define("crossOriginIsolated", false);
    assert.equal(withThreadsEnv(undefined, defaultThreadCount), 1, "no SharedArrayBuffer threads without isolation");
  } finally {
    if (builtin !== undefined) Object.defineProperty(process, "getBuiltinModule", builtin);
    for (const [k, d] of saved) {
      if (d === undefined) delete g[k];
      else Object.defineProperty(g, k, d);
    }
  }
});

interface ParityFixture {
  module: "RNN" | "LSTM" | "GRU" | "RNNCell" | "LSTMCell" | "GRUCell";
  options: { inputSize: number; hiddenSize: number; numLayers?: number; bias: boolean; batchFirst?: boolean; bidirectional?: boolean; nonlinearity: "tanh" | "relu"; projSize?: number };
  params: Record<string, JsonTensor>;
  input: JsonTensor;
  h0: JsonTensor | null;
  c0: JsonTensor | null;
  lossWeights: { output: JsonTensor; hN: JsonTensor | null; cN: JsonTensor | null };
}

/** Output, final states and every gradient of one parity fixture's layer on the active backend. */
function parityRun(f: ParityFixture): Float32Array[] {
  const o = f.options;
  const x = toTensor(f.input, true);
  const h0 = f.h0 === null ? null : toTensor(f.h0, true);
  const c0 = f.c0 === null ? null : toTensor(f.c0, true);
  let module: Module;
  let out: Tensor;
  let hN: Tensor;
  let cN: Tensor | null = null;
  if (f.module === "LSTM") {
    const { nonlinearity, ...lstmOptions } = o;
    void nonlinearity; // LSTM has no nonlinearity option (constructors reject unknown options)
    const m = new LSTM(lstmOptions);
    module = m;
    m.loadStateDict(Object.fromEntries(Object.entries(f.params).map(([n, t]) => [n, toTensor(t)])));
    [out, [hN, cN]] = m.forward(x, h0 !== null && c0 !== null ? [h0, c0] : null);
  } else if (f.module === "GRU" || f.module === "RNN") {
    const common = { inputSize: o.inputSize, hiddenSize: o.hiddenSize, numLayers: o.numLayers, bias: o.bias, batchFirst: o.batchFirst, bidirectional: o.bidirectional };
    const m = f.module === "GRU" ? new GRU(common) : new RNN({ ...common, nonlinearity: o.nonlinearity });
    module = m;
    m.loadStateDict(Object.fromEntries(Object.entries(f.params).map(([n, t]) => [n, toTensor(t)])));
    [out, hN] = m.forward(x, h0);
  } else {
    return [];
  }
  let loss = out.mul(toTensor(f.lossWeights.output)).sum();
  if (f.lossWeights.hN !== null) loss = loss.add(hN.mul(toTensor(f.lossWeights.hN)).sum());
  if (f.lossWeights.cN !== null && cN !== null) loss = loss.add(cN.mul(toTensor(f.lossWeights.cN)).sum());
  loss.backward();
  const grads = Object.values(module.stateDict()).map((p) => p.grad!.data);
  return [out.data, hN.data, ...(cN === null ? [] : [cN.data]), x.grad!.data, ...(h0 === null ? [] : [h0.grad!.data]), ...(c0 === null ? [] : [c0.grad!.data]), ...grads];
}

test("the PyTorch parity fixtures give bit-identical outputs and gradients on 1 and 2 threads", () => {
  const names = fixtureNames("parity");
  let layers = 0;
  for (const name of names) {
    const f = readFixture<ParityFixture>("parity", name);
    const expected = withBackend(one, () => parityRun(f));
    if (expected.length === 0) continue;
    layers++;
    const actual = withBackend(two, () => parityRun(f));
    assert.equal(actual.length, expected.length, `${name}: arrays`);
    expected.forEach((e, i) => assertIdentical(actual[i]!, e, `${name}: array ${i}`));
  }
  assert.ok(layers > 10, `expected the layer fixtures, found ${layers}`);
});

test("dispose stops the workers; the backend then runs on one thread with the same results", () => {
  const b = createWasmBackend({ threads: 2, minParallelWork: 0 });
  assert.equal(b.threads, 2);
  const A = random(40 * 30);
  const B = random(30 * 50);
  const before = new Float32Array(40 * 50);
  b.gemm(false, false, 40, 50, 30, A, B, before, false);
  b.dispose();
  assert.equal(b.threads, 1);
  const after = new Float32Array(40 * 50);
  b.gemm(false, false, 40, 50, 30, A, B, after, false);
  assertIdentical(after, before, "gemm after dispose");
  b.dispose();
  one.dispose();
});

test("loadWasmBackend starts its workers before it resolves", async () => {
  const b = await loadWasmBackend({ threads: 2 });
  try {
    assert.equal(b.threads, 2);
  } finally {
    b.dispose();
  }
});

test("bad thread options fail naming the function, the option and the value", () => {
  assert.throws(() => createWasmBackend({ threads: 0 }), /createWasmBackend: threads must be a positive integer, got 0/);
  assert.throws(() => createWasmBackend({ threads: 1.5 }), /createWasmBackend: threads must be a positive integer, got 1.5/);
  assert.throws(() => createWasmBackend({ threads: 1000 }), /createWasmBackend: threads must be at most 256, got 1000/);
  assert.throws(() => createWasmBackend({ minParallelWork: -1 }), /createWasmBackend: minParallelWork must be a non-negative number, got -1/);
  return assert.rejects(loadWasmBackend({ threads: -2 }), /loadWasmBackend: threads must be a positive integer, got -2/);
});

test("where worker threads are unavailable, threads > 1 falls back to one thread without error", () => {
  const descriptor = Object.getOwnPropertyDescriptor(process, "getBuiltinModule");
  Object.defineProperty(process, "getBuiltinModule", { value: undefined, configurable: true, writable: true });
  try {
    assert.equal(threadHost(), null, "no Node worker_threads and no cross-origin-isolated browser");
    const b = createWasmBackend({ threads: 4 });
    assert.equal(b.threads, 1);
    const C = new Float32Array(1);
    b.gemm(false, false, 1, 1, 2, Float32Array.of(2, 3), Float32Array.of(5, 7), C, false);
    assert.deepEqual([...C], [31]);
    b.dispose();
  } finally {
    if (descriptor !== undefined) Object.defineProperty(process, "getBuiltinModule", descriptor);
  }
  assert.notEqual(threadHost(), null);
});

test("a worker whose kernel fails reports the error, and the team falls back to one thread", () => {
  const host = threadHost();
  assert.ok(host !== null);
  const team = Team.start(compileKernels("shared"), 2, host);
  assert.ok(team !== null);
  try {
    assert.equal(team.waitReady(10_000), 2);
    const ex = team.executor();
    assert.ok(ex !== null);
    // A column sum far past the end of memory traps in the worker (part 1) only.
    ex.call(1, "colsumAccumulate", 1, 4, 0x7ffffff0, 4, 0x7ffffff0);
    ex.sync();
    ex.call(0, "colsumAccumulate", 0, 0, 0, 0, 0);
    assert.throws(() => ex.finish(), /wasm backend: a worker thread failed \(memory access out of bounds\); the backend now runs on one thread/);
    assert.equal(team.parts, 1);
    assert.equal(team.executor(), null);
  } finally {
    team.dispose();
  }
});

test("workers do not keep the process alive when the backend is never disposed", () => {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const code = [
    'import { createWasmBackend } from "./src/backends/wasm/index.ts";',
    "const b = createWasmBackend({ threads: 2, minParallelWork: 0 });",
    "const C = new Float32Array(4);",
    "b.gemm(false, false, 2, 2, 1, Float32Array.of(1, 2), Float32Array.of(3, 4), C, false);",
    'console.log(b.threads, C.join(","));',
  ].join("\n");
  const r = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", "--input-type=module", "-e", code], { cwd: root, encoding: "utf8", timeout: 120_000 });
  assert.equal(r.signal, null, `the child was killed (${r.signal}): it did not exit by itself`);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), "2 3,4,6,8");
});
