// The wasm backend against the reference backend (the spec) on random inputs: every GEMM layout on
// odd sizes, and every recurrent mode forward and backward in both directions, with and without
// biases, projection, batch 1 and more, one step and several.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Backend, CellName, RecurrentBackwardArgs, RecurrentForwardArgs } from "../../src/backends/backend.js";
import { getCell } from "../../src/nn/cells/registry.js";
import { referenceBackend } from "../../src/backends/reference/index.js";
import { createWasmBackend, loadWasmBackend, wasmSimdSupported } from "../../src/backends/wasm/index.js";
import { Generator } from "../../src/tensor/random.js";

const wasm = createWasmBackend();
const rng = new Generator(1234);

function random(n: number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniformRange(-scale, scale);
  return a;
}

/** Fails naming the worst element unless |actual - expected| <= atol + rtol |expected| everywhere. */
function assertClose(actual: Float32Array, expected: Float32Array, what: string, atol = 1e-5, rtol = 1e-5): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let worst = -1;
  let worstErr = 0;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!);
    if (!(err <= atol + rtol * Math.abs(expected[i]!)) && (worst < 0 || err > worstErr)) {
      worst = i;
      worstErr = err;
    }
  }
  if (worst >= 0) assert.fail(`${what}: element ${worst} is ${actual[worst]}, expected ${expected[worst]} (|diff| ${worstErr})`);
}

test("wasmSimdSupported is true in Node", () => {
  assert.equal(wasmSimdSupported(), true);
  assert.equal(wasm.name, "wasm");
});

test("loadWasmBackend gives a working backend", async () => {
  const b = await loadWasmBackend();
  const C = new Float32Array(1);
  b.gemm(false, false, 1, 1, 2, Float32Array.of(2, 3), Float32Array.of(5, 7), C, false);
  assert.deepEqual([...C], [31]);
});

/** Naive triple loop in float64: the GEMM oracle. */
function naiveGemm(tA: boolean, tB: boolean, M: number, N: number, K: number, A: Float32Array, B: Float32Array, C: Float32Array, acc: boolean): Float32Array {
  const out = new Float32Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = acc ? C[i * N + j]! : 0;
      for (let k = 0; k < K; k++) s += A[tA ? k * M + i : i * K + k]! * B[tB ? j * K + k : k * N + j]!;
      out[i * N + j] = s;
    }
  }
  return out;
}

const SIZES = [1, 3, 7, 17, 33, 65, 130];
const LAYOUTS: [boolean, boolean][] = [[false, false], [false, true], [true, false], [true, true]];

test("gemm matches a naive triple loop for every layout on odd sizes", () => {
  const shapes: [number, number, number][] = [[2, 1030, 3]];
  for (const s of SIZES) shapes.push([s, 17, 33], [33, s, 17], [17, 33, s], [s, s, s]);
  for (const [tA, tB] of LAYOUTS) {
    for (const [M, N, K] of shapes) {
      for (const acc of [false, true]) {
        const A = random(M * K);
        const B = random(K * N);
        const C0 = random(M * N);
        const C = C0.slice();
        wasm.gemm(tA, tB, M, N, K, A, B, C, acc);
        assertClose(C, naiveGemm(tA, tB, M, N, K, A, B, C0, acc), `gemm tA=${tA} tB=${tB} ${M}x${N}x${K} acc=${acc}`);
      }
    }
  }
});

test("gemm is right past one cache block in every dimension", () => {
  // KC = 256 deep and MC = 120 rows per block; float32 sums over K = 521 terms of size ~1 drift by
  // ~1e-5 from the float64 oracle, so the tolerance here is 5e-5.
  const [M, N, K] = [257, 131, 521];
  for (const [tA, tB] of LAYOUTS) {
    const A = random(M * K);
    const B = random(K * N);
    const C0 = random(M * N);
    const C = C0.slice();
    wasm.gemm(tA, tB, M, N, K, A, B, C, true);
    assertClose(C, naiveGemm(tA, tB, M, N, K, A, B, C0, true), `gemm tA=${tA} tB=${tB} ${M}x${N}x${K}`, 5e-5, 1e-5);
  }
});

