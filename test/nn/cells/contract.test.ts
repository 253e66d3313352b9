// One contract for every recurrent layer and cell: typed and PyTorch-style states, wrong state
// forms rejected, options checked at run time, getConfig rebuilding an equal layer; and the
// generic path of each built-in cell agreeing with its fused kernel.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  GRU,
  GRUCell,
  LSTM,
  LSTMCell,
  LayerNormLSTM,
  LayerNormLSTMCell,
  PeepholeLSTM,
  PeepholeLSTMCell,
  RecurrentCell,
  RNN,
  RNNCell,
  RecurrentLayer,
  Tensor,
  getCell,
  manualSeed,
  randn,
  registerCell,
  setCellLog,
  type Module,
} from "recurrent";
import { assertClose } from "../../helpers/fixtures.js";

test("LSTM takes [h0, c0] or { h, c } and returns a state tuple that also has .h and .c", () => {
  manualSeed(1);
  const lstm = new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2 });
  const x = randn([5, 2, 3]);
  const h0 = randn([2, 2, 4]);
  const c0 = randn([2, 2, 4]);
  const [out1, s1] = lstm.forward(x, [h0, c0]);
  const [out2, s2] = lstm.forward(x, { h: h0, c: c0 });
  assert.deepEqual(out1.data, out2.data);
  const [h, c] = s1;
  assert.equal(s1.h, h);
  assert.equal(s1.c, c);
  assert.deepEqual(s2.c.data, c.data);
  // The typed generic form gives the same numbers.
  const [out3, s3] = lstm.forwardState(x, { h: h0, c: c0 });
  assert.deepEqual(out3.data, out1.data);
  assert.deepEqual(s3.c?.data, c.data);
  // A state can be passed straight back in.
  assert.deepEqual(lstm.forward(x, s1)[0].shape, [5, 2, 4]);
});

test("a wrong state form is an error naming the layer and the accepted forms, never ignored", () => {
  const lstm = new LSTM({ inputSize: 3, hiddenSize: 4 });
  const x = randn([2, 1, 3]);
  const h0 = randn([1, 1, 4]);
  const call = (s: unknown): unknown => Reflect.apply(lstm.forward, lstm, [x, s]);
  assert.throws(() => call(h0), /LSTM\(hiddenSize=4\)\.forward: the state must be \[h0, c0\] \(two Tensors\), \{ h, c \}, or null\/undefined; got a Tensor of shape \[1, 1, 4\] \(this cell carries h and c; a lone h0 would leave c at zeros/);
  assert.throws(() => call(3), /LSTM\(hiddenSize=4\)\.forward: the state must be .* got 3/);
  assert.throws(() => call({ h: h0, c: h0, z: h0 }), /unknown key z; the keys are h, c/);
  assert.throws(() => call({ h: h0 }), /c must be a Tensor/);
  assert.throws(() => call([h0]), /expected exactly two Tensors/);
  const gru = new GRU({ inputSize: 3, hiddenSize: 4 });
  assert.throws(() => Reflect.apply(gru.forward, gru, [x, [h0, h0]]), /GRU\(hiddenSize=4\)\.forward: the state must be h0 \(a Tensor\), \{ h \}, or null\/undefined; got an array of length 2/);
  assert.deepEqual(gru.forward(x, { h: h0 })[1].data, gru.forward(x, h0)[1].data);
  const cell = new LSTMCell({ inputSize: 3, hiddenSize: 4 });
  assert.throws(() => Reflect.apply(cell.forward, cell, [randn([1, 3]), randn([1, 4])]), /LSTMCell\(hiddenSize=4\)\.forward: the state must be \[hx, cx\]/);
});

test("options are checked at run time: unknown names and wrong types throw and list the known names", () => {
  const bad = (f: () => unknown, re: RegExp): void => assert.throws(f, re);
  const opts = (o: object): never => o as never;
  bad(() => new LSTM(opts({ inputSize: 3, hiddenSize: 4, returnSequences: true })), /LSTM: unknown option "returnSequences"; known options: inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, recurrentBias, activation, recurrentActivation, projSize/);
  bad(() => new GRU(opts({ inputSize: 3, hiddenSize: 4, bidirectonal: true })), /GRU: unknown option "bidirectonal" \(did you mean "bidirectional"\?\)/);
  bad(() => new RNN(opts({ inputSize: "3", hiddenSize: 4 })), /RNN: option inputSize must be a positive integer, got "3"/);
  bad(() => new LSTMCell(opts({ inputSize: 3, hiddenSize: 4, numLayers: 2 })), /LSTMCell: unknown option "numLayers"; known options: inputSize, hiddenSize, bias/);
  bad(() => new RecurrentLayer(opts({ inputSize: 3, hiddenSize: 4 })), /RecurrentLayer: option cell is required/);
  bad(() => new GRU(opts({ inputSize: 3, hiddenSize: 4, projSize: 2 })), /GRU: unknown option "projSize"/);
  bad(() => new PeepholeLSTM(opts({ inputSize: 3, hiddenSize: 4, projSize: 2 })), /PeepholeLSTM: unknown option "projSize"/);
  bad(() => new LayerNormLSTMCell(opts({ inputSize: 3, hiddenSize: 4, eps: 1e-3 })), /LayerNormLSTMCell: unknown option "eps"/);
  bad(() => new RecurrentLayer({ cell: "gru", inputSize: 3, hiddenSize: 4, projSize: 2 }), /cell "gru" has no projection/);
});

test("getConfig returns the constructor options as JSON and rebuilds an equal layer", () => {
  const cases: [Module, (c: never) => Module][] = [
    [new RNN({ inputSize: 3, hiddenSize: 4, nonlinearity: "relu", numLayers: 2, dropout: 0.25 }), (c) => new RNN(c)],
    [new GRU({ inputSize: 3, hiddenSize: 4, bidirectional: true, batchFirst: true, bias: false }), (c) => new GRU(c)],
    [new LSTM({ inputSize: 3, hiddenSize: 4, projSize: 2 }), (c) => new LSTM(c)],
    [new RecurrentLayer({ cell: "lstm", inputSize: 3, hiddenSize: 4, numLayers: 2 }), (c) => new RecurrentLayer(c)],
    [new RNNCell({ inputSize: 3, hiddenSize: 4, nonlinearity: "relu" }), (c) => new RNNCell(c)],
    [new GRUCell({ inputSize: 3, hiddenSize: 4, bias: false }), (c) => new GRUCell(c)],
    [new LSTMCell({ inputSize: 3, hiddenSize: 4 }), (c) => new LSTMCell(c)],
    [new PeepholeLSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true }), (c) => new PeepholeLSTM(c)],
    [new LayerNormLSTM({ inputSize: 3, hiddenSize: 4, bias: false, batchFirst: true }), (c) => new LayerNormLSTM(c)],
    [new PeepholeLSTMCell({ inputSize: 3, hiddenSize: 4 }), (c) => new PeepholeLSTMCell(c)],
    [new LayerNormLSTMCell({ inputSize: 3, hiddenSize: 4 }), (c) => new LayerNormLSTMCell(c)],
    [new RecurrentCell({ cell: "gru", inputSize: 3, hiddenSize: 4 }), (c) => new RecurrentCell(c)],
  ];
  for (const [m, make] of cases) {
    const config = m.getConfig();
    assert.deepEqual(JSON.parse(JSON.stringify(config)), config);
    const copy = make(config as never);
    assert.deepEqual(copy.getConfig(), config);
    assert.deepEqual([...copy.namedParameters()].map(([n, t]) => [n, t.shape]), [...m.namedParameters()].map(([n, t]) => [n, t.shape]));
  }
  assert.deepEqual(new LSTM({ inputSize: 3, hiddenSize: 4, projSize: 2 }).getConfig(), {
    inputSize: 3, hiddenSize: 4, numLayers: 1, bias: true, batchFirst: false, dropout: 0, bidirectional: false, projSize: 2,
  });
  assert.equal(new RecurrentLayer({ cell: "gru", inputSize: 3, hiddenSize: 4 }).getConfig()["cell"], "gru");
});

