// crossEntropy runs as one fused tape node; its loss and its gradient must equal, bit for bit,
// the two-node graph it replaces (logSoftmax then nllLoss), for every option.
import { test } from "node:test";
import assert from "node:assert/strict";
import { crossEntropy, nllLoss, tensor, type Tensor } from "recurrent";
import { Generator } from "../../src/tensor/random.js";

const rng = new Generator(11);

function bits(a: Float32Array): number[] {
  return [...new Uint32Array(a.buffer, a.byteOffset, a.length)];
}

function run(loss: (x: Tensor) => Tensor, data: Float32Array, N: number, C: number, seed: Float32Array | null): { value: Float32Array; grad: Float32Array } {
  const x = tensor(data.slice(), [N, C], { requiresGrad: true });
  const l = loss(x);
  if (seed === null) l.backward();
  else l.backward(tensor(seed, [N]));
  return { value: l.data, grad: x.grad!.data };
}

test("crossEntropy equals logSoftmax + nllLoss bit for bit: loss and gradient, every reduction, ignoreIndex and label smoothing", () => {
  const [N, C] = [37, 11];
  const data = Float32Array.from({ length: N * C }, () => rng.normal() * 4);
  const targets = Int32Array.from({ length: N }, (_, i) => (i % 7 === 3 ? -100 : rng.randint(0, C)));
  let cases = 0;
  for (const reduction of ["mean", "sum", "none"] as const) {
    for (const labelSmoothing of [0, 0.1]) {
      const opts = { reduction, labelSmoothing };
      const seed = reduction === "none" ? Float32Array.from({ length: N }, () => rng.normal()) : null;
      const fused = run((x) => crossEntropy(x, targets, opts), data, N, C, seed);
      const twoNodes = run((x) => nllLoss(x.logSoftmax(1), targets, opts), data, N, C, seed);
      assert.deepEqual(bits(fused.value), bits(twoNodes.value), `loss ${JSON.stringify(opts)}`);
      assert.deepEqual(bits(fused.grad), bits(twoNodes.grad), `gradient ${JSON.stringify(opts)}`);
      cases++;
    }
  }
  assert.equal(cases, 6);
});

test("crossEntropy gives ignored rows a zero gradient and keeps its argument errors", () => {
  const x = tensor(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3], { requiresGrad: true });
  crossEntropy(x, [2, -100]).backward();
  assert.deepEqual([...x.grad!.data.subarray(3)], [0, 0, 0]);
  assert.ok(x.grad!.data[2]! < 0, "the target's logit is pushed up");
  assert.throws(() => crossEntropy(x, [0]), /crossEntropy: 1 targets for 2 rows of input \(shape \[2, 3\]\)/);
  assert.throws(() => crossEntropy(x, [0, 3]), /crossEntropy: target 3 at position 1 is outside \[0, 3\)/);
  assert.throws(() => crossEntropy(x, [-100, -100]), /crossEntropy: every target equals ignoreIndex \(-100\)/);
});
