// SGD details the PyTorch fixtures do not reach (they all use dampening 0).
import { test } from "node:test";
import assert from "node:assert/strict";
import { SGD, type ParamLike } from "../../src/optim/index.js";

test("SGD: the first momentum step copies the gradient into the buffer, undamped (as PyTorch)", () => {
  const p: ParamLike = { shape: [3], data: Float32Array.from([1, 2, 3]), grad: null };
  const opt = new SGD([p], { lr: 1, momentum: 0.9, dampening: 0.5 });
  p.grad = { data: Float32Array.from([0.5, -1, 2]) };
  opt.step();
  assert.deepEqual(Array.from(p.data), [0.5, 3, 1]);
  assert.deepEqual(Array.from(opt.stateDict().buffers["momentum_buffer.0"]), [0.5, -1, 2]);

  // From the second step on: b = μ·b + (1 - τ)·g.
  p.grad = { data: Float32Array.from([1, 1, 1]) };
  opt.step();
  const f = Math.fround;
  const expected = [0.5, -1, 2].map((b) => f(f(b * f(0.9)) + 0.5));
  assert.deepEqual(Array.from(opt.stateDict().buffers["momentum_buffer.0"]), expected);
});
