// Central-difference gradient checks of the indexing, sorting, tiling, min/max, cumulative and
// activation ops, on seeded random inputs (away from kinks, where a numeric slope is undefined).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  Tensor,
  Generator,
  gradCheck,
  randn,
  tensor,
  gather,
  scatterAdd,
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
  silu,
  gelu,
  geluTanh,
  type GradCheckOptions,
} from "recurrent";

const rand = (shape: number[], seed: number, scale = 1): Tensor => {
  const t = randn(shape, { generator: new Generator(seed) }).mul(scale);
  return new Tensor(t.data, t.shape, true);
};

/** Whole numbers in [0, high) as a float32 index tensor. */
const indices = (shape: number[], high: number, seed: number): Tensor => {
  const g = new Generator(seed);
  const t = tensor(Array.from({ length: shape.reduce((p, q) => p * q, 1) }, () => g.randint(0, high)), shape);
  return t;
};

function check(name: string, f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], opts: GradCheckOptions = {}): void {
  test(`gradCheck: ${name}`, () => {
    const r = gradCheck(f, inputs, opts);
    assert.ok(r.ok, `${name}: ${r.failures.join("; ")}`);
  });
}

check("gather dim 1", (x) => gather(x, 1, indices([3, 5], 4, 1)), [rand([3, 4], 2)]);
check("gather dim 0 of 3-D", (x) => gather(x, 0, indices([4, 2, 3], 2, 3)), [rand([2, 3, 3], 4)]);
check("scatterAdd (src larger than index)", (x, s) => scatterAdd(x, 1, indices([2, 3], 3, 5), s), [rand([2, 3], 6), rand([3, 4], 7)]);
check("topk values", (x) => topk(x, 2, 1)[0], [rand([3, 5], 8)]);
check("topk smallest along dim 0", (x) => topk(x, 3, 0, false)[0], [rand([4, 3], 9)]);
check("expand", (x) => expand(x, [2, 3, 4]), [rand([3, 1], 10)]);
check("repeat", (x) => repeat(x, [2, 2, 1]), [rand([2, 3], 11)]);
check("tile", (x) => tile(x, [3]), [rand([2, 2], 12)]);
check("where with broadcasting", (a, b) => where(tensor([1, 0, 0, 1], [4, 1]), a, b), [rand([1, 3], 13), rand([4, 3], 14)]);
check("maximum with broadcasting", (a, b) => maximum(a, b), [rand([3, 4], 15), rand([4], 16)]);
check("minimum with broadcasting", (a, b) => minimum(a, b), [rand([3, 4], 17, 2), rand([3, 1], 40, 2)]);
check("clamp", (x) => clamp(x, -0.5, 0.7), [rand([5, 4], 19)]);
check("maskedFill", (x) => maskedFill(x, tensor([1, 0, 1], [3, 1]), 2), [rand([3, 4], 20)]);
check("cumsum dim 0", (x) => cumsum(x, 0), [rand([4, 3], 21)]);
check("cumsum dim -1", (x) => cumsum(x, -1), [rand([2, 3, 4], 22)]);
check("logsumexp dim 1", (x) => logsumexp(x, 1), [rand([3, 5], 23)]);
check("logsumexp dims [0, 2] keepdim", (x) => logsumexp(x, [0, 2], true), [rand([2, 3, 4], 24)]);
check("elu", (x) => elu(x, 0.7), [rand([20], 25, 2)]);
check("selu", (x) => selu(x), [rand([20], 26, 2)]);
check("softplus", (x) => softplus(x), [rand([20], 27, 3)]);
check("softsign", (x) => softsign(x), [rand([20], 28, 3)]);
check("relu6", (x) => relu6(x), [rand([20], 29, 4)]);
check("hardSigmoidKeras3", (x) => hardSigmoidKeras3(x), [rand([20], 30, 3)]);
check("silu", (x) => silu(x), [rand([20], 31, 3)]);
check("gelu (exact)", (x) => gelu(x), [rand([20], 32, 3)]);
check("geluTanh", (x) => geluTanh(x), [rand([20], 33, 3)]);
