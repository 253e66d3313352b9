// The wasm backend's caches stay in WebAssembly memory between forward and backward. These tests
// interleave layers, reuse and evict caches, and check that results never change and memory stops
// growing; plus the argument errors of the backend.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Backend, CellName, RecurrentBackwardArgs, RecurrentCache, RecurrentForwardArgs } from "../../src/backends/backend.js";
import { getCell } from "../../src/nn/cells/registry.js";
import { referenceBackend } from "../../src/backends/reference/index.js";
import { createWasmBackend } from "../../src/backends/wasm/index.js";
import { Generator } from "../../src/tensor/random.js";

const rng = new Generator(99);

function random(n: number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniformRange(-scale, scale);
  return a;
}

interface Layer {
  fwd: RecurrentForwardArgs;
  dOut: Float32Array;
}

function layer(mode: CellName, T: number, B: number, I: number, H: number, P = H): Layer {
  const G = getCell(mode).gatesPerUnit * H;
  const lstm = mode === "lstm";
  return {
    fwd: {
      mode, T, B, I, H, P, reverse: false,
      x: random(T * B * I), wIh: random(G * I, 0.5), wHh: random(G * P, 0.5), bIh: random(G, 0.5), bHh: random(G, 0.5),
      wHr: P < H ? random(P * H, 0.5) : null, h0: random(B * P), c0: lstm ? random(B * H) : null, training: true,
      out: new Float32Array(T * B * P), hN: new Float32Array(B * P), cN: lstm ? new Float32Array(B * H) : null,
    },
    dOut: random(T * B * P),
  };
}

type Grads = Pick<RecurrentBackwardArgs, "dx" | "dh0" | "dc0" | "dWIh" | "dWHh" | "dBIh" | "dBHh" | "dWHr">;

function forward(backend: Backend, l: Layer): RecurrentCache {
  return backend.recurrentForward(l.fwd);
}

function backward(backend: Backend, l: Layer, cache: RecurrentCache): Grads {
  const { T, B, I, H, P, mode } = l.fwd;
  const G = getCell(mode).gatesPerUnit * H;
  const g: Grads = {
    dx: new Float32Array(T * B * I), dh0: new Float32Array(B * P), dc0: mode === "lstm" ? new Float32Array(B * H) : null,
    dWIh: new Float32Array(G * I), dWHh: new Float32Array(G * P), dBIh: new Float32Array(G), dBHh: new Float32Array(G),
    dWHr: l.fwd.wHr !== null ? new Float32Array(P * H) : null,
  };
  backend.recurrentBackward({ ...l.fwd, cache, out: l.fwd.out, dOut: l.dOut, dHN: null, dCN: null, ...g });
  return g;
}

/** Forward then backward on a fresh backend: what every other order must reproduce exactly. */
function alone(l: Layer): Grads {
  const b = createWasmBackend();
  return backward(b, l, forward(b, l));
}

test("interleaved layers and a gemm between forward and backward give exactly the lone results", () => {
  const a = layer("lstm", 6, 4, 5, 12, 7);
  const g = layer("gru", 5, 4, 7, 9);
  const expectA = alone(a);
  const expectG = alone(g);
  const b = createWasmBackend();
  const cacheA = forward(b, a);
  const cacheG = forward(b, g);
  b.gemm(false, true, 40, 50, 60, random(40 * 60), random(50 * 60), new Float32Array(40 * 50), false);
  assert.deepEqual(backward(b, g, cacheG), expectG);
  assert.deepEqual(backward(b, a, cacheA), expectA);
});

test("a second backward on the same cache gives the same gradients", () => {
  const l = layer("lstm", 4, 3, 5, 8);
  const b = createWasmBackend();
  const cache = forward(b, l);
  const first = backward(b, l, cache);
  assert.deepEqual(backward(b, l, cache), first);
});

