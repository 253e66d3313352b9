// The Keras-style layers' surface: defaults and configs (camelCase and Keras's snake_case),
// Keras-shaped seeded initialisation, getWeights/setWeights in Keras's layout, lazy building,
// stateful calls, streaming steps, goBackwards with lengths, variational dropout.
import { test } from "node:test";
import assert from "node:assert/strict";
import { layers, layerFromConfig, layerToConfig, Sequential, Embedding, Tensor, manualSeed, randn, SGD, compile, mseLoss, KerasLSTM, serializeModel, deserializeModel } from "recurrent";

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-6, what = ""): void => {
  assert.equal(a.length, b.length, `${what} length`);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tol, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};

test("defaults are Keras 2+'s and the config round-trips through the registry", () => {
  const l = layers.lstm({ units: 5 });
  const c = l.getConfig();
  assert.equal(c["activation"], "tanh");
  assert.equal(c["recurrentActivation"], "sigmoid");
  assert.equal(c["useBias"], true);
  assert.equal(c["unitForgetBias"], true);
  assert.deepEqual(c["kernelInitializer"], { className: "GlorotUniform", config: { seed: null } });
  assert.deepEqual(c["recurrentInitializer"], { className: "Orthogonal", config: { gain: 1, seed: null } });
  assert.equal(c["returnSequences"], false);
  const copy = layerFromConfig(layerToConfig(l));
  assert.ok(copy instanceof KerasLSTM);
  assert.deepEqual(copy.getConfig(), c);
  assert.equal(layers.gru({ units: 2 }).getConfig()["resetAfter"], true);
});

test("a Keras config in snake_case with Keras names is read", () => {
  const l = layerFromConfig({
    className: "KerasGRU",
    config: { units: 3, recurrent_activation: "hard_sigmoid", return_sequences: true, reset_after: false, kernel_regularizer: { class_name: "L2", config: { l2: 0.5 } }, bias_constraint: "non_neg", input_dim: 2 },
  });
  const c = l.getConfig();
  assert.equal(c["recurrentActivation"], "hardSigmoid");
  assert.equal(c["returnSequences"], true);
  assert.equal(c["resetAfter"], false);
  assert.deepEqual(c["kernelRegularizer"], { className: "L2", config: { l2: 0.5 } });
  assert.deepEqual(c["biasConstraint"], { className: "NonNeg", config: {} });
  assert.equal(c["inputDim"], 2);
});

test("bad options are named", () => {
  assert.throws(() => layers.lstm({ units: 0 }), /KerasLSTM.*units/);
  assert.throws(() => layers.lstm({ units: 2, recurrentActivation: "hardsigmod" }), /KerasLSTM: recurrentActivation:.*did you mean "hardSigmoid"/);
  assert.throws(() => layers.gru({ units: 2, dropout: 1 }), /KerasGRU.*dropout/);
  // @ts-expect-error unitForgetBias is an LSTM option
  assert.throws(() => layers.gru({ units: 2, unitForgetBias: true }), /KerasGRU.*unitForgetBias/);
  assert.throws(() => layers.lstm({ units: 2, inputDim: 3, inputShape: [null, 4] }), /inputDim \(3\) and inputShape/);
  const l = layers.lstm({ units: 2, inputDim: 3 });
  assert.throws(() => l.forward(randn([2, 3])), /KerasLSTM\(units=2\)\.forward: input must be a Tensor of 3 dims \(B, T, I\)/);
  assert.throws(() => l.forward(randn([2, 4, 5])), /built for input size 3, got 5/);
  assert.throws(() => l.setWeights([randn([3, 8])]), /expected 3 weights \[kernel, recurrent_kernel, bias\]/);
  assert.throws(() => l.setWeights([randn([8, 3]), randn([2, 8]), randn([8])]), /kernel has shape \[8, 3\] but the layer expects \[3, 8\]/);
});

