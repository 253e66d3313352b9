// Behaviour shared by every optimiser: skipped null gradients, zeroGrad, the learning rate,
// in-place updates and checkpoint state (round trip, JSON-serialisable, validated on load).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Generator } from "../../src/tensor/random.js";
import {
  Adam,
  AdamW,
  RMSprop,
  SGD,
  type Optimizer,
  type OptimizerState,
  type OptionValue,
  type ParamLike,
} from "../../src/optim/index.js";

type Param = ParamLike;

const SHAPES: number[][] = [[3, 4], [5], [2, 1, 3]];

function makeParams(seed: number): Param[] {
  const gen = new Generator(seed);
  return SHAPES.map((shape) => {
    const n = shape.reduce((a, b) => a * b, 1);
    return { shape, data: Float32Array.from({ length: n }, () => gen.normal()), grad: null };
  });
}

function cloneParams(params: readonly Param[]): Param[] {
  return params.map((p) => ({ shape: p.shape.slice(), data: p.data.slice(), grad: null }));
}

/**
 * Deterministic gradients for step k; parameter 2 gets none on odd steps so that step
 * counts differ between parameters and skipping is part of every round trip.
 */
function setGrads(params: Param[], k: number): void {
  const gen = new Generator(1000 + k);
  params.forEach((p, i) => {
    p.grad = i === 2 && k % 2 === 1 ? null : { data: Float32Array.from(p.data, () => gen.normal()) };
  });
}

type Factory = (params: Param[]) => Optimizer;

const CONFIGS: [string, Factory, Factory][] = [
  // [name, the optimiser under test, a fresh one with other options that loadStateDict must override]
  ["SGD momentum", (p) => new SGD(p, { lr: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 }), (p) => new SGD(p, { lr: 5 })],
  ["SGD nesterov", (p) => new SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true }), (p) => new SGD(p, { lr: 5 })],
  ["SGD plain", (p) => new SGD(p, { lr: 0.1, maximize: true }), (p) => new SGD(p, { lr: 5, momentum: 0.5 })],
  ["Adam", (p) => new Adam(p, { lr: 0.01, weightDecay: 0.1 }), (p) => new Adam(p)],
  ["Adam amsgrad", (p) => new Adam(p, { lr: 0.01, betas: [0.8, 0.99], amsgrad: true }), (p) => new Adam(p)],
  ["AdamW amsgrad", (p) => new AdamW(p, { lr: 0.01, amsgrad: true }), (p) => new AdamW(p, { weightDecay: 0 })],
  ["RMSprop", (p) => new RMSprop(p), (p) => new RMSprop(p, { centered: true })],
  ["RMSprop centered momentum", (p) => new RMSprop(p, { momentum: 0.9, centered: true, weightDecay: 0.1 }), (p) => new RMSprop(p)],
];

function bits(a: Float32Array): number[] {
  return Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
}

for (const [name, make, makeOther] of CONFIGS) {
  test(`${name}: 3 steps, stateDict through JSON, 3 more on a fresh optimizer equals 6 steps bit for bit`, () => {
    const straight = makeParams(7);
    const a = make(straight);
    for (let k = 0; k < 6; k++) {
      setGrads(straight, k);
      a.step();
    }

    const first = makeParams(7);
    const b = make(first);
    for (let k = 0; k < 3; k++) {
      setGrads(first, k);
      b.step();
    }
    const saved = b.stateDict();
    // The checkpoint writer stores everything but the buffers as JSON.
    const { buffers, ...meta } = saved;
    const restoredMeta: unknown = JSON.parse(JSON.stringify(meta));
    assert.deepEqual(restoredMeta, meta);
    const state: OptimizerState = { kind: meta.kind, options: meta.options, step: meta.step, buffers };

    const second = cloneParams(first);
    const c = makeOther(second);
    c.loadStateDict(state);
    assert.deepEqual(c.getOptions(), b.getOptions());
    for (let k = 3; k < 6; k++) {
      setGrads(second, k);
      c.step();
    }
    second.forEach((p, i) => assert.deepEqual(bits(p.data), bits(straight[i].data), `parameter ${i}`));
    const end = c.stateDict();
    const ref = a.stateDict();
    assert.deepEqual(end.step, ref.step);
    assert.deepEqual(Object.keys(end.buffers).sort(), Object.keys(ref.buffers).sort());
    for (const key of Object.keys(ref.buffers)) assert.deepEqual(bits(end.buffers[key]), bits(ref.buffers[key]), key);
  });
}

