// Run-time argument checks of the losses: reduction, shapes, targets and options.
import { test } from "node:test";
import assert from "node:assert/strict";
import { crossEntropy, mseLoss, nllLoss, tensor, zeros, type Reduction } from "recurrent";

const logits = () => tensor([[1, 2, 3], [0, 0, 1]]);

test("reduction must be mean, sum or none (an unknown one used to compute a sum)", () => {
  const foo = "foo" as unknown as Reduction;
  assert.throws(() => crossEntropy(logits(), [0, 1], { reduction: foo }), /^Error: crossEntropy: option reduction must be one of "mean", "sum", "none", got "foo"$/);
  assert.throws(() => nllLoss(logits(), [0, 1], { reduction: foo }), /nllLoss: option reduction must be one of "mean", "sum", "none", got "foo"/);
  assert.throws(() => mseLoss(zeros([2]), zeros([2]), { reduction: foo }), /mseLoss: option reduction must be one of "mean", "sum", "none", got "foo"/);
  const sum = crossEntropy(logits(), [0, 1], { reduction: "sum" }).item();
  const mean = crossEntropy(logits(), [0, 1]).item();
  assert.ok(Math.abs(sum - 2 * mean) < 1e-6);
});

test("nllLoss and crossEntropy need 2-D (N, C) input (1-D input used to give NaN)", () => {
  assert.throws(() => nllLoss(tensor([-1, -2, -0.5]), [0]), /^RangeError: nllLoss: input must be 2-D \(N, C\), got shape \[3\]$/);
  assert.throws(() => crossEntropy(tensor([1, 2, 3]), [0]), /crossEntropy: logits must be 2-D \(N, C\), got shape \[3\]/);
  assert.throws(() => crossEntropy(zeros([2, 0]), [0, 0]), /crossEntropy: logits has shape \[2, 0\], with no classes/);
  assert.throws(() => crossEntropy([[1, 2]] as unknown as ReturnType<typeof zeros>, [0]), /^TypeError: crossEntropy: logits must be a Tensor of shape \(N, C\), got an array of length 1$/);
});

test("targets: one per row, integers in [0, C) or ignoreIndex", () => {
  assert.throws(() => crossEntropy(logits(), [0]), /crossEntropy: 1 targets for 2 rows of input \(shape \[2, 3\]\)/);
  assert.throws(() => crossEntropy(logits(), [0, 3]), /crossEntropy: target 3 at position 1 is outside \[0, 3\)/);
  assert.throws(() => nllLoss(logits(), [0, 0.5]), /nllLoss: target 0.5 at position 1 is outside \[0, 3\)/);
  assert.throws(() => crossEntropy(logits(), [0, "1"] as unknown as number[]), /crossEntropy: target "1" at position 1/);
  assert.throws(() => crossEntropy(logits(), 7 as unknown as number[]), /crossEntropy: targets must be an array or a 1-D Tensor of N class indices, got 7/);
  assert.ok(Number.isFinite(crossEntropy(logits(), [0, -100]).item()));
});

test("options: names, types and ranges", () => {
  assert.throws(() => crossEntropy(logits(), [0, 1], { labelSmoothing: 1.5 }), /crossEntropy: option labelSmoothing must be a finite number >= 0 and <= 1, got 1.5/);
  assert.throws(() => crossEntropy(logits(), [0, 1], { ignoreIndex: 0.5 }), /crossEntropy: option ignoreIndex must be an integer, got 0.5/);
  assert.throws(() => crossEntropy(logits(), [0, 1], { reductoin: "sum" } as unknown as { reduction: Reduction }), /crossEntropy: unknown option "reductoin" \(did you mean "reduction"\?\)/);
  assert.throws(() => mseLoss(zeros([2]), [0, 0] as unknown as ReturnType<typeof zeros>), /^TypeError: mseLoss: target must be a Tensor, got an array of length 2$/);
});

test("targets may be a 1-D Tensor of class indices, as in PyTorch; other shapes are refused", () => {
  const fromArray = crossEntropy(logits(), [2, 0]).item();
  const fromTensor = crossEntropy(logits(), tensor([2, 0])).item();
  assert.equal(fromTensor, fromArray);
  assert.equal(nllLoss(logits(), tensor([1, 1])).item(), nllLoss(logits(), [1, 1]).item());
  assert.throws(() => crossEntropy(logits(), tensor([[2], [0]])), /crossEntropy: a targets Tensor must be 1-D \(N\), got shape \[2, 1\]/);
  assert.throws(() => crossEntropy(logits(), tensor([2, 0.5])), /crossEntropy: target 0.5 at position 1 is outside \[0, 3\)/);
});