test("initialisation is Keras's on Keras's shapes, seeded", () => {
  const a = layers.lstm({ units: 4, inputDim: 3, seed: 11 });
  const b = layers.lstm({ units: 4, inputDim: 3, seed: 11 });
  a.getWeights().forEach((w, k) => assert.deepEqual(w.data, b.getWeights()[k]!.data, `weight ${k} is reproducible`));
  const [kernel, recurrent, bias] = a.getWeights() as [Tensor, Tensor, Tensor];
  assert.deepEqual(kernel.shape, [3, 16]);
  const limit = Math.sqrt(6 / (3 + 16));
  assert.ok(kernel.data.every((v) => Math.abs(v) <= limit) && kernel.data.some((v) => Math.abs(v) > limit / 2), "glorot uniform on (I, G)");
  // Orthogonal on (H, G): its rows are orthonormal.
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      let dot = 0;
      for (let k = 0; k < 16; k++) dot += recurrent.data[i * 16 + k]! * recurrent.data[j * 16 + k]!;
      assert.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-5, `rows ${i}, ${j}: ${dot}`);
    }
  }
  // unitForgetBias: Keras's f block (the second) is 1, the rest 0.
  assert.deepEqual([...bias.data], [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  // Inside, the forget block is PyTorch's second block too (i|f|g|o): one bias, no bias_hh.
  const names = Object.keys(a.stateDict());
  assert.deepEqual(names, ["rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0"]);
});

test("getWeights/setWeights use Keras's layout and gate order", () => {
  const g = layers.gru({ units: 2, inputDim: 1 });
  assert.deepEqual(g.getWeights().map((w) => w.shape), [[1, 6], [2, 6], [2, 6]]);
  assert.deepEqual(g.weightNames(), ["kernel", "recurrent_kernel", "bias"]);
  // Keras z|r|h columns become PyTorch r|z|n rows.
  g.setWeights([new Tensor(Float32Array.from([1, 2, 3, 4, 5, 6]), [1, 6]), new Tensor(new Float32Array(12), [2, 6]), new Tensor(Float32Array.from([0, 0, 0, 0, 0, 0, 10, 20, 30, 40, 50, 60]), [2, 6])]);
  const p = g.stateDict();
  assert.deepEqual([...p["rnn.weight_ih_l0"]!.data], [3, 4, 1, 2, 5, 6]);
  assert.deepEqual([...p["rnn.bias_hh_l0"]!.data], [30, 40, 10, 20, 50, 60]);
  assert.deepEqual([...g.getWeights()[0]!.data], [1, 2, 3, 4, 5, 6]);
  const before = layers.gru({ units: 2, inputDim: 1, resetAfter: false });
  assert.deepEqual(before.getWeights().map((w) => w.shape), [[1, 6], [2, 6], [6]]);
  assert.deepEqual(layers.simpleRNN({ units: 2, inputDim: 3, useBias: false }).getWeights().map((w) => w.shape), [[3, 2], [2, 2]]);
});

test("a layer without inputDim is built by its first call, by build(), or by Sequential.build", () => {
  const l = layers.simpleRNN({ units: 3 });
  assert.equal(l.built, false);
  assert.throws(() => l.getWeights(), /not built yet/);
  const model = new Sequential([new Embedding({ numEmbeddings: 5, embeddingDim: 4 }), l, layers.dense({ units: 1 })]);
  assert.throws(() => compile(model, { optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss: mseLoss }), /compile: KerasSimpleRNN\(units=3\) \(module "1"\) has no parameters yet/);
  model.build([null, 6]);
  assert.equal(l.built, true);
  assert.deepEqual(l.getWeights()[0]!.shape, [4, 3]);
  assert.equal(model.forward(new Tensor(Float32Array.from([1, 2, 3, 0, 0, 0]), [1, 6])).shape.join(","), "1,1");
});

test("returnSequences, returnState and timeMajor shape the outputs as Keras", () => {
  manualSeed(3);
  const x = randn([2, 5, 3]);
  const last = layers.lstm({ units: 4, seed: 1 });
  const both = layers.lstm({ units: 4, seed: 1, returnSequences: true, returnState: true });
  const tm = layers.lstm({ units: 4, seed: 1, returnSequences: true, timeMajor: true });
  const y = last.forward(x) as Tensor;
  const [seq, h, c] = both.forward(x) as [Tensor, Tensor, Tensor];
  assert.deepEqual(y.shape, [2, 4]);
  assert.deepEqual(seq.shape, [2, 5, 4]);
  assert.deepEqual(c.shape, [2, 4]);
  close(y.data, h.data, 0, "last output is h");
  close(seq.data.subarray(4 * 4, 5 * 4), h.data.subarray(0, 4), 0, "last step of sequence 0");
  const seqTm = tm.forward(x.transpose(0, 1)) as Tensor;
  close(seqTm.transpose(0, 1).data, seq.data, 1e-6, "time-major");
});

