// Numerical gradient checks for every primitive op and composite, and every recurrent cell.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  gradCheck, randn, uniform, Tensor, manualSeed, Generator,
  add, sub, mul, div, neg, exp, log, sigmoid, tanh, relu, sqrt, abs, hardSigmoid,
  sum, mean, matmul, reshape, transpose, permute, slice, select, concat, stack, split,
  softmax, logSoftmax, embedding, dropout, crossEntropy, mseLoss,
  RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell, Highway, Linear,
} from "recurrent";

function check(name: string, f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], opts = {}): void {
  test(`gradcheck: ${name}`, () => {
    const r = gradCheck(f, inputs, opts);
    assert.ok(r.ok, `${name}: ${r.failures.join("; ")}`);
  });
}

manualSeed(1);
const r = (shape: number[]): Tensor => randn(shape, { requiresGrad: true });
// Positive inputs for log/sqrt, away from the kinks of relu/abs/hardSigmoid at 0 and ±2.5.
const pos = (shape: number[]): Tensor => uniform(shape, 0.5, 2, { requiresGrad: true });
const awayFromKinks = (shape: number[]): Tensor => {
  const t = uniform(shape, 0.2, 2, { requiresGrad: true });
  const g = new Generator(3);
  for (let i = 0; i < t.size; i++) if (g.uniform() < 0.5) t.data[i] = -t.data[i]!;
  return t;
};

check("add (same shape)", add, [r([3, 4]), r([3, 4])]);
check("add (broadcast row and scalar)", (a, b, c) => add(add(a, b), c), [r([3, 4]), r([4]), r([])]);
check("sub (broadcast column)", sub, [r([3, 4]), r([3, 1])]);
check("mul (broadcast)", mul, [r([2, 3, 4]), r([3, 1])]);
check("div (broadcast)", div, [r([3, 4]), pos([4])]);
check("neg", neg, [r([5])]);
check("exp", exp, [r([5])]);
check("log", log, [pos([5])]);
check("sigmoid", sigmoid, [r([6])]);
check("tanh", tanh, [r([6])]);
check("relu", relu, [awayFromKinks([8])]);
check("sqrt", sqrt, [pos([5])]);
check("abs", abs, [awayFromKinks([8])]);
check("pow", (x) => x.pow(3), [r([5])]);
check("hardSigmoid", hardSigmoid, [awayFromKinks([8])]);
check("sum over all", (x) => sum(x), [r([3, 4])]);
check("sum over axes", (x) => sum(x, [0, 2]), [r([2, 3, 4])]);
check("sum keepDim", (x) => sum(x, 1, true), [r([2, 3, 4])]);
check("mean", (x) => mean(x, -1), [r([3, 4])]);
for (const transA of [false, true]) {
  for (const transB of [false, true]) {
    const a = transA ? r([4, 3]) : r([3, 4]);
    const b = transB ? r([5, 4]) : r([4, 5]);
    check(`matmul transA=${transA} transB=${transB}`, (p, q) => matmul(p, q, { transA, transB }), [a, b]);
  }
}
check("matmul batched 3-D × 3-D", (p, q) => matmul(p, q), [r([2, 3, 4]), r([2, 4, 5])]);
check("matmul batched 3-D × shared 2-D (transB)", (p, q) => matmul(p, q, { transB: true }), [r([2, 3, 4]), r([5, 4])]);
check("reshape", (x) => reshape(x, [4, -1]), [r([2, 3, 2])]);
check("transpose", (x) => transpose(x, 0, 2), [r([2, 3, 4])]);
check("permute", (x) => permute(x, [1, 2, 0]), [r([2, 3, 4])]);
check("slice", (x) => slice(x, 1, 1, 3), [r([2, 4, 3])]);
check("select", (x) => select(x, 0, 1), [r([3, 4])]);
check("concat", (a, b) => concat([a, b], 1), [r([2, 3]), r([2, 2])]);
check("stack", (a, b) => stack([a, b], 1), [r([2, 3]), r([2, 3])]);
check("split", (x) => { const [p, q] = split(x, [1, 2], 0); return mul(p!, sum(q!, 0, true)); }, [r([3, 4])]);
check("softmax", (x) => softmax(x, 0), [r([4, 3])]);
check("logSoftmax", (x) => logSoftmax(x), [r([3, 5])]);
check("embedding (repeated indices)", (w) => embedding(w, [1, 0, 1, 3], [2, 2]), [r([4, 3])]);
check("dropout (fixed mask)", (x) => dropout(x, 0.4, true, new Generator(7)), [r([4, 5])]);
check("crossEntropy mean with ignoreIndex", (x) => crossEntropy(x, [0, 2, -100, 4]), [r([4, 5])]);
check("crossEntropy sum with label smoothing", (x) => crossEntropy(x, [1, 2, 3], { reduction: "sum", labelSmoothing: 0.1 }), [r([3, 5])]);
check("mseLoss", (a, b) => mseLoss(a, b), [r([3, 4]), r([3, 4])]);

