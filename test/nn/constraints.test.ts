// Constraints: in-place results against TF.js (tools/gen_keras_fixtures.ts), Keras's defaults,
// configs and errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tensor, getConstraint, constraintNames, serializeConstraint, constraints } from "recurrent";
import { type JsonTensor, assertClose, readFixture, toTensor } from "../helpers/fixtures.js";

interface ConstraintCase {
  kind: string;
  config: Record<string, number>;
  tfjsClass: string;
  tfjsConfig: Record<string, number>;
  weight: JsonTensor;
  output: JsonTensor;
}

const fixture = readFixture<{ meta: { epsilon: number }; cases: Record<string, ConstraintCase> }>("keras", "constraints");

test("TF.js used Keras's epsilon", () => {
  assert.equal(fixture.meta.epsilon, constraints.CONSTRAINT_EPSILON);
});

for (const [name, c] of Object.entries(fixture.cases)) {
  test(`${name} matches TF.js within 1e-6`, () => {
    const fromName = getConstraint({ className: c.kind, config: c.config });
    const fromTfjs = getConstraint({ className: c.tfjsClass, config: c.tfjsConfig });
    assert.deepEqual(fromTfjs.getConfig(), fromName.getConfig());
    for (const con of [fromName, fromTfjs]) {
      const w = toTensor(c.weight);
      con.apply(w);
      assertClose(w.data, c.output, `${name} (${con.className})`, 1e-6, 1e-6);
    }
  });
}

test("defaults are Keras's", () => {
  assert.deepEqual(constraints.maxNorm().getConfig(), { maxValue: 2, axis: 0 });
  assert.deepEqual(constraints.unitNorm().getConfig(), { axis: 0 });
  assert.deepEqual(constraints.minMaxNorm().getConfig(), { minValue: 0, maxValue: 1, rate: 1, axis: 0 });
  assert.deepEqual(constraints.nonNeg().getConfig(), {});
  assert.deepEqual(constraintNames(), ["maxNorm", "nonNeg", "unitNorm", "minMaxNorm"]);
});

test("Keras snake_case configs, several axes, fromConfig and round trips", () => {
  const k = getConstraint({ class_name: "MaxNorm", config: { max_value: 3, axis: [0, 1] } });
  assert.deepEqual(k.getConfig(), { maxValue: 3, axis: [0, 1] });
  const w = tensor([3, 4, 0, 12], [2, 2]);
  k.apply(w);
  // One norm over both axes: 13, scaled to 3.
  assertClose(w.data, [3 * 3 / 13, 4 * 3 / 13, 0, 12 * 3 / 13], "maxNorm over [0, 1]", 1e-6, 1e-6);
  for (const c of [constraints.maxNorm({ maxValue: 1.5, axis: 1 }), constraints.nonNeg(), constraints.unitNorm({ axis: -1 }), constraints.minMaxNorm({ minValue: 0.5, rate: 0.3 })]) {
    const back = getConstraint(serializeConstraint(c));
    assert.equal(back.className, c.className);
    assert.deepEqual(back.getConfig(), c.getConfig());
  }
  assert.deepEqual(constraints.MinMaxNorm.fromConfig({ min_value: 0.1, max_value: 0.2 }).getConfig(), { minValue: 0.1, maxValue: 0.2, rate: 1, axis: 0 });
  assert.equal(getConstraint("non_neg").className, "NonNeg");
  const nn = tensor([-1, 0, 2, NaN]);
  constraints.nonNeg().apply(nn);
  assert.deepEqual(nn.toArray().slice(0, 3), [0, 0, 2]);
  assert.ok(Number.isNaN(nn.data[3]!));
});

test("errors name the constraint, the option and the known names", () => {
  assert.throws(() => getConstraint("maxnrom"), /getConstraint: unknown constraint "maxnrom" \(did you mean "maxNorm"\?\); known constraints: maxNorm, nonNeg, unitNorm, minMaxNorm/);
  assert.throws(() => constraints.maxNorm({ maxValue: -1 }), /MaxNorm: option maxValue must be a finite number >= 0, got -1/);
  assert.throws(() => constraints.unitNorm({ axis: 0.5 }), /UnitNorm: option axis must be an integer or a non-empty array of integers, got 0.5/);
  assert.throws(() => constraints.minMaxNorm({ minValue: 2, maxValue: 1 }), /MinMaxNorm: minValue \(2\) must be <= maxValue \(1\)/);
  assert.throws(() => constraints.minMaxNorm({ rate: 2 }), /MinMaxNorm: option rate must be a finite number >= 0 and <= 1, got 2/);
  assert.throws(() => constraints.maxNorm({ axis: 2 }).apply(tensor([[1, 2]])), /MaxNorm.apply: axis 2 is out of range for a weight of shape \[1, 2\]/);
  assert.throws(() => getConstraint({ className: "NonNeg", config: { axis: 0 } }), /NonNeg: unknown option "axis"/);
});