test("the generic path of each built-in cell (its autograd step) equals its fused kernel, values and gradients", () => {
  const previous = setCellLog(() => {});
  try {
    for (const name of ["rnn_tanh", "rnn_relu", "gru", "lstm", "peephole_lstm", "layernorm_lstm"]) {
      // The same spec without its kernel runs on the generic path on every backend.
      const { reference, ...spec } = getCell(name);
      void reference;
      registerCell({ ...spec, name: `${name}_unfused` }, { replace: true });
      for (const projSize of name === "lstm" ? [0, 2] : [0]) {
        manualSeed(7);
        const fused = new RecurrentLayer({ cell: name, inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, projSize });
        const generic = new RecurrentLayer({ cell: `${name}_unfused`, inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, projSize });
        // Random values everywhere, so that layer-norm gains and biases are not at their identity init.
        for (const p of fused.parameters()) p.data.set(randn(p.shape).data.map((v) => 0.5 * v));
        generic.loadStateDict(fused.stateDict());
        const x = randn([4, 2, 3]);
        const run = (m: RecurrentLayer): Float32Array[] => {
          const xi = new Tensor(x.data.slice(), x.shape, true);
          m.zeroGrad();
          const [out, s] = m.forward(xi);
          let loss = out.mul(out).sum().add(s.h.sum());
          if (s.c !== undefined) loss = loss.add(s.c.mul(s.c).sum());
          loss.backward();
          return [out.data, s.h.data, ...(s.c === undefined ? [] : [s.c.data]), xi.grad!.data, ...m.parameters().map((p) => p.grad!.data)];
        };
        const a = run(fused);
        const b = run(generic);
        assert.equal(a.length, b.length);
        a.forEach((v, i) => assertClose(b[i]!, v, `${name} projSize=${projSize} tensor ${i}`, 1e-5, 1e-4));
      }
    }
  } finally {
    setCellLog(previous);
  }
});