test("stateDict: step counts per parameter, buffers named <name>.<index> and copied", () => {
  const params = makeParams(3);
  const opt = new Adam(params, { amsgrad: true });
  params[0].grad = { data: new Float32Array(12).fill(0.5) };
  opt.step();
  opt.step();
  const state = opt.stateDict();
  assert.equal(state.kind, "Adam");
  assert.deepEqual(state.step, [2, 0, 0]);
  assert.deepEqual(Object.keys(state.buffers).sort(), ["exp_avg.0", "exp_avg_sq.0", "max_exp_avg_sq.0"]);
  assert.deepEqual(state.options, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: true, maximize: false });
  const before = state.buffers["exp_avg.0"].slice();
  opt.step();
  assert.deepEqual(state.buffers["exp_avg.0"], before, "a later step changed the saved state");
  assert.deepEqual(state.step, [2, 0, 0]);
});

test("step skips parameters whose grad is null: no update, no state, no step count", () => {
  const params = makeParams(4);
  const before = params.map((p) => p.data.slice());
  const opt = new SGD(params, { lr: 0.1, momentum: 0.9, weightDecay: 0.1 });
  params[1].grad = { data: new Float32Array(5).fill(1) };
  opt.step();
  assert.deepEqual(params[0].data, before[0]);
  assert.deepEqual(params[2].data, before[2]);
  assert.notDeepEqual(params[1].data, before[1]);
  const state = opt.stateDict();
  assert.deepEqual(state.step, [0, 1, 0]);
  assert.deepEqual(Object.keys(state.buffers), ["momentum_buffer.1"]);
});

test("Adam's bias correction counts the steps each parameter actually took", () => {
  // Parameter 0 gets gradients at steps 1 and 3 only; it must match a parameter stepped twice.
  const gen = new Generator(11);
  const g1 = Float32Array.from({ length: 5 }, () => gen.normal());
  const g3 = Float32Array.from({ length: 5 }, () => gen.normal());
  const skipped: Param = { shape: [5], data: new Float32Array(5).fill(1), grad: null };
  const other: Param = { shape: [1], data: new Float32Array(1), grad: null };
  const a = new Adam([skipped, other], { lr: 0.1 });
  other.grad = { data: new Float32Array([1]) };
  skipped.grad = { data: g1.slice() };
  a.step();
  skipped.grad = null;
  a.step();
  skipped.grad = { data: g3.slice() };
  a.step();

  const direct: Param = { shape: [5], data: new Float32Array(5).fill(1), grad: null };
  const b = new Adam([direct], { lr: 0.1 });
  direct.grad = { data: g1.slice() };
  b.step();
  direct.grad = { data: g3.slice() };
  b.step();
  assert.deepEqual(bits(skipped.data), bits(direct.data));
  assert.deepEqual(a.stateDict().step, [2, 3]);
});

test("zeroGrad() sets grads to null; zeroGrad(false) zero-fills the same buffers", () => {
  const params = makeParams(5);
  const opt = new Adam(params);
  setGrads(params, 0);
  opt.zeroGrad();
  for (const p of params) assert.equal(p.grad, null);

  setGrads(params, 0);
  const held = params.map((p) => p.grad);
  opt.zeroGrad(false);
  params.forEach((p, i) => {
    assert.equal(p.grad, held[i], "the gradient buffer was replaced");
    assert.ok(p.grad !== null && p.grad.data.every((x) => x === 0));
  });
});

