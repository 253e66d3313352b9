// A cell defined in user code with defineCell runs on the generic path with stacking, directions,
// batch-first and initial states; its gradients match finite differences and its outputs a
// hand-written loop.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  RecurrentLayer,
  RecurrentCell,
  Tensor,
  add,
  concat,
  defineCell,
  getBackend,
  gradCheck,
  manualSeed,
  matmul,
  mul,
  randn,
  reshape,
  setCellLog,
  tanh,
  cellNames,
} from "recurrent";
import { assertClose } from "../../helpers/fixtures.js";

// c' = 0.5·c + tanh(x W_xᵀ + h W_hᵀ + b),  h' = tanh(c'): small, but with both states and a bias.
defineCell({
  name: "test_leaky",
  states: ["h", "c"],
  parameters: [
    { suffix: "weight_x", shape: ({ H, I }) => [H, I] },
    { suffix: "weight_h", shape: ({ H, P }) => [H, P] },
    { suffix: "bias", shape: ({ H }) => [H], bias: true },
  ],
  step: (x, s, p) => {
    let a = add(matmul(x, p["weight_x"]!, { transB: true }), matmul(s.h, p["weight_h"]!, { transB: true }));
    if (p["bias"] !== undefined) a = add(a, p["bias"]);
    const c = add(mul(s.c!, 0.5), tanh(a));
    return { h: tanh(c), c };
  },
});

/** The same cell as a plain loop over arrays: layer l, direction d, step t. */
function handWritten(layer: RecurrentLayer, x: Tensor, h0: Tensor, c0: Tensor): { out: number[][][]; h: number[][][]; c: number[][][] } {
  const [B, T] = [x.shape[0]!, x.shape[1]!];
  const H = layer.hiddenSize;
  const L = layer.numLayers;
  const D = layer.numDirections;
  const p = layer.stateDict();
  let seq: number[][][] = Array.from({ length: B }, (_, b) => Array.from({ length: T }, (_, t) => Array.from(x.data.subarray((b * T + t) * x.shape[2]!, (b * T + t + 1) * x.shape[2]!))));
  const hN: number[][][] = [];
  const cN: number[][][] = [];
  for (let l = 0; l < L; l++) {
    const outs: number[][][][] = [];
    for (let d = 0; d < D; d++) {
      const sfx = `_l${l}${d === 1 ? "_reverse" : ""}`;
      const wx = p[`weight_x${sfx}`]!;
      const wh = p[`weight_h${sfx}`]!;
      const bias = p[`bias${sfx}`]!;
      const I = wx.shape[1]!;
      const out: number[][][] = Array.from({ length: B }, () => new Array<number[]>(T));
      const hs: number[][] = [];
      const cs: number[][] = [];
      for (let b = 0; b < B; b++) {
        let h = Array.from({ length: H }, (_, j) => h0.data[((l * D + d) * B + b) * H + j]!);
        let c = Array.from({ length: H }, (_, j) => c0.data[((l * D + d) * B + b) * H + j]!);
        for (let s = 0; s < T; s++) {
          const t = d === 1 ? T - 1 - s : s;
          const xt = seq[b]![t]!;
          const cNew = c.map((cj, j) => {
            let a = bias.data[j]!;
            for (let i = 0; i < I; i++) a += wx.data[j * I + i]! * xt[i]!;
            for (let k = 0; k < H; k++) a += wh.data[j * H + k]! * h[k]!;
            return 0.5 * cj + Math.tanh(a);
          });
          c = cNew;
          h = cNew.map(Math.tanh);
          out[b]![t] = h;
        }
        hs.push(h);
        cs.push(c);
      }
      outs.push(out);
      hN.push(hs);
      cN.push(cs);
    }
    seq = Array.from({ length: B }, (_, b) => Array.from({ length: T }, (_, t) => outs.flatMap((o) => o[b]![t]!)));
  }
  return { out: seq, h: hN, c: cN };
}

