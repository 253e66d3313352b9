// Constructor checks: every bad hyper-parameter is refused with the optimiser, the option,
// what was expected and what came.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Adam, AdamW, RMSprop, SGD, type ParamLike } from "../../src/optim/index.js";
import { MAX_LR } from "../../src/optim/validate.js";

function params(): ParamLike[] {
  return [{ shape: [2], data: new Float32Array(2), grad: null }];
}

test("lr must be finite, non-negative and at most MAX_LR = 1e6, for every optimizer", () => {
  for (const lr of [-1, NaN, Infinity, 1e300, 1e6 + 1]) {
    const shown = String(lr).replace("+", "\\+");
    assert.throws(() => new SGD(params(), { lr }), new RegExp(`^RangeError: SGD: lr must be a finite number in \\[0, 1000000\\], got ${shown}$`));
    assert.throws(() => new Adam(params(), { lr }), new RegExp(`Adam: lr must be a finite number in \\[0, 1000000\\], got ${shown}`));
    assert.throws(() => new AdamW(params(), { lr }), new RegExp(`AdamW: lr must be a finite number in \\[0, 1000000\\], got ${shown}`));
    assert.throws(() => new RMSprop(params(), { lr }), new RegExp(`RMSprop: lr must be a finite number in \\[0, 1000000\\], got ${shown}`));
  }
  assert.doesNotThrow(() => new SGD(params(), { lr: 0 }));
  assert.doesNotThrow(() => new SGD(params(), { lr: MAX_LR }));
  assert.equal(MAX_LR, 1e6);
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

test("momentum, dampening and alpha must lie in [0, 1]; weightDecay in [0, 1e6]", () => {
  assert.throws(() => new SGD(params(), { lr: 0.1, momentum: -0.5 }), /SGD: momentum must be a number in \[0, 1\], got -0\.5/);
  assert.throws(() => new SGD(params(), { lr: 0.1, momentum: 1.5 }), /SGD: momentum must be a number in \[0, 1\], got 1\.5/);
  assert.throws(() => new SGD(params(), { lr: 0.1, dampening: 2 }), /SGD: dampening must be a number in \[0, 1\], got 2/);
  assert.throws(() => new RMSprop(params(), { momentum: -1 }), /RMSprop: momentum must be a number in \[0, 1\], got -1/);
  assert.throws(() => new RMSprop(params(), { momentum: NaN }), /RMSprop: momentum must be a number in \[0, 1\], got NaN/);
  assert.throws(() => new SGD(params(), { lr: 0.1, weightDecay: -1 }), /SGD: weightDecay must be a finite number in \[0, 1000000\], got -1/);
  assert.throws(() => new Adam(params(), { weightDecay: Infinity }), /Adam: weightDecay must be a finite number in \[0, 1000000\], got Infinity/);
  assert.throws(() => new RMSprop(params(), { alpha: -0.1 }), /RMSprop: alpha must be a number in \[0, 1\], got -0\.1/);
  assert.throws(() => new RMSprop(params(), { alpha: 1.01 }), /RMSprop: alpha must be a number in \[0, 1\], got 1\.01/);
});

test("an SGD step with the largest accepted lr stays finite; lr 1e300 is refused before any step", () => {
  const p: ParamLike = { shape: [2], data: Float32Array.from([1, -1]), grad: { data: Float32Array.from([0.5, -0.25]) } };
  const opt = new SGD([p], { lr: MAX_LR });
  opt.step();
  assert.ok(p.data.every(Number.isFinite), `after one step: ${Array.from(p.data).join(", ")}`);
  assert.throws(() => new SGD([p], { lr: 1e300 }), /SGD: lr must be a finite number in \[0, 1000000\], got 1e\+300/);
  assert.throws(() => (opt.lr = 1e300), /SGD: lr must be a finite number in \[0, 1000000\], got 1e\+300/);
});

test("bad option values are described in bounded text, never dumped whole", () => {
  const huge = "x".repeat(1_000_000);
  const err = (() => {
    try {
      Reflect.construct(SGD, [params(), { lr: huge }]);
    } catch (e) {
      return e;
    }
    return null;
  })();
  assert.ok(err instanceof RangeError);
  assert.ok(err.message.length < 200, `message of ${err.message.length} characters`);
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