test("goBackwards with lengths reads each sequence from its last real step", () => {
  manualSeed(4);
  const x = randn([2, 4, 2]);
  const back = layers.gru({ units: 3, seed: 2, goBackwards: true });
  const fwd = layers.gru({ units: 3, seed: 2 });
  const h = back.forward(x, null, { lengths: [4, 2] }) as Tensor;
  // Row 1 has two real steps: reading them backwards is reading the reversed pair forwards.
  const row1 = x.data.subarray(8, 12);
  const rev = new Tensor(Float32Array.from([row1[2]!, row1[3]!, row1[0]!, row1[1]!]), [1, 2, 2]);
  close(h.data.subarray(3, 6), (fwd.forward(rev) as Tensor).data, 1e-6, "row 1");
});

test("a stateful layer carries its states, fixes its batch size and resets", () => {
  manualSeed(5);
  const x = randn([3, 6, 2]);
  const whole = layers.lstm({ units: 4, seed: 9, returnSequences: true });
  const sf = layers.lstm({ units: 4, seed: 9, returnSequences: true, stateful: true });
  const full = whole.forward(x) as Tensor;
  const first = sf.forward(x.slice(1, 0, 3)) as Tensor;
  const second = sf.forward(x.slice(1, 3, 6)) as Tensor;
  close(first.data, full.slice(1, 0, 3).data, 1e-6, "first half");
  close(second.data, full.slice(1, 3, 6).data, 1e-5, "second half continues the state");
  assert.throws(() => sf.forward(randn([2, 3, 2])), /stateful and its batch size is fixed at 3 by its first call, but x has B = 2/);
  sf.resetStates();
  close((sf.forward(x.slice(1, 0, 3)) as Tensor).data, first.data, 0, "after resetStates");
});

test("step() streams token by token, equal to forward over the sequence", () => {
  manualSeed(6);
  const x = randn([2, 5, 3]);
  for (const l of [layers.lstm({ units: 4, seed: 1, returnSequences: true }), layers.gru({ units: 4, seed: 1, returnSequences: true }), layers.simpleRNN({ units: 4, seed: 1, returnSequences: true })]) {
    const full = l.forward(x) as Tensor;
    for (let t = 0; t < 5; t++) {
      const y = l.step(x.select(1, t));
      close(y.data, full.select(1, t).data, 1e-6, `${l.describe()} step ${t}`);
    }
    assert.equal(l.getState()!.length, l instanceof KerasLSTM ? 2 : 1);
    l.resetStates();
    assert.equal(l.getState(), null);
  }
});

test("input dropout draws one mask per sequence, reused at every step (variational)", () => {
  // Linear SimpleRNN with a zero recurrent kernel: h_t = (x_t ⊙ m)·K, so equal steps give equal outputs only if m is shared.
  const l = layers.simpleRNN({ units: 6, inputDim: 8, activation: "linear", useBias: false, dropout: 0.5, seed: 3, returnSequences: true });
  l.setWeights([l.getWeights()[0]!, new Tensor(new Float32Array(36), [6, 6])]);
  const row = Float32Array.from({ length: 8 }, (_, i) => i + 1);
  const x = new Tensor(Float32Array.from({ length: 2 * 4 * 8 }, (_, k) => row[k % 8]!), [2, 4, 8]);
  const y = l.forward(x) as Tensor;
  for (let b = 0; b < 2; b++) for (let t = 1; t < 4; t++) close(y.data.subarray((b * 4 + t) * 6, (b * 4 + t + 1) * 6), y.data.subarray(b * 24, b * 24 + 6), 1e-5, `b ${b} t ${t}`);
  l.eval();
  const clean = l.forward(x) as Tensor;
  assert.ok(clean.data.some((v, i) => Math.abs(v - y.data[i]!) > 1e-3), "training output differs from eval output");
});

test("recurrent dropout acts in training only and is reproducible with a seed", () => {
  const make = (): KerasLSTM => layers.lstm({ units: 5, inputDim: 2, recurrentDropout: 0.4, seed: 21, returnSequences: true });
  manualSeed(8);
  const x = randn([3, 6, 2]);
  const a = make().forward(x) as Tensor;
  const b = make().forward(x) as Tensor;
  close(a.data, b.data, 0, "same seed, same masks");
  const e = make().eval().forward(x) as Tensor;
  assert.ok(e.data.some((v, i) => Math.abs(v - a.data[i]!) > 1e-4), "eval ignores the mask");
});

