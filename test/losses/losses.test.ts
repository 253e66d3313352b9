// crossEntropy and mseLoss against PyTorch (fixtures from tools/gen_optim_fixtures.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { crossEntropy, mseLoss, zeros, type Reduction } from "recurrent";
import { readFixture, fixtureNames, toTensor, assertClose, type JsonTensor } from "../helpers/fixtures.js";

interface LossFixture {
  name: string;
  loss: "cross_entropy" | "mse_loss";
  options: { reduction: Reduction; ignoreIndex?: number; labelSmoothing?: number };
  input: JsonTensor;
  target: JsonTensor;
  value: number | null;
  gradInput: JsonTensor;
}

for (const name of fixtureNames("losses")) {
  test(`loss parity with PyTorch: ${name}`, () => {
    const f = readFixture<LossFixture>("losses", name);
    const x = toTensor(f.input, true);
    if (f.loss === "cross_entropy") {
      const targets = f.target.data.map((v) => v ?? NaN);
      if (f.value === null) {
        // PyTorch returns NaN here; we refuse with a clear error instead of a silent NaN.
        assert.throws(() => crossEntropy(x, targets, f.options), /every target equals ignoreIndex \(-?\d+\), so the mean loss is undefined/);
        return;
      }
      const loss = crossEntropy(x, targets, f.options);
      assertClose([loss.item()], [f.value], `${name} value`);
      loss.backward();
    } else {
      const loss = mseLoss(x, toTensor(f.target), f.options);
      assertClose([loss.item()], [f.value!], `${name} value`);
      loss.backward();
    }
    assertClose(x.grad!.data, f.gradInput, `${name} gradient`);
  });
}

test("crossEntropy: bad targets and shapes", () => {
  assert.throws(() => crossEntropy(zeros([2, 3]), [0, 3]), /crossEntropy: target 3 at position 1 is outside \[0, 3\)/);
  assert.throws(() => crossEntropy(zeros([2, 3]), [0]), /crossEntropy: 1 targets for 2 rows/);
  assert.throws(() => crossEntropy(zeros([2, 3, 4]), [0, 1]), /crossEntropy: logits must be 2-D \(N, C\), got shape \[2, 3, 4\]/);
  assert.throws(() => mseLoss(zeros([2, 3]), zeros([3, 2])), /mseLoss: input shape \[2, 3\] differs from target shape \[3, 2\]/);
});

test("crossEntropy reduction none gives one loss per row", () => {
  const x = toTensor({ shape: [2, 3], data: [1, 2, 3, 0, 0, 0] });
  const l = crossEntropy(x, [2, 0], { reduction: "none" });
  assert.deepEqual(l.shape, [2]);
  assertClose(l.data, [Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3, Math.log(3)], "per-row loss");
});
