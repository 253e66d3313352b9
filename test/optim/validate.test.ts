// Constructor checks: every bad hyper-parameter is refused with the optimiser, the option,
// what was expected and what came.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Adam, AdamW, RMSprop, SGD, type ParamLike } from "../../src/optim/index.js";

function params(): ParamLike[] {
  return [{ shape: [2], data: new Float32Array(2), grad: null }];
}

test("lr must be finite and non-negative, for every optimizer", () => {
  for (const lr of [-1, NaN, Infinity]) {
    const shown = String(lr);
    assert.throws(() => new SGD(params(), { lr }), new RegExp(`^RangeError: SGD: lr must be a finite number >= 0, got ${shown}$`));
    assert.throws(() => new Adam(params(), { lr }), new RegExp(`Adam: lr must be a finite number >= 0, got ${shown}`));
    assert.throws(() => new AdamW(params(), { lr }), new RegExp(`AdamW: lr must be a finite number >= 0, got ${shown}`));
    assert.throws(() => new RMSprop(params(), { lr }), new RegExp(`RMSprop: lr must be a finite number >= 0, got ${shown}`));
  }
  assert.doesNotThrow(() => new SGD(params(), { lr: 0 }));
});

test("SGD needs lr: there is no default", () => {
  const noLr = {};
  Reflect.set(noLr, "momentum", 0.9);
  assert.throws(() => Reflect.construct(SGD, [params(), noLr]), /SGD: lr is required/);
});

test("betas must each lie in [0, 1)", () => {
  assert.throws(() => new Adam(params(), { betas: [1, 0.999] }), /Adam: betas\[0\] must be in \[0, 1\), got 1/);
  assert.throws(() => new Adam(params(), { betas: [0.9, -0.1] }), /Adam: betas\[1\] must be in \[0, 1\), got -0\.1/);
  assert.throws(() => new AdamW(params(), { betas: [0.9, NaN] }), /AdamW: betas\[1\] must be in \[0, 1\), got NaN/);
  const single = {};
  Reflect.set(single, "betas", [0.9]);
  assert.throws(() => new Adam(params(), single), /Adam: betas must be a pair \[beta1, beta2\], got \[0\.9\]/);
  assert.doesNotThrow(() => new Adam(params(), { betas: [0, 0] }));
});

test("eps must be > 0", () => {
  assert.throws(() => new Adam(params(), { eps: 0 }), /Adam: eps must be a finite number > 0, got 0/);
  assert.throws(() => new AdamW(params(), { eps: -1e-8 }), /AdamW: eps must be a finite number > 0, got -1e-8/);
  assert.throws(() => new RMSprop(params(), { eps: 0 }), /RMSprop: eps must be a finite number > 0, got 0/);
});

test("momentum, weightDecay and alpha must be non-negative", () => {
  assert.throws(() => new SGD(params(), { lr: 0.1, momentum: -0.5 }), /SGD: momentum must be a finite number >= 0, got -0\.5/);
  assert.throws(() => new RMSprop(params(), { momentum: -1 }), /RMSprop: momentum must be a finite number >= 0, got -1/);
  assert.throws(() => new SGD(params(), { lr: 0.1, weightDecay: -1 }), /SGD: weightDecay must be a finite number >= 0, got -1/);
  assert.throws(() => new Adam(params(), { weightDecay: -1 }), /Adam: weightDecay must be a finite number >= 0, got -1/);
  assert.throws(() => new RMSprop(params(), { alpha: -0.1 }), /RMSprop: alpha must be a finite number >= 0, got -0\.1/);
});

test("nesterov needs momentum > 0 and zero dampening (PyTorch's rule)", () => {
  assert.throws(
    () => new SGD(params(), { lr: 0.1, nesterov: true }),
    /SGD: nesterov requires momentum > 0 and dampening 0, got momentum 0 and dampening 0/,
  );
  assert.throws(
    () => new SGD(params(), { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }),
    /SGD: nesterov requires momentum > 0 and dampening 0, got momentum 0\.9 and dampening 0\.1/,
  );
  assert.doesNotThrow(() => new SGD(params(), { lr: 0.1, momentum: 0.9, nesterov: true }));
});

test("the parameter list must be non-empty, without duplicates, with shapes matching the data", () => {
  assert.throws(() => new SGD([], { lr: 0.1 }), /SGD: params is an empty list; there is nothing to optimize/);
  assert.throws(() => new Adam([]), /Adam: params is an empty list/);
  assert.throws(() => new RMSprop(new Set<ParamLike>()), /RMSprop: params is an empty list/);
  const p = params()[0];
  assert.throws(() => new AdamW([p, p]), /AdamW: params\[1\] appears more than once in the parameter list/);
  const bad: ParamLike = { shape: [2, 2], data: new Float32Array(3), grad: null };
  assert.throws(() => new SGD([bad], { lr: 0.1 }), /SGD: params\[0\] has shape \[2, 2\] \(4 elements\) but 3 values/);
});

test("any iterable of parameters is accepted", () => {
  const set = new Set(params());
  const opt = new Adam(set);
  assert.equal(opt.params.length, 1);
});

test("an unknown option name is refused rather than ignored", () => {
  const typo = { lr: 0.1 };
  Reflect.set(typo, "learningRate", 0.1);
  assert.throws(() => new SGD(params(), typo), /SGD: unknown option "learningRate"; the options are lr, momentum, dampening, weightDecay, nesterov, maximize/);
  const other = {};
  Reflect.set(other, "momentum", 0.9);
  assert.throws(() => new Adam(params(), other), /Adam: unknown option "momentum"/);
});

test("defaults are PyTorch's", () => {
  assert.deepEqual(new Adam(params()).getOptions(), { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false });
  assert.deepEqual(new AdamW(params()).getOptions(), { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false });
  assert.deepEqual(new RMSprop(params()).getOptions(), {
    lr: 1e-2,
    alpha: 0.99,
    eps: 1e-8,
    weightDecay: 0,
    momentum: 0,
    centered: false,
    maximize: false,
  });
  assert.deepEqual(new SGD(params(), { lr: 0.1 }).getOptions(), {
    lr: 0.1,
    momentum: 0,
    dampening: 0,
    weightDecay: 0,
    nesterov: false,
    maximize: false,
  });
});