test("a cell from defineCell is registered and runs stacked, bidirectional, batch-first, from initial states, like a hand-written loop", () => {
  assert.ok(cellNames().includes("test_leaky"));
  manualSeed(3);
  const layer = new RecurrentLayer({ cell: "test_leaky", inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, batchFirst: true });
  assert.deepEqual(
    layer.parameters().map((t) => t.shape),
    [[4, 3], [4, 4], [4], [4, 3], [4, 4], [4], [4, 8], [4, 4], [4], [4, 8], [4, 4], [4]],
  );
  assert.equal([...layer.namedParameters()][3]![0], "weight_x_l0_reverse");
  const x = randn([2, 5, 3]); // (B, T, I)
  const h0 = randn([4, 2, 4]);
  const c0 = randn([4, 2, 4]);
  const [out, state] = layer.forward(x, { h: h0, c: c0 });
  assert.deepEqual(out.shape, [2, 5, 8]);
  const want = handWritten(layer, x, h0, c0);
  assertClose(out.data, want.out.flat(2), "output");
  assertClose(state.h.data, want.h.flat(2), "hN");
  assert.ok(state.c !== undefined);
  assertClose(state.c.data, want.c.flat(2), "cN");
});

test("gradients of a defineCell layer match finite differences (input, both initial states, every parameter)", () => {
  manualSeed(4);
  const layer = new RecurrentLayer({ cell: "test_leaky", inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: true, batchFirst: true });
  const x = randn([2, 3, 2], { requiresGrad: true });
  const h0 = randn([4, 2, 3], { requiresGrad: true });
  const c0 = randn([4, 2, 3], { requiresGrad: true });
  const f = (xi: Tensor, hi: Tensor, ci: Tensor): Tensor => {
    const [out, s] = layer.forward(xi, { h: hi, c: ci });
    return concat([reshape(out, [-1]), reshape(s.h, [-1]), reshape(s.c!, [-1])], 0);
  };
  const r = gradCheck((xi, hi, ci) => f(xi!, hi!, ci!), [x, h0, c0, ...layer.parameters()], { eps: 1e-2, atol: 2e-3, rtol: 2e-2 });
  assert.ok(r.ok, r.failures.join("\n"));
});

test("the generic path says once per cell and backend that it runs unfused", () => {
  const lines: string[] = [];
  const previous = setCellLog((m) => lines.push(m));
  try {
    const layer = new RecurrentLayer({ cell: "test_leaky", inputSize: 2, hiddenSize: 3 });
    layer.forward(randn([3, 1, 2]));
    layer.forward(randn([3, 1, 2]));
    const cell = new RecurrentCell({ cell: "test_leaky", inputSize: 2, hiddenSize: 3 });
    cell.forward(randn([1, 2]));
    assert.equal(lines.length, 1, lines.join("\n"));
    assert.match(lines[0]!, /"test_leaky"/);
    assert.ok(lines[0]!.includes(getBackend().name));
    assert.match(lines[0]!, /generic path/);
    // Built-in cells run fused on every backend: no notice.
    new RecurrentLayer({ cell: "lstm", inputSize: 2, hiddenSize: 3 }).forward(randn([3, 1, 2]));
    assert.equal(lines.length, 1);
  } finally {
    setCellLog(previous);
  }
});

test("defineCell rejects a taken name, a bad state list and a missing step", () => {
  const step = (x: Tensor, s: { h: Tensor }): { h: Tensor } => ({ h: s.h });
  assert.throws(() => defineCell({ name: "lstm", states: ["h"], parameters: [], step }), /already registered/);
  assert.throws(() => defineCell({ name: "Bad Name", states: ["h"], parameters: [], step }), /lower snake case/);
  assert.throws(() => defineCell({ name: "c_only", states: ["c"] as unknown as ["h"], parameters: [], step }), /states must be \["h"\] or \["h", "c"\]/);
  assert.throws(() => defineCell({ name: "no_step", states: ["h"], parameters: [], step: undefined as never }), /step must be a function/);
  assert.throws(() => new RecurrentLayer({ cell: "nope", inputSize: 1, hiddenSize: 1 }), /RecurrentLayer\(cell=nope\): no cell named "nope"; known cells: rnn_tanh, rnn_relu, lstm, gru, peephole_lstm, layernorm_lstm/);
});

test("a step that returns the wrong state shape is named in the error", () => {
  defineCell({ name: "test_bad_shape", states: ["h"], parameters: [], step: (x) => ({ h: x }) });
  const layer = new RecurrentLayer({ cell: "test_bad_shape", inputSize: 2, hiddenSize: 3 });
  const previous = setCellLog(() => {});
  try {
    assert.throws(() => layer.forward(randn([2, 1, 2])), /cell "test_bad_shape"\.step: must return \{ h \} with h of shape \[1, 3\]/);
  } finally {
    setCellLog(previous);
  }
});
