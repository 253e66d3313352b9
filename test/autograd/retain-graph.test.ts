// A second backward pass through a graph whose saved values were freed throws, as in PyTorch,
// unless the first pass asked for retainGraph; retained graphs accumulate gradients again.
import { test } from "node:test";
import assert from "node:assert/strict";
import { LSTM, Linear, Tensor, manualSeed, randn, tensor } from "recurrent";

function throwsWith(fn: () => unknown, ...parts: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Error);
    for (const p of parts) assert.ok(e.message.includes(p), `message "${e.message}" lacks "${p}"`);
    return true;
  });
}

const copy = (t: Tensor | null): Float32Array => {
  assert.ok(t !== null, "expected a gradient");
  return t.data.slice();
};

test("backward twice through the same graph throws and leaves the first gradients unchanged", () => {
  const x = tensor([1, -2, 3], [3], { requiresGrad: true });
  const loss = x.mul(x).tanh().sum();
  loss.backward();
  const first = copy(x.grad);
  assert.ok(loss.gradFn !== null && loss.gradFn.released, "the nodes that ran are released");
  throwsWith(() => loss.backward(), "backward: this graph was already differentiated", "backward({ retainGraph: true })");
  assert.deepEqual(copy(x.grad), first);
});

test("with retainGraph the same graph can be differentiated again, and gradients accumulate twice", () => {
  const x = tensor([0.5, -1.5, 2], [3], { requiresGrad: true });
  const y = x.mul(x).sigmoid().sum();
  y.backward({ retainGraph: true });
  const once = copy(x.grad);
  assert.ok(y.gradFn !== null && !y.gradFn.released);
  y.backward();
  const twice = copy(x.grad);
  twice.forEach((v, i) => assert.equal(v, 2 * once[i]!, `element ${i}`));
  // The second call did not retain: a third one throws.
  throwsWith(() => y.backward(), "already differentiated");
});

test("backward(grad, { retainGraph }) on a non-scalar output", () => {
  const x = tensor([1, 2, 3, 4], [2, 2], { requiresGrad: true });
  const y = x.mul(3).exp();
  const g = tensor([1, 0, -1, 2], [2, 2]);
  y.backward(g, { retainGraph: true });
  const once = copy(x.grad);
  y.backward(g);
  copy(x.grad).forEach((v, i) => assert.equal(v, 2 * once[i]!));
  throwsWith(() => y.backward(g), "already differentiated");
});

test("two losses sharing a sub-graph: the first retains it, the second frees it", () => {
  const make = () => {
    const x = tensor([0.3, -0.7, 1.1], [3], { requiresGrad: true });
    const a = x.tanh().mul(x); // the shared part
    return { x, l1: a.mul(2).sum(), l2: a.mul(a).sum() };
  };
  const { x, l1, l2 } = make();
  l1.backward({ retainGraph: true });
  l2.backward();
  // The same gradient as differentiating the sum of both losses once (up to float32 summation order).
  const ref = make();
  ref.l1.add(ref.l2).backward();
  const want = copy(ref.x.grad);
  copy(x.grad).forEach((v, i) => assert.ok(Math.abs(v - want[i]!) <= 1e-6 * Math.max(1, Math.abs(want[i]!)), `element ${i}: ${v} vs ${want[i]}`));
  throwsWith(() => l1.backward(), "already differentiated");

  // Without retainGraph the first pass frees the shared part, and the second loss cannot reach it.
  const fresh = make();
  fresh.l1.backward();
  const before = copy(fresh.x.grad);
  throwsWith(() => fresh.l2.backward(), "already differentiated", "retainGraph");
  assert.deepEqual(copy(fresh.x.grad), before, "a refused pass changes no gradient");
});

test("through a fused recurrent layer: twice throws; retained, the kernels' saved values give the same gradients again", () => {
  manualSeed(5);
  const lstm = new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2 });
  const head = new Linear({ inFeatures: 4, outFeatures: 2 });
  const x = randn([5, 2, 3], { requiresGrad: true });
  const [out] = lstm.forward(x);
  const loss = head.forward(out).square().mean();
  loss.backward({ retainGraph: true });
  const once = lstm.parameters().map((p) => copy(p.grad));
  const dxOnce = copy(x.grad);
  loss.backward();
  lstm.parameters().forEach((p, k) => copy(p.grad).forEach((v, i) => assert.equal(v, 2 * once[k]![i]!, `parameter ${k} element ${i}`)));
  copy(x.grad).forEach((v, i) => assert.equal(v, 2 * dxOnce[i]!));
  throwsWith(() => loss.backward(), "already differentiated");
});

test("backward options are checked", () => {
  const x = tensor([1, 2], [2], { requiresGrad: true });
  const y = x.mul(x).sum();
  throwsWith(() => y.backward({ retain: true } as never), 'backward: unknown option "retain"', "retainGraph");
  throwsWith(() => y.backward({ retainGraph: "yes" } as never), "backward: option retainGraph must be true or false");
  throwsWith(() => y.backward(7 as never, {}), "the first argument must be the gradient");
  // A refused call frees nothing: the graph can still be differentiated.
  y.backward();
  assert.deepEqual([...copy(x.grad)], [2, 4]);
});