test("zeroGrad(false) keeps parameters in the step: weight decay still acts on a zero gradient", () => {
  const params = makeParams(6);
  const opt = new SGD(params, { lr: 0.5, weightDecay: 0.1 });
  setGrads(params, 0);
  opt.zeroGrad(false);
  const before = params[0].data.slice();
  opt.step();
  params[0].data.forEach((x, j) => assert.equal(x, Math.fround(before[j] + Math.fround(-0.5) * Math.fround(Math.fround(0.1) * before[j]))));
});

test("step updates data in place and never reallocates it", () => {
  for (const [name, make] of CONFIGS) {
    const params = makeParams(8);
    const arrays = params.map((p) => p.data);
    const copies = params.map((p) => p.data.slice());
    const opt = make(params);
    setGrads(params, 0);
    opt.step();
    params.forEach((p, i) => {
      assert.equal(p.data, arrays[i], `${name}: data of parameter ${i} was replaced`);
      assert.notDeepEqual(p.data, copies[i], `${name}: parameter ${i} did not change`);
    });
  }
});

test("lr can be read and set between steps, and a bad value is refused", () => {
  const p1 = makeParams(9);
  const p2 = cloneParams(p1);
  const scheduled = new Adam(p1, { lr: 0.5 });
  const fixed = new Adam(p2, { lr: 0.01 });
  assert.equal(scheduled.lr, 0.5);
  scheduled.lr = 0.01;
  assert.equal(scheduled.lr, 0.01);
  assert.equal(scheduled.stateDict().options.lr, 0.01);
  setGrads(p1, 0);
  setGrads(p2, 0);
  scheduled.step();
  fixed.step();
  p1.forEach((p, i) => assert.deepEqual(bits(p.data), bits(p2[i].data)));
  assert.throws(() => (scheduled.lr = -1), /Adam: lr must be a finite number in \[0, 1000000\], got -1/);
  assert.throws(() => (scheduled.lr = NaN), /Adam: lr must be a finite number in \[0, 1000000\], got NaN/);
  assert.equal(scheduled.lr, 0.01);
});

test("maximize ascends: the same as descending on the negated gradient", () => {
  const makers: [string, (p: Param[], maximize: boolean) => Optimizer][] = [
    ["SGD", (p, maximize) => new SGD(p, { lr: 0.1, momentum: 0.9, weightDecay: 0.1, maximize })],
    ["Adam", (p, maximize) => new Adam(p, { weightDecay: 0.1, maximize })],
    ["AdamW", (p, maximize) => new AdamW(p, { maximize })],
    ["RMSprop", (p, maximize) => new RMSprop(p, { centered: true, momentum: 0.5, maximize })],
  ];
  for (const [name, make] of makers) {
    const up = makeParams(12);
    const down = cloneParams(up);
    const a = make(up, true);
    const b = make(down, false);
    for (let k = 0; k < 3; k++) {
      setGrads(up, k);
      setGrads(down, k);
      for (const p of down) if (p.grad !== null) p.grad.data.forEach((x, j, arr) => (arr[j] = -x));
      a.step();
      b.step();
    }
    up.forEach((p, i) => assert.deepEqual(bits(p.data), bits(down[i].data), `${name} parameter ${i}`));
  }
});

test("step refuses a gradient whose length differs from the parameter's", () => {
  const params = makeParams(10);
  const opt = new SGD(params, { lr: 0.1 });
  setGrads(params, 0);
  params[1].grad = { data: new Float32Array(4) };
  const before = params.map((p) => p.data.slice());
  assert.throws(() => opt.step(), /SGD\.step: parameter 1 \(shape \[5\]\) has 5 elements but its gradient has 4/);
  params.forEach((p, i) => assert.deepEqual(p.data, before[i], `parameter ${i} changed`));
  assert.deepEqual(opt.stateDict().step, [0, 0, 0]);
});

function steppedAdam(): { params: Param[]; opt: Adam; state: OptimizerState } {
  const params = makeParams(13);
  const opt = new Adam(params);
  setGrads(params, 1);
  opt.step();
  return { params, opt, state: opt.stateDict() };
}

