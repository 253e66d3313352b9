// The wasm backend's fused optimiser updates (wasm/kernels/optim.ts) against the optimisers'
// JavaScript loops: every element of every parameter and state buffer bit for bit (NaN payloads
// aside), over several steps, for every option combination, on values that include NaN, ±Inf,
// ±0, subnormals and float32's largest numbers. The fused path is taken whatever
// RECURRENT_BACKEND says: helpers/counting-wasm.ts installs the wasm backend.
import { test } from "node:test";
import assert from "node:assert/strict";
import { installBackend } from "../../src/backends/registry.js";
import { createWasmBackend } from "../../src/backends/wasm/index.js";
import { Adam, AdamW, RMSprop, SGD, type Optimizer, type ParamLike } from "../../src/optim/index.js";
import { Generator } from "../../src/tensor/random.js";
import { calls, countingWasm } from "./helpers/counting-wasm.js";

/** Lengths around the kernel's four-lane blocks, and one of several blocks. */
const SIZES = [1, 3, 4, 7, 33, 130];
const STEPS = 4;

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1.4e-45, -1.4e-45, 3.4e38, -3.4e38, 1e20, -1e-20, 1e-39, -5e-39];

function value(gen: Generator): number {
  if (gen.uniform() < 0.15) return SPECIAL[gen.randint(0, SPECIAL.length)];
  return gen.normal() * 10 ** gen.uniformRange(-4, 4);
}

function values(gen: Generator, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => value(gen));
}

function makeParams(seed: number): ParamLike[] {
  const gen = new Generator(seed);
  return SIZES.map((n) => ({ shape: [n], data: values(gen, n), grad: null }));
}

function cloneParams(params: readonly ParamLike[]): ParamLike[] {
  return params.map((p) => ({ shape: p.shape.slice(), data: p.data.slice(), grad: null }));
}

function sameBits(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const e = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  for (let j = 0; j < actual.length; j++) {
    if (Number.isNaN(actual[j]) && Number.isNaN(expected[j])) continue;
    if (a[j] !== e[j]) assert.fail(`${what}[${j}]: fused ${actual[j]} (0x${a[j].toString(16)}), JavaScript ${expected[j]} (0x${e[j].toString(16)})`);
  }
}

/**
 * Runs the same steps through the JavaScript loops and the fused kernels and compares
 * everything after each step. Parameter k gets no gradient on steps where (k + step) % 4 == 0,
 * so step counts differ between parameters and some start late (first-step buffers mid-run).
 */
function compare(label: string, make: (params: ParamLike[]) => Optimizer, seed: number): void {
  const jsParams = makeParams(seed);
  const fusedParams = cloneParams(jsParams);
  const js = make(jsParams);
  js.useBackendKernels = false;
  const fused = make(fusedParams);
  const gen = new Generator(seed + 1);
  for (let step = 0; step < STEPS; step++) {
    jsParams.forEach((p, k) => {
      const grad = (k + step) % 4 === 0 ? null : values(gen, p.data.length);
      p.grad = grad === null ? null : { data: grad };
      fusedParams[k].grad = grad === null ? null : { data: grad.slice() };
    });
    js.step();
    fused.step();
    jsParams.forEach((p, k) => sameBits(fusedParams[k].data, p.data, `${label}, step ${step}, param ${k}`));
    const a = fused.stateDict();
    const e = js.stateDict();
    assert.deepEqual(a.step, e.step, `${label}, step ${step}: step counts`);
    assert.deepEqual(Object.keys(a.buffers).sort(), Object.keys(e.buffers).sort(), `${label}, step ${step}: buffer names`);
    for (const [key, buf] of Object.entries(e.buffers)) sameBits(a.buffers[key], buf, `${label}, step ${step}, ${key}`);
  }
}

const bools = [false, true];

