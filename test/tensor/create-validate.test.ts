// Run-time argument checks of the tensor creation functions: each bad argument is refused with
// the function named, before anything is allocated.
import { test } from "node:test";
import assert from "node:assert/strict";
import { arange, full, oneHot, ones, randn, tensor, uniform, zeros, Generator } from "recurrent";
import { MAX_ELEMENTS } from "../../src/tensor/shape.js";

test("tensor: non-numeric leaves are a TypeError naming the element, not a stack overflow", () => {
  assert.throws(() => tensor(["a"] as unknown as number[]), /^TypeError: tensor: element \[0\] must be a number or an array, got "a"$/);
  assert.throws(() => tensor([[1, 2], [3, "x"]] as unknown as number[][]), /tensor: element \[1\]\[1\] must be a number or an array, got "x"/);
  assert.throws(() => tensor([1, null] as unknown as number[]), /tensor: element \[1\] must be a number or an array, got null/);
  assert.throws(() => tensor("abc" as unknown as number[]), /tensor: data must be a number, nested arrays of numbers or a typed array, got "abc"/);
  assert.throws(() => tensor({ length: -1 } as unknown as number[]), /tensor: data has length -1/);
  assert.throws(() => tensor(Array.from({ length: 3 }, () => "z") as unknown as ArrayLike<number>, [3]), /tensor: element \[0\]/);
});

test("tensor: ragged and over-deep nesting are refused; deep but valid nesting works", () => {
  assert.throws(() => tensor([[1, 2], [3]]), /tensor: nested array is ragged: \[1\] has length 1, expected 2/);
  assert.throws(() => tensor([1, [2]]), /tensor: nested array is ragged/);
  assert.throws(() => tensor([[1], 2]), /tensor: nested array is ragged: \[1\] is a number where an array was expected/);
  let deep: unknown = 1;
  for (let i = 0; i < 100_000; i++) deep = [deep];
  assert.throws(() => tensor(deep as number[]), /^RangeError: tensor: nested array is deeper than 32 levels/);
  let ok: unknown = 7;
  for (let i = 0; i < 32; i++) ok = [ok];
  assert.equal(tensor(ok as number[]).ndim, 32);
  assert.deepEqual(tensor([[1, 2], [3, 4]]).shape, [2, 2]);
  assert.deepEqual(tensor([[], []]).shape, [2, 0]);
  assert.deepEqual(tensor(5).shape, []);
});

test("tensor: shape must match the values; options are checked", () => {
  assert.throws(() => tensor([1, 2, 3], [2, 2]), /tensor: 3 values do not fill shape \[2, 2\] \(4 elements\)/);
  assert.throws(() => tensor(new Float32Array(4), [-4]), /tensor: shape must hold non-negative integers, got -4 at dim 0/);
  assert.throws(() => tensor([1], undefined, { requiresGrad: "yes" } as unknown as { requiresGrad: boolean }), /tensor: option requiresGrad must be true or false, got "yes"/);
  assert.deepEqual(Array.from(tensor(Int32Array.from([1, 2]), [2, 1]).data), [1, 2]);
});

test("zeros/ones/full/randn/uniform: bad shapes are named errors, before allocating", () => {
  for (const [name, make] of [
    ["zeros", (s: number[]) => zeros(s)],
    ["ones", (s: number[]) => ones(s)],
    ["full", (s: number[]) => full(s, 2)],
    ["randn", (s: number[]) => randn(s)],
    ["uniform", (s: number[]) => uniform(s)],
  ] as const) {
    assert.throws(() => make([-1]), new RegExp(`^RangeError: ${name}: shape must hold non-negative integers, got -1 at dim 0 of \\[-1\\]$`));
    assert.throws(() => make([2.5]), new RegExp(`${name}: shape must hold non-negative integers, got 2.5 at dim 0`));
    assert.throws(() => make([NaN]), new RegExp(`${name}: shape must hold non-negative integers, got NaN`));
    assert.throws(() => make(3 as unknown as number[]), new RegExp(`^TypeError: ${name}: shape must be an array of non-negative integers, got 3$`));
    // 2^40 elements would need 4 TiB: refused by the limit, not by the allocator.
    assert.throws(() => make([2 ** 20, 2 ** 20]), new RegExp(`${name}: shape \\[1048576, 1048576\\] holds 1099511627776 elements, more than the limit of ${MAX_ELEMENTS} \\(2\\^28\\)`));
  }
  assert.equal(MAX_ELEMENTS, 2 ** 28);
  assert.throws(() => full([2], NaN), /full: value must be a number, got NaN/);
  assert.throws(() => full([2], "1" as unknown as number), /full: value must be a number, got "1"/);
  assert.equal(full([1], -Infinity).data[0], -Infinity);
  assert.throws(() => uniform([2], 1, 0), /uniform: low must be <= high, got low=1, high=0/);
  assert.throws(() => uniform([2], 0, Infinity), /uniform: high must be a finite number, got Infinity/);
  assert.throws(() => uniform([2], -1e308, 1e308), /uniform: high - low overflows/);
  assert.throws(() => randn([2], { generator: {} as Generator }), /randn: option generator must be a Generator, got an object/);
});

test("arange and oneHot check their arguments", () => {
  assert.throws(() => arange(-1), /^RangeError: arange: n must be a non-negative integer, got -1$/);
  assert.throws(() => arange(1.5), /arange: n must be a non-negative integer, got 1.5/);
  assert.throws(() => arange(2 ** 40), /arange: shape \[1099511627776\] holds 1099511627776 elements, more than the limit/);
  assert.deepEqual(Array.from(arange(3).data), [0, 1, 2]);
  assert.throws(() => oneHot([0, 1], 0), /oneHot: numClasses must be a positive integer, got 0/);
  assert.throws(() => oneHot([0, 3], 3), /oneHot: index 3 at position 1 is outside \[0, 3\)/);
  assert.throws(() => oneHot([0, "1"] as unknown as number[], 3), /oneHot: index "1" at position 1 is outside \[0, 3\)/);
  assert.throws(() => oneHot(5 as unknown as number[], 3), /oneHot: indices must be an array of class indices, got 5/);
  assert.throws(() => oneHot(new Int32Array(2 ** 20), 2 ** 20), /oneHot: shape \[1048576, 1048576\] holds .* more than the limit/);
  assert.deepEqual(oneHot([2, 0], 3).shape, [2, 3]);
});
