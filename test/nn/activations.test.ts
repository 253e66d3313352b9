// Activations by Keras name: values and gradients against TF.js (tools/gen_keras_fixtures.ts),
// gradient checks, the registry's names and errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Tensor, Generator, randn, gradCheck, getActivation, activationNames, activationName, activations, hardSigmoid, tensor } from "recurrent";
import { type JsonTensor, assertClose, readFixture, toTensor } from "../helpers/fixtures.js";

interface ActivationCase {
  tfjs: string;
  input: JsonTensor;
  output: JsonTensor;
  upstream: JsonTensor;
  grad: JsonTensor;
}

const fixture = readFixture<{ cases: Record<string, ActivationCase> }>("keras", "activations");

test("TF.js fixtures cover every activation", () => {
  assert.deepEqual(Object.keys(fixture.cases).sort(), [...activationNames()].sort());
});

let worst = 0;
for (const [name, c] of Object.entries(fixture.cases)) {
  test(`${name} matches TF.js (${c.tfjs}) within 1e-6, value and gradient`, () => {
    const f = getActivation(name);
    const x = toTensor(c.input, true);
    const y = f(x);
    assertClose(y.data, c.output, `${name} value`, 1e-6, 1e-6);
    y.mul(toTensor(c.upstream)).sum().backward();
    assert.ok(x.grad, `${name}: no gradient`);
    assertClose(x.grad.data, c.grad, `${name} gradient`, 1e-6, 1e-6);
    c.output.data.forEach((e, i) => (worst = Math.max(worst, Math.abs(y.data[i]! - (e ?? NaN)) / (1 + Math.abs(e ?? NaN)))));
  });
}

test("largest deviation from TF.js", () => {
  assert.ok(worst < 1e-6);
  console.log(`# activations: largest |a - e| / (1 + |e|) against TF.js = ${worst.toExponential(2)}`);
});

for (const name of activationNames()) {
  test(`gradCheck: ${name}`, () => {
    // Scale 2.5 spreads samples over every kink region; seeded, and checked clear of the kinks.
    const x = randn([4, 6], { generator: new Generator(7) }).mul(2.5);
    const r = gradCheck(getActivation(name), [new Tensor(x.data, x.shape, true)]);
    assert.ok(r.ok, `${name}: ${r.failures.join("; ")}`);
  });
}

test("names: Keras and TF.js spellings, which hard sigmoid is which", () => {
  assert.equal(getActivation("hard_sigmoid"), hardSigmoid);
  assert.equal(getActivation("HardSigmoid"), hardSigmoid);
  assert.equal(getActivation("gelu_new"), activations.ACTIVATIONS.geluTanh);
  assert.equal(getActivation("hard_sigmoid_keras3"), activations.ACTIVATIONS.hardSigmoidKeras3);
  assert.deepEqual(getActivation("hardSigmoid")(tensor([1])).toArray(), [Math.fround(0.7)]);
  assert.ok(Math.abs(getActivation("hardSigmoidKeras3")(tensor([1])).item() - 4 / 6) < 1e-7);
  const mine = (x: Tensor): Tensor => x.mul(2);
  assert.equal(getActivation(mine), mine);
  assert.equal(activationName(getActivation("tanh")), "tanh");
  assert.equal(activationName(mine), null);
});

test("an unknown activation names the known ones", () => {
  assert.throws(() => getActivation("relux"), /getActivation: unknown activation "relux" \(did you mean "relu"\?\); known activations: tanh, sigmoid, hardSigmoid/);
  assert.throws(() => getActivation(3 as unknown as string), /getActivation: expected an activation name or function, got 3/);
});