test("Adam and AdamW: the fused update is bit-identical to the JavaScript loop for every option combination", () => {
  const before = calls.adam;
  let seed = 100;
  for (const Kind of [Adam, AdamW]) {
    for (const amsgrad of bools) {
      for (const maximize of bools) {
        for (const weightDecay of [0, 0.1]) {
          for (const lr of [1e-3, 0.5]) {
            const options = { lr, weightDecay, amsgrad, maximize, betas: [0.8, 0.99] as const, eps: 1e-6 };
            compare(`${Kind.name} ${JSON.stringify(options)}`, (params) => new Kind(params, options), seed++);
          }
        }
      }
    }
  }
  assert.ok(calls.adam > before, "the fused Adam kernel was called");
});

test("SGD: the fused update is bit-identical to the JavaScript loop for every option combination", () => {
  const before = calls.sgd;
  let seed = 200;
  for (const momentum of [0, 0.9]) {
    for (const dampening of [0, 0.3]) {
      for (const nesterov of bools) {
        if (nesterov && (momentum === 0 || dampening !== 0)) continue;
        for (const weightDecay of [0, 0.01]) {
          for (const maximize of bools) {
            const options = { lr: 0.05, momentum, dampening, nesterov, weightDecay, maximize };
            compare(`SGD ${JSON.stringify(options)}`, (params) => new SGD(params, options), seed++);
          }
        }
      }
    }
  }
  assert.ok(calls.sgd > before, "the fused SGD kernel was called");
});

test("RMSprop: the fused update is bit-identical to the JavaScript loop for every option combination", () => {
  const before = calls.rmsprop;
  let seed = 300;
  for (const momentum of [0, 0.9]) {
    for (const centered of bools) {
      for (const weightDecay of [0, 0.01]) {
        for (const maximize of bools) {
          const options = { lr: 0.01, alpha: 0.9, eps: 1e-6, momentum, centered, weightDecay, maximize };
          compare(`RMSprop ${JSON.stringify(options)}`, (params) => new RMSprop(params, options), seed++);
        }
      }
    }
  }
  assert.ok(calls.rmsprop > before, "the fused RMSprop kernel was called");
});

test("a state saved from the fused path resumes bit-identically on the JavaScript loop and back", () => {
  const make = (params: ParamLike[]): Optimizer => new AdamW(params, { lr: 0.01, amsgrad: true });
  const jsParams = makeParams(7);
  const fusedParams = cloneParams(jsParams);
  const js = make(jsParams);
  js.useBackendKernels = false;
  const fused = make(fusedParams);
  const gen = new Generator(8);
  const step = (): void => {
    jsParams.forEach((p, k) => {
      const grad = values(gen, p.data.length);
      p.grad = { data: grad };
      fusedParams[k].grad = { data: grad.slice() };
    });
    js.step();
    fused.step();
  };
  step();
  // Swap paths through the checkpoint state.
  const fromFused = fused.stateDict();
  fused.loadStateDict(js.stateDict());
  js.loadStateDict(fromFused);
  fused.useBackendKernels = false;
  js.useBackendKernels = true;
  step();
  step();
  jsParams.forEach((p, k) => sameBits(fusedParams[k].data, p.data, `param ${k}`));
});

test("the fused update of a threaded wasm backend (shared memory) matches the JavaScript loop too", () => {
  const threaded = createWasmBackend({ threads: 2 });
  try {
    installBackend(threaded);
    compare("AdamW on two threads", (params) => new AdamW(params, { lr: 0.01, amsgrad: true }), 400);
    compare("SGD on two threads", (params) => new SGD(params, { lr: 0.05, momentum: 0.9, nesterov: true }), 401);
  } finally {
    threaded.dispose();
    installBackend(countingWasm);
  }
});

test("the wasm optimiser kernels refuse arrays whose length is not their parameter's", () => {
  const scalars = { decay: false, first: false, nesterov: false, maximize: false, wd: 0, mu: 0, keep: 1, negLr: -0.1 };
  assert.throws(
    () => countingWasm.optimizer.sgd([{ param: new Float32Array(4), grad: new Float32Array(3), momentumBuffer: null }], scalars),
    /optimizer update: a gradient or state buffer has 3 elements but its parameter 4/,
  );
});