test("a cache whose memory a later forward reused fails clearly, unless its buffers were read", () => {
  const l = layer("gru", 4, 3, 5, 8);
  const b = createWasmBackend();
  const cache = forward(b, l);
  const expected = backward(b, l, cache);
  forward(b, l);
  assert.throws(() => backward(b, l, cache), /memory has since been reused by a later forward; run forward again/);

  const kept = forward(b, l);
  assert.equal(kept.buffers[0]!.length, 4 * 3 * 3 * 8);
  backward(b, l, kept);
  forward(b, l);
  assert.deepEqual(backward(b, l, kept), expected);
});

test("with no cache budget, live caches move to JS and results stay exact", () => {
  const a = layer("lstm", 5, 2, 3, 6);
  const c = layer("lstm", 5, 2, 3, 6);
  const expectA = alone(a);
  const expectC = alone(c);
  const b = createWasmBackend({ cacheBudgetMiB: 0 });
  const cacheA = forward(b, a);
  const oneCache = b.residentCacheBytes;
  const cacheC = forward(b, c);
  assert.equal(b.residentCacheBytes, oneCache, "the first cache moved out instead of a second slot");
  assert.deepEqual(backward(b, c, cacheC), expectC);
  assert.deepEqual(backward(b, a, cacheA), expectA);
});

test("the cache layout matches the reference backend's", () => {
  for (const l of [layer("lstm", 3, 2, 4, 6, 4), layer("gru", 3, 2, 4, 6)]) {
    const w = createWasmBackend().recurrentForward(l.fwd).buffers;
    const r = referenceBackend.recurrentForward({ ...l.fwd, out: new Float32Array(l.fwd.out.length), hN: new Float32Array(l.fwd.hN.length) }).buffers;
    assert.equal(w.length, 4);
    for (let i = 0; i < 4; i++) {
      assert.equal(w[i]!.length, r[i]!.length, `buffer ${i} length`);
      for (let j = 0; j < r[i]!.length; j++) assert.ok(Math.abs(w[i]![j]! - r[i]![j]!) <= 1e-5, `buffer ${i}[${j}]`);
    }
  }
});

test("memory stops growing over repeated training steps, and inference keeps no cache", () => {
  const l = layer("lstm", 8, 4, 6, 16);
  const b = createWasmBackend();
  const inference = { ...l, fwd: { ...l.fwd, training: false } };
  forward(b, inference);
  assert.equal(b.residentCacheBytes, 0);
  const sizes: [number, number][] = [];
  for (let i = 0; i < 8; i++) {
    backward(b, l, forward(b, l));
    sizes.push([b.memoryBytes, b.residentCacheBytes]);
  }
  assert.ok(sizes[0]![1] > 0);
  for (const s of sizes) assert.deepEqual(s, sizes[0]);
});

test("bad arguments fail with the call, the argument and the shapes", () => {
  const b = createWasmBackend();
  const l = layer("lstm", 3, 2, 4, 5);
  assert.throws(() => b.recurrentForward({ ...l.fwd, x: new Float32Array(5) }), /wasm backend.recurrentForward: x has 5 floats, expected \(T, B, I\) = \(3, 2, 4\) = 24/);
  assert.throws(() => b.recurrentForward({ ...l.fwd, P: 4 }), /P must equal H without a projection/);
  assert.throws(() => b.recurrentForward({ ...l.fwd, T: 1.5 }), /T must be an integer >= 0, got 1.5/);
  const refCache = referenceBackend.recurrentForward({ ...l.fwd, out: new Float32Array(l.fwd.out.length), hN: new Float32Array(l.fwd.hN.length) });
  assert.throws(() => backward(b, l, refCache), /the cache comes from the "reference" backend/);
  const noGrad = b.recurrentForward({ ...l.fwd, training: false });
  assert.throws(() => backward(b, l, noGrad), /cache acts has 0 floats.*training: true/);
  assert.throws(() => b.gemm(false, false, 2, 2, 2, new Float32Array(3), new Float32Array(4), new Float32Array(4), false), /wasm backend.gemm: A has 3 floats, expected \(M, K\)/);
  assert.throws(() => createWasmBackend({ threads: 0 }), /createWasmBackend: threads must be a positive integer, got 0/);
  assert.throws(() => createWasmBackend({ cacheBudgetMiB: -1 }), /cacheBudgetMiB must be a non-negative number, got -1/);
});