// Every recurrent cell and layer: the gradient with respect to the input, the initial state and
// every parameter (a second order check of the hand-written BPTT in the fused kernels).
function checkModule(
  name: string,
  build: () => { params: Tensor[]; run: (x: Tensor, ...s: Tensor[]) => Tensor },
  x: Tensor,
  states: Tensor[],
  eps = 1e-2,
): void {
  const m = build();
  check(name, (xx, ...rest) => m.run(xx, ...rest.slice(0, states.length)), [x, ...states, ...m.params], { maxPerInput: 12, eps });
}

const T = 3;
const B = 2;
const I = 3;
const H = 4;
checkModule("RNN tanh, 2 layers, bidirectional", () => {
  const m = new RNN({ inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true });
  return { params: m.parameters(), run: (x, h0) => { const [o, h] = m.forward(x, h0); return concat([o.reshape([-1]), h.reshape([-1])], 0); } };
}, r([T, B, I]), [r([4, B, H])]);
checkModule("RNN relu, batch-first, no bias", () => {
  const m = new RNN({ inputSize: I, hiddenSize: H, nonlinearity: "relu", batchFirst: true, bias: false });
  return { params: m.parameters(), run: (x) => m.forward(x)[0] };
  // A smaller step: a 1e-2 step can cross relu's kink at 0 and break the finite difference.
}, r([B, T, I]), [], 1e-3);
checkModule("LSTM, 2 layers, bidirectional, with h0/c0", () => {
  const m = new LSTM({ inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true });
  return {
    params: m.parameters(),
    run: (x, h0, c0) => { const [o, [h, c]] = m.forward(x, [h0!, c0!]); return concat([o.reshape([-1]), h.reshape([-1]), c.reshape([-1])], 0); },
  };
}, r([T, B, I]), [r([4, B, H]), r([4, B, H])]);
checkModule("LSTM with projection", () => {
  const m = new LSTM({ inputSize: I, hiddenSize: H, projSize: 2 });
  return { params: m.parameters(), run: (x) => { const [o, [h, c]] = m.forward(x); return concat([o.reshape([-1]), h.reshape([-1]), c.reshape([-1])], 0); } };
}, r([T, B, I]), []);
checkModule("GRU, 2 layers, bidirectional", () => {
  const m = new GRU({ inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true });
  return { params: m.parameters(), run: (x, h0) => { const [o, h] = m.forward(x, h0); return concat([o.reshape([-1]), h.reshape([-1])], 0); } };
}, r([T, B, I]), [r([4, B, H])]);
checkModule("RNNCell", () => {
  const m = new RNNCell({ inputSize: I, hiddenSize: H });
  return { params: m.parameters(), run: (x, h) => m.forward(x, h) };
}, r([B, I]), [r([B, H])]);
checkModule("LSTMCell", () => {
  const m = new LSTMCell({ inputSize: I, hiddenSize: H });
  return { params: m.parameters(), run: (x, h, c) => { const [h2, c2] = m.forward(x, [h!, c!]); return concat([h2, c2], 1); } };
}, r([B, I]), [r([B, H]), r([B, H])]);
checkModule("GRUCell", () => {
  const m = new GRUCell({ inputSize: I, hiddenSize: H });
  return { params: m.parameters(), run: (x, h) => m.forward(x, h) };
}, r([B, I]), [r([B, H])]);
checkModule("Highway, 3 layers, tanh", () => {
  const m = new Highway({ size: I, numLayers: 3, activation: "tanh" });
  return { params: m.parameters(), run: (x) => m.forward(x) };
}, r([B, I]), []);
checkModule("Linear on 3-D input", () => {
  const m = new Linear({ inFeatures: I, outFeatures: 2 });
  return { params: m.parameters(), run: (x) => m.forward(x) };
}, r([T, B, I]), []);

test("gradcheck catches a wrong gradient", () => {
  // A deliberately wrong derivative (the op claims d/dx = 0) must be reported.
  const x = r([3]);
  const wrong = (v: Tensor): Tensor => add(v.detach().mul(v.detach()), mul(v, 0));
  const res = gradCheck(wrong, [x]);
  assert.equal(res.ok, false);
});
