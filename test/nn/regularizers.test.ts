// Regularizers: penalties and their gradients against TF.js (tools/gen_keras_fixtures.ts),
// Keras's defaults, configs and errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Tensor, tensor, getRegularizer, regularizerNames, serializeRegularizer, regularizationPenalty, regularizers, gradCheck, randn, Generator } from "recurrent";
import { type JsonTensor, assertClose, readFixture, toTensor } from "../helpers/fixtures.js";

interface RegularizerCase {
  kind: string;
  config: { l1?: number; l2?: number };
  tfjsClass: string;
  tfjsConfig: { l1: number; l2: number };
  weight: JsonTensor;
  penalty: JsonTensor;
  grad: JsonTensor;
}

const fixture = readFixture<{ cases: Record<string, RegularizerCase> }>("keras", "regularizers");

for (const [name, c] of Object.entries(fixture.cases)) {
  test(`${name}: penalty and gradient match TF.js within 1e-6`, () => {
    const r = getRegularizer({ className: c.kind, config: c.config });
    const cfg = r.getConfig();
    assert.equal(cfg["l1"] ?? 0, c.tfjsConfig.l1, "l1 factor");
    assert.equal(cfg["l2"] ?? 0, c.tfjsConfig.l2, "l2 factor");
    // TF.js serializes all three as its one class, L1L2: the same object in our registry.
    assert.deepEqual(getRegularizer({ className: c.tfjsClass, config: c.tfjsConfig }).getConfig(), { l1: c.tfjsConfig.l1, l2: c.tfjsConfig.l2 });
    const w = toTensor(c.weight, true);
    const p = r.penalty(w);
    assert.deepEqual(p.shape, []);
    assertClose(p.data, c.penalty, `${name} penalty`, 1e-6, 1e-6);
    p.backward();
    assertClose(w.grad!.data, c.grad, `${name} gradient`, 1e-6, 1e-6);
  });
}

test("defaults are Keras's 0.01; l1 and l2 accept a bare number", () => {
  assert.deepEqual(regularizers.l1().getConfig(), { l1: 0.01 });
  assert.deepEqual(regularizers.l2(0.3).getConfig(), { l2: 0.3 });
  assert.deepEqual(regularizers.l1l2().getConfig(), { l1: 0.01, l2: 0.01 });
  assert.deepEqual(getRegularizer("l1_l2").getConfig(), { l1: 0.01, l2: 0.01 });
  assert.deepEqual(regularizerNames(), ["l1", "l2", "l1l2"]);
  assert.equal(regularizers.l1l2({ l1: 0, l2: 0 }).penalty(tensor([1, 2])).item(), 0);
});

test("gradCheck of each penalty", () => {
  for (const r of [regularizers.l1(0.3), regularizers.l2(0.2), regularizers.l1l2({ l1: 0.1, l2: 0.4 })]) {
    const w = randn([3, 4], { generator: new Generator(5) });
    const res = gradCheck((x) => r.penalty(x), [new Tensor(w.data, w.shape, true)]);
    assert.ok(res.ok, `${r.className}: ${res.failures.join("; ")}`);
  }
});

test("configs round-trip; regularizationPenalty sums pairs", () => {
  for (const r of [regularizers.l1(0.2), regularizers.l2(0.1), regularizers.l1l2({ l1: 0.05, l2: 0.5 })]) {
    const back = getRegularizer(serializeRegularizer(r));
    assert.equal(back.className, r.className);
    assert.deepEqual(back.getConfig(), r.getConfig());
  }
  assert.deepEqual(regularizers.L1L2.fromConfig({ l1: 0.2 }).getConfig(), { l1: 0.2, l2: 0.01 });
  const w = tensor([1, -2], [2], { requiresGrad: true });
  const total = regularizationPenalty([
    [regularizers.l1(0.5), w],
    [regularizers.l2(0.25), w],
  ]);
  assert.ok(total);
  assert.equal(total.item(), 0.5 * 3 + 0.25 * 5);
  total.backward();
  assert.deepEqual(w.grad!.toArray(), [0.5 + 0.5, -0.5 - 1]);
  assert.equal(regularizationPenalty([]), null);
});

test("errors name the regularizer, the option and the known names", () => {
  assert.throws(() => getRegularizer("l3"), /getRegularizer: unknown regularizer "l3" \(did you mean "l1"\?\); known regularizers: l1, l2, l1l2/);
  assert.throws(() => regularizers.l1l2({ l1: -1 }), /L1L2: option l1 must be a finite number >= 0, got -1/);
  assert.throws(() => regularizers.l1({ l2: 0.1 } as { l1?: number }), /L1: unknown option "l2"/);
  assert.throws(() => regularizers.l2().penalty([1, 2] as unknown as Tensor), /L2.penalty: w must be a Tensor, got an array of length 2/);
});
