// The wasm kernels of the cell variants (other activations, the recurrent dropout mask, a single
// bias) called directly, gru_reset_before's own driver included: every path of the driver
// (batch 1's matrix-vector product, the joined [h_prev | x] product, one-hot input, a projection,
// packed rows, reverse) against the reference kernels within 1e-5, and bit-identical on 1 and 2
// threads.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import type { Backend, CellName, RecurrentBackwardArgs, RecurrentForwardArgs } from "../../src/backends/backend.js";
import type { CellActivations } from "../../src/nn/cells/spec.js";
import { getCell } from "../../src/nn/cells/registry.js";
import { referenceBackend } from "../../src/backends/reference/index.js";
import { createWasmBackend } from "../../src/backends/wasm/index.js";
import { Generator } from "../../src/tensor/random.js";
import { assertClose } from "../helpers/fixtures.js";

const one = createWasmBackend();
const two = createWasmBackend({ threads: 2, minParallelWork: 0 });
after(() => two.dispose());

interface Case {
  mode: CellName;
  B: number;
  H: number;
  P: number;
  I: number;
  activations?: CellActivations;
  masked: boolean;
  reverse?: boolean;
  batchSizes?: number[];
  oneHot?: boolean;
}

const T = 4;

/** Forward (training) and backward with every gradient; every array written, named. */
function runCase(backend: Backend, c: Case): Map<string, Float32Array> {
  const rng = new Generator(41);
  const rand = (n: number, s = 0.6): Float32Array => Float32Array.from({ length: n }, () => rng.uniformRange(-s, s));
  const G = getCell(c.mode).gatesPerUnit * c.H;
  const lstm = c.mode === "lstm";
  const rows = c.batchSizes === undefined ? T * c.B : c.batchSizes.reduce((s, v) => s + v, 0);
  const x = c.oneHot === true ? Float32Array.from({ length: rows * c.I }, (_, k) => (k % c.I === Math.floor(k / c.I) % c.I ? 1 : 0)) : rand(rows * c.I, 1);
  const f: RecurrentForwardArgs = {
    mode: c.mode,
    T,
    B: c.B,
    I: c.I,
    H: c.H,
    P: c.P,
    reverse: c.reverse ?? false,
    batchSizes: c.batchSizes === undefined ? null : Int32Array.from(c.batchSizes),
    x,
    wIh: rand(G * c.I),
    wHh: rand(G * c.P),
    bIh: rand(G),
    bHh: null,
    wHr: c.P < c.H ? rand(c.P * c.H) : null,
    h0: rand(c.B * c.P, 1),
    c0: lstm ? rand(c.B * c.H, 1) : null,
    ...(c.activations === undefined ? {} : { activations: c.activations }),
    recurrentMask: c.masked ? Float32Array.from({ length: c.B * c.P }, (_, k) => (k % 3 === 1 ? 0 : 1.5)) : null,
    training: true,
    out: new Float32Array(rows * c.P),
    hN: new Float32Array(c.B * c.P),
    cN: lstm ? new Float32Array(c.B * c.H) : null,
  };
  const cache = backend.recurrentForward(f);
  const { out: _o, hN: _h, cN: _c, training: _t, ...common } = f;
  const bw: RecurrentBackwardArgs = {
    ...common,
    cache,
    out: f.out,
    dOut: rand(rows * c.P, 1),
    dHN: rand(c.B * c.P, 1),
    dCN: lstm ? rand(c.B * c.H, 1) : null,
    dx: new Float32Array(rows * c.I),
    dh0: new Float32Array(c.B * c.P),
    dc0: lstm ? new Float32Array(c.B * c.H) : null,
    dWIh: new Float32Array(G * c.I),
    dWHh: new Float32Array(G * c.P),
    dBIh: new Float32Array(G),
    dBHh: null,
    dWHr: c.P < c.H ? new Float32Array(c.P * c.H) : null,
  };
  backend.recurrentBackward(bw);
  backend.releaseCache(cache);
  const named: [string, Float32Array | null][] = [
    ["out", f.out],
    ["hN", f.hN],
    ["cN", f.cN],
    ["dx", bw.dx],
    ["dh0", bw.dh0],
    ["dc0", bw.dc0],
    ["dWIh", bw.dWIh],
    ["dWHh", bw.dWHh],
    ["dBIh", bw.dBIh],
    ["dWHr", bw.dWHr],
  ];
  return new Map(named.filter((e): e is [string, Float32Array] => e[1] !== null));
}

function bitsEqual(a: Float32Array, b: Float32Array): boolean {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

const PAIRS: CellActivations[] = [
  { gate: "hardSigmoid", candidate: "relu" },
  { gate: "hardSigmoidKeras3", candidate: "linear" },
  { gate: "sigmoid", candidate: "hardSigmoid" },
  { gate: "hardSigmoid", candidate: "tanh" },
];

function cases(): Case[] {
  const out: Case[] = [];
  for (const mode of ["lstm", "gru", "gru_reset_before", "rnn_tanh", "rnn_relu"] as const) {
    for (const activations of [undefined, ...PAIRS.map((p) => (mode.startsWith("rnn") ? { gate: "sigmoid" as const, candidate: p.candidate } : p))]) {
      for (const masked of [false, true]) {
        out.push({ mode, B: 3, H: 5, P: 5, I: 3, activations, masked });
        out.push({ mode, B: 1, H: 6, P: 6, I: 2, activations, masked, reverse: true });
        out.push({ mode, B: 3, H: 4, P: 4, I: 5, activations, masked, batchSizes: [3, 3, 2, 1] });
        out.push({ mode, B: 2, H: 4, P: 4, I: 6, activations, masked, oneHot: true });
      }
    }
  }
  for (const masked of [false, true]) out.push({ mode: "lstm", B: 3, H: 6, P: 3, I: 2, activations: PAIRS[0]!, masked, reverse: true });
  return out;
}

test("variant kernels match the reference kernels on every driver path, and are bit-identical on 1 and 2 threads", () => {
  let worst = 0;
  let count = 0;
  for (const c of cases()) {
    assert.ok(one.runsFused(c.mode, c.activations));
    const label = `${c.mode} ${JSON.stringify(c.activations ?? "default")} mask=${c.masked} B=${c.B} P=${c.P} reverse=${c.reverse === true} packed=${c.batchSizes !== undefined} oneHot=${c.oneHot === true}`;
    const want = runCase(referenceBackend, c);
    const got = runCase(one, c);
    const got2 = runCase(two, c);
    for (const [name, w] of want) {
      const g = got.get(name)!;
      assertClose(g, w, `${label}: ${name}`);
      for (let k = 0; k < g.length; k++) worst = Math.max(worst, Math.abs(g[k]! - w[k]!) / (1 + Math.abs(w[k]!)));
      assert.ok(bitsEqual(got2.get(name)!, g), `${label}: ${name} differs between 1 and 2 threads`);
    }
    count++;
  }
  console.log(`# ${count} variant kernel cases: largest |wasm - reference|/(1+|reference|) ${worst.toExponential(2)}`);
});