test("gemm handles empty dimensions", () => {
  const C = Float32Array.of(1, 2, 3, 4);
  wasm.gemm(false, false, 2, 2, 0, new Float32Array(0), new Float32Array(0), C, true);
  assert.deepEqual([...C], [1, 2, 3, 4]);
  wasm.gemm(false, false, 2, 2, 0, new Float32Array(0), new Float32Array(0), C, false);
  assert.deepEqual([...C], [0, 0, 0, 0]);
  wasm.gemm(false, false, 0, 2, 3, new Float32Array(0), new Float32Array(6), new Float32Array(0), false);
});

test("gemm matches the reference backend", () => {
  for (const [tA, tB] of LAYOUTS) {
    const [M, N, K] = [65, 130, 33];
    const A = random(M * K);
    const B = random(K * N);
    const C1 = random(M * N);
    const C2 = C1.slice();
    wasm.gemm(tA, tB, M, N, K, A, B, C1, true);
    referenceBackend.gemm(tA, tB, M, N, K, A, B, C2, true);
    assertClose(C1, C2, `gemm vs reference tA=${tA} tB=${tB}`);
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
  proj: boolean;
  /** Pass dOut, dHN, dCN (otherwise null). */
  grads: boolean;
  /** x made of one-hot rows, every fourth row all zeros (padding); default random. */
  oneHot?: boolean;
}

/** (rows, I) one-hot rows at random columns, every fourth row zeros. */
function oneHotRows(rows: number, I: number): Float32Array {
  const x = new Float32Array(rows * I);
  for (let r = 0; r < rows; r++) if (r % 4 !== 3) x[r * I + rng.randint(0, I)] = 1;
  return x;
}

function makeForward(c: Case): RecurrentForwardArgs {
  const G = getCell(c.mode).gatesPerUnit * c.H;
  const lstm = c.mode === "lstm";
  return {
    mode: c.mode,
    T: c.T,
    B: c.B,
    I: c.I,
    H: c.H,
    P: c.P,
    reverse: c.reverse,
    x: c.oneHot === true ? oneHotRows(c.T * c.B, c.I) : random(c.T * c.B * c.I),
    wIh: random(G * c.I, 0.5),
    wHh: random(G * c.P, 0.5),
    bIh: c.bias ? random(G, 0.5) : null,
    bHh: c.bias ? random(G, 0.5) : null,
    wHr: c.proj ? random(c.P * c.H, 0.5) : null,
    h0: random(c.B * c.P),
    c0: lstm ? random(c.B * c.H) : null,
    training: true,
    out: new Float32Array(c.T * c.B * c.P),
    hN: new Float32Array(c.B * c.P),
    cN: lstm ? new Float32Array(c.B * c.H) : null,
  };
}

function freshForward(f: RecurrentForwardArgs): RecurrentForwardArgs {
  return { ...f, out: new Float32Array(f.out.length), hN: new Float32Array(f.hN.length), cN: f.cN === null ? null : new Float32Array(f.cN.length) };
}

/** Runs forward and backward on one backend; gradient accumulators start from the given values. */
function run(backend: Backend, f: RecurrentForwardArgs, c: Case, seeds: Record<string, Float32Array>) {
  const fw = freshForward(f);
  const cache = backend.recurrentForward(fw);
  const G = getCell(c.mode).gatesPerUnit * c.H;
  const copy = (k: string): Float32Array => seeds[k]!.slice();
  const lstm = c.mode === "lstm";
  const bw: RecurrentBackwardArgs = {
    mode: f.mode, T: f.T, B: f.B, I: f.I, H: f.H, P: f.P, reverse: f.reverse,
    x: f.x, wIh: f.wIh, wHh: f.wHh, bIh: f.bIh, bHh: f.bHh, wHr: f.wHr, h0: f.h0, c0: f.c0,
    cache,
    out: fw.out,
    dOut: c.grads ? seeds["dOut"]! : null,
    dHN: c.grads ? seeds["dHN"]! : null,
    dCN: c.grads && lstm ? seeds["dCN"]! : null,
    dx: new Float32Array(c.T * c.B * c.I),
    dh0: new Float32Array(c.B * c.P),
    dc0: lstm ? new Float32Array(c.B * c.H) : null,
    dWIh: copy("dWIh"),
    dWHh: copy("dWHh"),
    dBIh: c.bias ? copy("dBIh") : null,
    dBHh: c.bias ? copy("dBHh") : null,
    dWHr: c.proj ? copy("dWHr") : null,
  };
  assert.equal(bw.dWIh!.length, G * c.I);
  backend.recurrentBackward(bw);
  return { fw, bw };
}

function checkCase(c: Case): void {
  const name = `${c.mode} T=${c.T} B=${c.B} I=${c.I} H=${c.H} P=${c.P} reverse=${c.reverse} bias=${c.bias} proj=${c.proj} grads=${c.grads} oneHot=${c.oneHot === true}`;
  const G = getCell(c.mode).gatesPerUnit * c.H;
  const f = makeForward(c);
  const seeds: Record<string, Float32Array> = {
    dOut: random(c.T * c.B * c.P),
    dHN: random(c.B * c.P),
    dCN: random(c.B * c.H),
    dWIh: random(G * c.I),
    dWHh: random(G * c.P),
    dBIh: random(G),
    dBHh: random(G),
    dWHr: random(c.P * c.H),
  };
  const w = run(wasm, f, c, seeds);
  const r = run(referenceBackend, f, c, seeds);
  assertClose(w.fw.out, r.fw.out, `${name}: out`);
  assertClose(w.fw.hN, r.fw.hN, `${name}: hN`);
  if (r.fw.cN !== null) assertClose(w.fw.cN!, r.fw.cN, `${name}: cN`);
  for (const k of ["dx", "dh0", "dc0", "dWIh", "dWHh", "dBIh", "dBHh", "dWHr"] as const) {
    const exp = r.bw[k];
    if (exp === null) continue;
    assertClose(w.bw[k]!, exp, `${name}: ${k}`);
  }
  // Inference gives the same outputs as training.
  const inf = freshForward({ ...f, training: false });
  wasm.recurrentForward(inf);
  assertClose(inf.out, w.fw.out, `${name}: inference out`, 0, 0);
}

const MODES: CellName[] = ["rnn_tanh", "rnn_relu", "lstm", "gru"];

for (const mode of MODES) {
  test(`${mode} forward and backward match the reference`, () => {
    const projs = mode === "lstm" ? [false, true] : [false];
    for (const proj of projs) {
      for (const reverse of [false, true]) {
        for (const bias of [false, true]) {
          for (const T of [1, 5]) {
            for (const B of [1, 3]) {
              const H = 7;
              checkCase({ mode, T, B, I: 5, H, P: proj ? 3 : H, reverse, bias, proj, grads: (T + B) % 2 === 0 || bias });
            }
          }
        }
      }
      // Several tiles in every GEMM dimension and full SIMD lanes plus a tail.
      const H = 22;
      checkCase({ mode, T: 9, B: 13, I: 19, H, P: proj ? 10 : H, reverse: true, bias: true, proj, grads: true });
      checkCase({ mode, T: 4, B: 1, I: 3, H, P: proj ? 5 : H, reverse: false, bias: true, proj, grads: true });
    }
  });
}

test("one-hot inputs (lookups instead of input GEMMs) match the reference in every mode", () => {
  for (const mode of MODES) {
    for (const bias of [false, true]) {
      const proj = mode === "lstm" && bias;
      checkCase({ mode, T: 6, B: 5, I: 11, H: 22, P: proj ? 9 : 22, reverse: bias, bias, proj, grads: true, oneHot: true });
      checkCase({ mode, T: 3, B: 1, I: 4, H: 7, P: 7, reverse: !bias, bias, proj: false, grads: false, oneHot: true });
    }
  }
});

test("inputs too wide to join h_prev in one packed block keep the separate input GEMM and match the reference", () => {
  // P + I > 256 (the kernels' block depth): the input projection is one GEMM over all steps.
  for (const mode of MODES) {
    checkCase({ mode, T: 3, B: 4, I: 250, H: 22, P: 22, reverse: mode === "gru", bias: true, proj: false, grads: true });
  }
  checkCase({ mode: "lstm", T: 3, B: 4, I: 260, H: 9, P: 5, reverse: false, bias: false, proj: true, grads: true });
});
