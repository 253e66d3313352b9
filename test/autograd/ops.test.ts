// Forward values of the tensor ops on small cases whose answers follow from the definitions,
// and the tape's bookkeeping (accumulation, aliasing, noGrad, detach).
import { test } from "node:test";
import assert from "node:assert/strict";
import { tensor, zeros, noGrad, sum, mean, permute, concat, stack, split, softmax, oneHot, matmul, Tensor } from "recurrent";

const arr = (t: Tensor): number[] => t.toArray();

test("broadcasting add and mul", () => {
  const a = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(arr(a.add(tensor([10, 20, 30]))), [11, 22, 33, 14, 25, 36]);
  assert.deepEqual(arr(a.mul(tensor([[2], [3]]))), [2, 4, 6, 12, 15, 18]);
  assert.deepEqual(arr(a.sub(1)), [0, 1, 2, 3, 4, 5]);
});

test("sum and mean over axes", () => {
  const a = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 3, 2]);
  assert.deepEqual(arr(sum(a, 1)), [9, 12, 27, 30]);
  assert.deepEqual(sum(a, [0, 2], true).shape, [1, 3, 1]);
  assert.deepEqual(arr(sum(a, [0, 2])), [1 + 2 + 7 + 8, 3 + 4 + 9 + 10, 5 + 6 + 11 + 12]);
  assert.equal(mean(a).item(), 6.5);
});

test("matmul layouts agree with each other", () => {
  const a = tensor([[1, 2], [3, 4], [5, 6]]); // (3, 2)
  const b = tensor([[1, 0, 2], [0, 1, 3]]); // (2, 3)
  const ab = arr(matmul(a, b));
  assert.deepEqual(ab, [1, 2, 8, 3, 4, 18, 5, 6, 28]);
  assert.deepEqual(arr(matmul(a.transpose(0, 1), b, { transA: true })), ab);
  assert.deepEqual(arr(matmul(a, b.transpose(0, 1), { transB: true })), ab);
  assert.deepEqual(arr(matmul(a.transpose(0, 1), b.transpose(0, 1), { transA: true, transB: true })), ab);
});

test("permute, concat, stack, split", () => {
  const a = tensor([0, 1, 2, 3, 4, 5], [1, 2, 3]);
  const p = permute(a, [2, 0, 1]);
  assert.deepEqual(p.shape, [3, 1, 2]);
  assert.deepEqual(arr(p), [0, 3, 1, 4, 2, 5]);
  const c = concat([tensor([[1, 2]]), tensor([[3], [4]]).reshape([1, 2])], 0);
  assert.deepEqual(arr(c), [1, 2, 3, 4]);
  assert.deepEqual(stack([tensor([1, 2]), tensor([3, 4])], 1).toArray(), [1, 3, 2, 4]);
  const [x, y] = split(tensor([1, 2, 3]), [1, 2], 0);
  assert.deepEqual([arr(x!), arr(y!)], [[1], [2, 3]]);
});

test("softmax rows sum to one and are stable for large logits", () => {
  const s = softmax(tensor([[1000, 1001, 1002], [0, 0, 0]]));
  const d = s.data;
  assert.ok(Math.abs(d[0]! + d[1]! + d[2]! - 1) < 1e-6);
  assert.ok(d.every(Number.isFinite));
  assert.ok(Math.abs(d[3]! - 1 / 3) < 1e-7);
});

test("oneHot", () => {
  const o = oneHot([2, 0], 3, [1, 2]);
  assert.deepEqual(o.shape, [1, 2, 3]);
  assert.deepEqual(arr(o), [0, 0, 1, 1, 0, 0]);
  assert.throws(() => oneHot([3], 3), /oneHot: index 3 at position 0 is outside \[0, 3\)/);
});

test("leaf gradients accumulate across backward calls", () => {
  const x = tensor([1, 2], [2], { requiresGrad: true });
  x.mul(3).sum().backward();
  x.mul(x).sum().backward();
  assert.deepEqual(arr(x.grad!), [3 + 2, 3 + 4]);
});

test("a tensor used by two branches gets the sum of both gradients (no aliasing)", () => {
  const x = tensor([1, 2, 3], [3], { requiresGrad: true });
  const a = x.add(1); // add passes its gradient straight to both inputs
  const y = a.mul(a).add(a); // dy/dx = 2a + 1
  y.sum().backward();
  assert.deepEqual(arr(x.grad!), [5, 7, 9]);
});

test("noGrad and detach cut the tape", () => {
  const x = tensor([1, 2], [2], { requiresGrad: true });
  const y = noGrad(() => x.mul(2));
  assert.equal(y.requiresGrad, false);
  assert.equal(y.gradFn, null);
  const z = x.detach().mul(2);
  assert.equal(z.requiresGrad, false);
  assert.throws(() => z.sum().backward(), /does not require grad/);
  assert.equal(zeros([2]).requiresGrad, false);
});