test("loadStateDict refuses a state of another optimizer kind", () => {
  const { state } = steppedAdam();
  const sgd = new SGD(makeParams(13), { lr: 0.1 });
  assert.throws(() => sgd.loadStateDict(state), /SGD\.loadStateDict: the state is for Adam, not SGD/);
  const adamw = new AdamW(makeParams(13));
  assert.throws(() => adamw.loadStateDict(state), /AdamW\.loadStateDict: the state is for Adam, not AdamW/);
});

test("loadStateDict refuses a different parameter count", () => {
  const { state } = steppedAdam();
  const fewer = new Adam(makeParams(13).slice(0, 2));
  assert.throws(() => fewer.loadStateDict(state), /Adam\.loadStateDict: the state has step counts for 3 parameters but this optimizer has 2/);
});

test("loadStateDict refuses buffers of the wrong shape, unknown or missing, and leaves the optimizer unchanged", () => {
  const { opt, state } = steppedAdam();
  const before = opt.stateDict();
  const wrongSize = { ...state, buffers: { ...state.buffers, "exp_avg.1": new Float32Array(4) } };
  assert.throws(
    () => opt.loadStateDict(wrongSize),
    /Adam\.loadStateDict: buffer "exp_avg\.1" has 4 elements but parameter 1 has shape \[5\] \(5 elements\)/,
  );
  const unknown = { ...state, buffers: { ...state.buffers, "momentum_buffer.0": new Float32Array(12) } };
  assert.throws(() => opt.loadStateDict(unknown), /unexpected buffer "momentum_buffer\.0"/);
  const amsgradWithout = { ...state, buffers: { ...state.buffers, "max_exp_avg_sq.0": new Float32Array(12) } };
  assert.throws(() => opt.loadStateDict(amsgradWithout), /unexpected buffer "max_exp_avg_sq\.0"/);
  const outOfRange = { ...state, buffers: { ...state.buffers, "exp_avg.3": new Float32Array(12) } };
  assert.throws(() => opt.loadStateDict(outOfRange), /buffer "exp_avg\.3" refers to parameter 3 but there are 3 parameters/);
  const missing: Record<string, Float32Array> = { ...state.buffers };
  delete missing["exp_avg_sq.0"];
  assert.throws(
    () => opt.loadStateDict({ ...state, buffers: missing }),
    /Adam\.loadStateDict: parameter 0 has step 1 but buffer "exp_avg_sq\.0" is missing/,
  );
  // A Float64Array is what an untyped checkpoint reader might hand over.
  const wide: Record<string, Float32Array> = { ...state.buffers };
  Reflect.set(wide, "exp_avg.0", new Float64Array(12));
  assert.throws(() => opt.loadStateDict({ ...state, buffers: wide }), /buffer "exp_avg\.0" must be a Float32Array/);
  assert.throws(() => opt.loadStateDict({ ...state, step: [1, -1, 1] }), /step\[1\] must be a non-negative integer, got -1/);
  assert.throws(() => opt.loadStateDict({ ...state, step: [0, 1, 0] }), /buffer "exp_avg\.0" is present but parameter 0 has step 0/);
  assert.deepEqual(opt.stateDict(), before);
});

test("loadStateDict validates the options it restores", () => {
  const { opt, state } = steppedAdam();
  const bad = (options: Record<string, OptionValue>) => ({ ...state, options });
  assert.throws(() => opt.loadStateDict(bad({ ...state.options, lr: -1 })), /Adam\.loadStateDict: lr must be a finite number in \[0, 1000000\], got -1/);
  assert.throws(() => opt.loadStateDict(bad({ ...state.options, betas: [0.9, 1] })), /Adam\.loadStateDict: betas\[1\] must be in \[0, 1\), got 1/);
  assert.throws(() => opt.loadStateDict(bad({ ...state.options, nesterov: true })), /Adam\.loadStateDict: unknown option "nesterov"/);
});