test("a layer config as Keras writes it loads (bookkeeping keys dropped, batch_input_shape read)", () => {
  const keras = {
    name: "lstm_1",
    trainable: true,
    dtype: "float32",
    batch_input_shape: [null, 7, 3],
    return_sequences: false,
    return_state: false,
    go_backwards: false,
    stateful: false,
    unroll: false,
    zero_output_for_mask: true,
    units: 5,
    activation: "tanh",
    recurrent_activation: "hard_sigmoid",
    use_bias: true,
    kernel_initializer: { module: "keras.initializers", class_name: "GlorotUniform", config: { seed: null }, registered_name: null },
    recurrent_initializer: { class_name: "Orthogonal", config: { gain: 1.0, seed: null } },
    bias_initializer: { class_name: "Zeros", config: {} },
    unit_forget_bias: true,
    kernel_regularizer: null,
    recurrent_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    recurrent_constraint: null,
    bias_constraint: null,
    dropout: 0.0,
    recurrent_dropout: 0.0,
    implementation: 2,
  };
  const l = layerFromConfig({ className: "KerasLSTM", config: keras });
  assert.ok(l instanceof KerasLSTM);
  assert.equal(l.built, true);
  assert.equal(l.getConfig()["recurrentActivation"], "hardSigmoid");
  assert.deepEqual(l.getWeights()[0]!.shape, [3, 20]);
});

test("a Sequential of Keras layers saves and loads with its weights", () => {
  manualSeed(9);
  const model = new Sequential([
    new Embedding({ numEmbeddings: 6, embeddingDim: 3, maskZero: true }),
    layers.bidirectional(layers.gru({ units: 2, resetAfter: false }), { mergeMode: "sum" }),
    layers.dense({ units: 2, activation: "softmax" }),
  ]).build([null, 4]);
  const again = deserializeModel(serializeModel(model));
  const x = new Tensor(Float32Array.from([0, 1, 2, 3, 5, 4, 0, 0]), [2, 4]);
  assert.deepEqual(again.getConfig(), model.getConfig());
  assert.deepEqual([...(again as Sequential).forward(x).data], [...model.forward(x).data]);
});

test("bidirectional takes Keras's initial_state list and passes each direction its states", () => {
  manualSeed(10);
  const x = randn([2, 3, 2]);
  const fw = layers.lstm({ units: 3, seed: 4, returnSequences: true, inputDim: 2 });
  const solo = layers.lstm({ units: 3, seed: 4, returnSequences: true, inputDim: 2 });
  const bi = layers.bidirectional(fw);
  const states = [randn([2, 3]), randn([2, 3]), randn([2, 3]), randn([2, 3])];
  const merged = bi.forward(x, states) as Tensor;
  assert.deepEqual(merged.shape, [2, 3, 6]);
  const own = solo.forward(x, [states[0]!, states[1]!]) as Tensor;
  close(merged.slice(2, 0, 3).data, own.data, 1e-6, "forward half");
  assert.throws(() => bi.forward(x, states.slice(0, 2)), /initialState must be a list of 4 Tensors/);
});

test("recurrent dropout draws one (B, H) mask per sequence, reused at every step (variational)", () => {
  // Linear SimpleRNN, zero kernel, identity recurrent kernel, bias 1: h_t = h_{t-1} ⊙ m + 1. A unit
  // whose mask is 0 stays at 1; one whose mask is s = 1/(1-p) follows 1, 1+s, 1+s+s², … at every step.
  const H = 6;
  const p = 0.5;
  const s = 1 / (1 - p);
  const l = layers.simpleRNN({ units: H, inputDim: 1, activation: "linear", recurrentDropout: p, seed: 5, returnSequences: true });
  const eye = new Float32Array(H * H);
  for (let i = 0; i < H; i++) eye[i * H + i] = 1;
  l.setWeights([new Tensor(new Float32Array(H), [1, H]), new Tensor(eye, [H, H]), new Tensor(new Float32Array(H).fill(1), [H])]);
  const T = 5;
  const B = 4;
  const y = l.forward(new Tensor(new Float32Array(B * T), [B, T, 1])) as Tensor;
  let dropped = 0;
  for (let b = 0; b < B; b++) {
    for (let u = 0; u < H; u++) {
      const keep = y.data[(b * T + 1) * H + u]! > 1.5;
      if (!keep) dropped++;
      let want = 0;
      for (let t = 0; t < T; t++) {
        want = t === 0 ? 1 : keep ? want * s + 1 : 1;
        assert.ok(Math.abs(y.data[(b * T + t) * H + u]! - want) < 1e-4, `row ${b} unit ${u} step ${t}: ${y.data[(b * T + t) * H + u]} vs ${want}`);
      }
    }
  }
  assert.ok(dropped > 0 && dropped < B * H, `some units dropped, some kept (${dropped} of ${B * H})`);
});
