// Bad arguments to the indexing, sorting, tiling, min/max and cumulative ops throw errors that
// name the op, the argument, what was expected and what came; and the odd cases follow PyTorch.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  tensor,
  zeros,
  gather,
  scatterAdd,
  argmax,
  argmin,
  topk,
  expand,
  repeat,
  tile,
  where,
  maximum,
  clamp,
  maskedFill,
  cumsum,
  logsumexp,
} from "recurrent";

const x = tensor([[1, 5, 3], [4, 2, 6]]);

test("gather and scatterAdd check dim, index values and index shape", () => {
  assert.throws(() => gather(x, 2, zeros([2, 3])), /gather: dim must be an integer in \[-2, 1\] for a tensor of shape \[2, 3\], got 2/);
  assert.throws(() => gather(x, 1, tensor([[0, 3]])), /gather: index must hold integers in \[0, 2\], got 3 at flat position 1/);
  assert.throws(() => gather(x, 1, tensor([[0.5]])), /gather: index must hold integers in \[0, 2\], got 0.5/);
  assert.throws(() => gather(x, 1, tensor([0, 1])), /gather: index must have as many dims as x \(2, shape \[2, 3\]\), got shape \[2\]/);
  assert.throws(() => gather(x, 1, zeros([3, 1])), /gather: index size 3 on dim 0 exceeds x's size 2/);
  assert.throws(() => scatterAdd(x, 0, zeros([2, 3]), zeros([1, 3])), /scatterAdd: index size 2 on dim 0 exceeds src's size 1/);
  assert.throws(() => scatterAdd(x, -3, zeros([2, 3]), zeros([2, 3])), /scatterAdd: dim must be an integer/);
});

test("argmax, argmin and topk", () => {
  assert.equal(argmax(x).item(), 5);
  assert.deepEqual(argmax(x).shape, []);
  assert.deepEqual(argmin(x, 1).toArray(), [0, 1]);
  assert.deepEqual(argmax(tensor([1, NaN, 3])).item(), 1);
  assert.throws(() => argmax(zeros([0])), /argmax: x is empty \(shape \[0\]\)/);
  const [v, i] = topk(x, 2);
  assert.deepEqual(v.toArray(), [5, 3, 6, 4]);
  assert.deepEqual(i.toArray(), [1, 2, 2, 0]);
  assert.equal(v.requiresGrad, false);
  assert.throws(() => topk(x, 4), /topk: k must be an integer in \[0, 3\] \(the size of dim -1 of shape \[2, 3\]\), got 4/);
  assert.throws(() => topk(x, 1, 5), /topk: dim must be an integer in \[-2, 1\]/);
});

test("expand, repeat and tile check shapes and counts", () => {
  assert.throws(() => expand(x, [3]), /expand: shape \[3\] has 1 dims, fewer than x's 2/);
  assert.throws(() => expand(x, [2, 4]), /expand: dim 1 of x \(shape \[2, 3\]\) has size 3, which cannot expand to 4/);
  assert.throws(() => expand(x, [-1, 2, 3]), /expand: -1 is not allowed for the new leading dim 0/);
  assert.deepEqual(expand(tensor([[1], [2]]), [2, -1, 3]).shape, [2, 2, 3]);
  assert.throws(() => repeat(x, [2]), /repeat: reps \[2\] has 1 entries but x has 2 dims/);
  assert.throws(() => repeat(x, [2, -1]), /repeat: reps\[1\] must be a non-negative integer, got -1/);
  assert.deepEqual(repeat(tensor([1, 2]), [2]).toArray(), [1, 2, 1, 2]);
  assert.deepEqual(tile(x, [2]).shape, [2, 6]);
  assert.throws(() => tile(x, [1.5]), /tile: reps\[0\] must be a non-negative integer, got 1.5/);
});

test("where, maximum, clamp and maskedFill", () => {
  assert.throws(() => where(zeros([2]), x, 0), /where: cond of shape \[2\], a of shape \[2, 3\] and b of shape \[\] cannot be broadcast together/);
  assert.deepEqual(where(tensor([1, 0]), tensor([1, 2]), 9).toArray(), [1, 9]);
  assert.throws(() => maximum(x, zeros([2])), /maximum: x of shape \[2, 3\] and y of shape \[2\] cannot be broadcast together/);
  assert.ok(Number.isNaN(maximum(tensor([NaN]), 1).item()));
  assert.throws(() => clamp(x), /clamp: give at least one of min and max, got neither/);
  assert.throws(() => clamp(x, NaN), /clamp: min must be a number, got NaN/);
  assert.deepEqual(clamp(x, 4, 2).toArray(), [2, 2, 2, 2, 2, 2]);
  assert.throws(() => maskedFill(x, zeros([3, 1]), 0), /maskedFill: mask of shape \[3, 1\] must broadcast to x's shape \[2, 3\]/);
  assert.throws(() => maskedFill(x, zeros([1, 2, 3]), 0), /maskedFill: mask of shape \[1, 2, 3\] must broadcast to x's shape \[2, 3\]/);
});

test("cumsum and logsumexp", () => {
  assert.throws(() => cumsum(x, 2), /cumsum: dim must be an integer in \[-2, 1\]/);
  assert.throws(() => logsumexp(x, []), /logsumexp: dim must name at least one axis of shape \[2, 3\], got \[\]/);
  assert.equal(logsumexp(tensor([-Infinity, -Infinity]), 0).item(), -Infinity);
  assert.equal(logsumexp(tensor([1, Infinity]), 0).item(), Infinity);
  assert.ok(Math.abs(logsumexp(tensor([1000, 1000]), 0).item() - (1000 + Math.LN2)) < 1e-3);
});

test("tensor methods call the same ops", () => {
  const idx = tensor([[2], [0]]);
  assert.deepEqual(x.gather(1, idx).toArray(), [3, 4]);
  assert.deepEqual(x.clamp(2, 4).toArray(), [2, 4, 3, 4, 2, 4]);
  assert.deepEqual(x.cumsum(1).toArray(), [1, 6, 9, 4, 6, 12]);
  assert.deepEqual(x.argmax(1, true).shape, [2, 1]);
  assert.deepEqual(x.maximum(3).toArray(), [3, 5, 3, 4, 3, 6]);
  assert.deepEqual(x.minimum(3).toArray(), [1, 3, 3, 3, 2, 3]);
  assert.deepEqual(x.repeat([1, 2]).shape, [2, 6]);
  assert.deepEqual(x.tile([2, 1]).shape, [4, 3]);
  assert.deepEqual(x.expand([3, 2, 3]).shape, [3, 2, 3]);
  assert.deepEqual(x.maskedFill(tensor([1, 0, 0]), 0).toArray(), [0, 5, 3, 0, 2, 6]);
  assert.deepEqual(x.topk(1)[1].toArray(), [1, 2]);
  assert.deepEqual(x.argmin().item(), 0);
  assert.deepEqual(x.scatterAdd(0, tensor([[1, 1, 1]]), tensor([[1, 1, 1]])).toArray(), [1, 5, 3, 5, 3, 7]);
  assert.ok(Math.abs(x.logsumexp(1).toArray()[0]! - Math.log(Math.exp(1) + Math.exp(5) + Math.exp(3))) < 1e-5);
});
