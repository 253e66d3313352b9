// The indexing, sorting, tiling, min/max, cumulative and activation ops against PyTorch 1.13:
// outputs and input gradients for a seeded upstream gradient, from tools/gen_ops_fixtures.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  Tensor,
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
  minimum,
  clamp,
  maskedFill,
  cumsum,
  logsumexp,
  elu,
  selu,
  softplus,
  softsign,
  relu6,
  hardSigmoidKeras3,
  hardSigmoid,
  silu,
  gelu,
  geluTanh,
} from "recurrent";
import { type JsonTensor, assertClose, deviation, fixtureNames, readFixture, toTensor } from "../helpers/fixtures.js";

interface CaseArgs {
  dim?: number | number[];
  keepdim?: boolean;
  k?: number;
  largest?: boolean;
  shape?: number[];
  reps?: number[];
  min?: number;
  max?: number;
  value?: number;
}

interface OpCase {
  name: string;
  op: string;
  args: CaseArgs;
  inputs: Record<string, JsonTensor>;
  diff: string[];
  outputs: JsonTensor[];
  differentiableOutputs: number[];
  upstream: JsonTensor[];
  grads: Record<string, JsonTensor>;
}

type Inputs = Record<string, Tensor>;

const one = (t: Tensor): Tensor[] => [t];
const get = (xs: Inputs, k: string): Tensor => {
  const t = xs[k];
  if (t === undefined) throw new Error(`fixture has no input ${k}`);
  return t;
};
const dimOf = (a: CaseArgs): number => {
  if (typeof a.dim !== "number") throw new Error("fixture needs a numeric dim");
  return a.dim;
};

const ops: Record<string, (x: Inputs, a: CaseArgs) => Tensor[]> = {
  gather: (x, a) => one(gather(get(x, "x"), dimOf(a), get(x, "index"))),
  scatterAdd: (x, a) => one(scatterAdd(get(x, "x"), dimOf(a), get(x, "index"), get(x, "src"))),
  argmax: (x, a) => one(argmax(get(x, "x"), a.dim === undefined ? undefined : dimOf(a), a.keepdim ?? false)),
  argmin: (x, a) => one(argmin(get(x, "x"), a.dim === undefined ? undefined : dimOf(a), a.keepdim ?? false)),
  topk: (x, a) => topk(get(x, "x"), a.k ?? 1, dimOf(a), a.largest ?? true),
  expand: (x, a) => one(expand(get(x, "x"), a.shape ?? [])),
  repeat: (x, a) => one(repeat(get(x, "x"), a.reps ?? [])),
  tile: (x, a) => one(tile(get(x, "x"), a.reps ?? [])),
  where: (x) => one(where(get(x, "cond"), get(x, "a"), get(x, "b"))),
  maximum: (x) => one(maximum(get(x, "a"), get(x, "b"))),
  minimum: (x) => one(minimum(get(x, "a"), get(x, "b"))),
  clamp: (x, a) => one(clamp(get(x, "x"), a.min, a.max)),
  maskedFill: (x, a) => one(maskedFill(get(x, "x"), get(x, "mask"), a.value ?? 0)),
  cumsum: (x, a) => one(cumsum(get(x, "x"), dimOf(a))),
  logsumexp: (x, a) => one(logsumexp(get(x, "x"), a.dim ?? [], a.keepdim ?? false)),
  elu: (x) => one(elu(get(x, "x"))),
  selu: (x) => one(selu(get(x, "x"))),
  softplus: (x) => one(softplus(get(x, "x"))),
  softsign: (x) => one(softsign(get(x, "x"))),
  relu6: (x) => one(relu6(get(x, "x"))),
  hardSigmoidKeras3: (x) => one(hardSigmoidKeras3(get(x, "x"))),
  hardSigmoid: (x) => one(hardSigmoid(get(x, "x"))),
  silu: (x) => one(silu(get(x, "x"))),
  gelu: (x) => one(gelu(get(x, "x"))),
  geluTanh: (x) => one(geluTanh(get(x, "x"))),
};

const names = fixtureNames("ops");

test("the fixtures cover every op", () => {
  const covered = new Set(names.map((n) => readFixture<OpCase>("ops", n).op));
  assert.deepEqual([...covered].sort(), Object.keys(ops).sort());
});

for (const name of names) {
  test(`${name} matches PyTorch (values and gradients within 1e-6)`, () => {
    const c = readFixture<OpCase>("ops", name);
    const inputs: Inputs = {};
    for (const [k, v] of Object.entries(c.inputs)) inputs[k] = toTensor(v, c.diff.includes(k));
    const run = ops[c.op];
    assert.ok(run, `no runner for op ${c.op}`);
    const outs = run(inputs, c.args);
    assert.equal(outs.length, c.outputs.length, `${name}: number of outputs`);
    outs.forEach((o, i) => {
      assert.deepEqual(o.shape, c.outputs[i]!.shape, `${name}: shape of output ${i}`);
      assertClose(o.data, c.outputs[i]!, `${name} output ${i}`, 1e-6, 1e-6);
    });
    if (c.diff.length === 0) return;
    c.differentiableOutputs.forEach((i, j) => outs[i]!.mul(toTensor(c.upstream[j]!)).sum().backward({ retainGraph: true }));
    for (const k of c.diff) {
      const g = inputs[k]!.grad;
      assert.ok(g, `${name}: input ${k} got no gradient`);
      assertClose(g.data, c.grads[k]!, `${name} grad ${k}`, 1e-6, 1e-6);
    }
  });
}

test("largest deviation from PyTorch is reported", () => {
  assert.ok(deviation.max < 1e-6, `largest relative deviation ${deviation.max} at ${deviation.where}`);
  console.log(`# ops: largest |a - e| / (1 + |e|) = ${deviation.max.toExponential(2)} (${deviation.where})`);
});
