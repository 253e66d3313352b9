// Cell variants on the layers (src/nn/cells/variant.ts, spec.ts CellVariant): other
// nonlinearities, the variational recurrent dropout mask and the single bias, for lstm, gru,
// gru_reset_before and the plain RNN, against written-out loops (hand-cells.ts) on every layer
// and direction, with and without lengths; gradients against finite differences; errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { GRU, LSTM, PeepholeLSTM, RNN, RecurrentLayer, Tensor, concat, gradCheck, manualSeed, randn, reshape, setCellLog, type RecurrentLayerOptions } from "recurrent";
import { recurrentDirection } from "../../../src/nn/layers/recurrent-op.js";
import { getCell } from "../../../src/nn/cells/registry.js";
import { assertClose } from "../../helpers/fixtures.js";
import { handSequence, type HandCell, type HandParams } from "./hand-cells.js";

/** A RecurrentLayer with a fixed recurrent mask per layer and direction (as recurrent dropout gives). */
class MaskedLayer extends RecurrentLayer {
  constructor(
    opts: RecurrentLayerOptions,
    private readonly masks: ((l: number, d: number, B: number) => Tensor) | null,
  ) {
    super(opts);
  }
  protected override recurrentMaskFor(layer: number, direction: number, B: number): Tensor | null {
    return this.masks === null ? null : this.masks(layer, direction, B);
  }
}

/** A dropout-like mask: zeros and 1/(1-p) = 2, different for each layer, direction and row. */
function maskData(l: number, d: number, B: number, H: number): Float32Array {
  return Float32Array.from({ length: B * H }, (_, k) => ((k * 7 + l * 3 + d * 5) % 3 === 0 ? 0 : 2));
}

const T = 4;
const B = 3;
const I = 2;
const H = 3;

interface Case {
  cell: HandCell;
  gate: string;
  cand: string;
  masked: boolean;
  recurrentBias: boolean;
  lengths: number[] | null;
}

/** Runs the layer (2 layers, bidirectional, batch-first) and the written-out loops; compares. */
function check(c: Case): void {
  const label = `${c.cell} gate=${c.gate} cand=${c.cand} mask=${c.masked} recurrentBias=${c.recurrentBias} lengths=${c.lengths?.join(",") ?? "none"}`;
  manualSeed(3);
  const gated = c.cell !== "rnn_tanh" && c.cell !== "rnn_relu";
  const layer = new MaskedLayer(
    {
      cell: c.cell,
      inputSize: I,
      hiddenSize: H,
      numLayers: 2,
      bidirectional: true,
      batchFirst: true,
      recurrentBias: c.recurrentBias,
      activation: c.cand as "tanh",
      ...(gated ? { recurrentActivation: c.gate as "sigmoid" } : {}),
    },
    c.masked ? (l, d, b) => new Tensor(maskData(l, d, b, H), [b, H]) : null,
  );
  const hasC = c.cell === "lstm";
  const x = randn([B, T, I]);
  const h0 = randn([4, B, H]);
  const c0 = randn([4, B, H]);
  const opts = c.lengths === null ? undefined : { lengths: c.lengths };
  const [out, state] = layer.forwardState(x, hasC ? { h: h0, c: c0 } : { h: h0 }, opts);
  const params = new Map(layer.namedParameters());
  const hp = (l: number, d: number): HandParams => {
    const sfx = `_l${l}${d === 1 ? "_reverse" : ""}`;
    return {
      wIh: params.get(`weight_ih${sfx}`)!.data,
      wHh: params.get(`weight_hh${sfx}`)!.data,
      bIh: params.get(`bias_ih${sfx}`)?.data ?? null,
      bHh: params.get(`bias_hh${sfx}`)?.data ?? null,
    };
  };
  const row = (t: Tensor, k: number, b: number): number[] => Array.from(t.data.subarray((k * B + b) * H, (k * B + b + 1) * H));
  for (let b = 0; b < B; b++) {
    const len = c.lengths === null ? T : c.lengths[b]!;
    let seq: number[][] = Array.from({ length: len }, (_, t) => Array.from(x.data.subarray((b * T + t) * I, (b * T + t + 1) * I)));
    for (let l = 0; l < 2; l++) {
      const dirs = [0, 1].map((d) => {
        const mask = c.masked ? Array.from(maskData(l, d, B, H).subarray(b * H, (b + 1) * H)) : null;
        return handSequence(c.cell, hp(l, d), seq, row(h0, l * 2 + d, b), row(c0, l * 2 + d, b), c.gate, c.cand, mask, d === 1);
      });
      for (let d = 0; d < 2; d++) {
        assertClose(row(state.h, l * 2 + d, b), dirs[d]!.h, `${label}: hN layer ${l} dir ${d} row ${b}`);
        if (hasC) assertClose(row(state.c!, l * 2 + d, b), dirs[d]!.c, `${label}: cN layer ${l} dir ${d} row ${b}`);
      }
      seq = Array.from({ length: len }, (_, t) => [...dirs[0]!.outs[t]!, ...dirs[1]!.outs[t]!]);
    }
    for (let t = 0; t < T; t++) {
      const got = out.data.subarray((b * T + t) * 2 * H, (b * T + t + 1) * 2 * H);
      assertClose(got, t < len ? seq[t]! : new Array<number>(2 * H).fill(0), `${label}: output row ${b} t ${t}`);
    }
  }
}

const CELLS: HandCell[] = ["lstm", "gru", "gru_reset_before", "rnn_tanh"];

test("activations, a recurrent mask and the single bias match written-out loops (every layer, direction, with lengths)", () => {
  const quiet = setCellLog(() => {});
  try {
    for (const cell of CELLS) {
      for (const [gate, cand] of [
        ["sigmoid", "tanh"],
        ["hardSigmoid", "relu"],
        ["hardSigmoidKeras3", "linear"],
        ["sigmoid", "softsign"],
      ] as const) {
        for (const masked of [false, true]) {
          check({ cell, gate, cand, masked, recurrentBias: !masked, lengths: null });
        }
      }
      check({ cell, gate: "hardSigmoid", cand: "tanh", masked: true, recurrentBias: false, lengths: [4, 1, 3] });
      check({ cell, gate: "sigmoid", cand: "tanh", masked: true, recurrentBias: true, lengths: [2, 4, 0] });
      // The defaults run fused (but gru_reset_before): the single bias there too.
      check({ cell, gate: "sigmoid", cand: "tanh", masked: false, recurrentBias: false, lengths: null });
      check({ cell, gate: "sigmoid", cand: "tanh", masked: false, recurrentBias: false, lengths: [3, 4, 1] });
    }
  } finally {
    setCellLog(quiet);
  }
});

test("variants have gradients that match finite differences (input, states, every parameter; mask and single bias)", () => {
  const quiet = setCellLog(() => {});
  try {
    for (const cell of CELLS) {
      manualSeed(5);
      const gated = cell !== "rnn_tanh";
      const layer = new MaskedLayer(
        { cell, inputSize: 2, hiddenSize: 3, bidirectional: true, recurrentBias: false, activation: "softsign", ...(gated ? { recurrentActivation: "hardSigmoid" as const } : {}) },
        (l, d, b) => new Tensor(maskData(l, d, b, 3), [b, 3]),
      );
      const x = randn([3, 2, 2], { requiresGrad: true });
      const h0 = randn([2, 2, 3], { requiresGrad: true });
      const c0 = randn([2, 2, 3], { requiresGrad: true });
      const f = (xi: Tensor, hi: Tensor, ci: Tensor): Tensor => {
        const [out, s] = layer.forwardState(xi, cell === "lstm" ? { h: hi, c: ci } : { h: hi });
        return concat([reshape(out, [-1]), reshape(s.h, [-1]), ...(s.c === undefined ? [] : [reshape(s.c, [-1])])], 0);
      };
      const inputs = cell === "lstm" ? [x, h0, c0] : [x, h0];
      const r = gradCheck((xi, hi, ci) => f(xi!, hi!, ci ?? c0), [...inputs, ...layer.parameters()], { eps: 1e-2, atol: 2e-3, rtol: 2e-2 });
      assert.ok(r.ok, `${cell}: ${r.failures.join("\n")}`);
    }
  } finally {
    setCellLog(quiet);
  }
});

test("no gradient reaches the recurrent mask", () => {
  const quiet = setCellLog(() => {});
  const spec = getCell("gru");
  manualSeed(2);
  const params = { weight_ih: randn([9, 2], { requiresGrad: true }), weight_hh: randn([9, 3], { requiresGrad: true }) };
  const mask = new Tensor(maskData(0, 0, 2, 3), [2, 3], true);
  const r = recurrentDirection(spec, randn([3, 2, 2]), randn([2, 3]), null, params, 3, false, null, { recurrentMask: mask });
  r.hN.sum().backward();
  setCellLog(quiet);
  assert.equal(mask.grad, null);
  assert.notEqual(params.weight_hh.grad, null);
});

test("recurrentBias: false drops every bias_hh and keeps bias_ih; getConfig round-trips it and the activations", () => {
  const lstm = new LSTM({ inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: true, recurrentBias: false, recurrentActivation: "hard_sigmoid" as "hardSigmoid" });
  const names = [...lstm.namedParameters()].map(([n]) => n);
  assert.equal(names.filter((n) => n.startsWith("bias_hh")).length, 0);
  assert.equal(names.filter((n) => n.startsWith("bias_ih")).length, 4);
  assert.deepEqual(lstm.activations, { gate: "hardSigmoid", candidate: "tanh" });
  const config = lstm.getConfig();
  assert.equal(config["recurrentBias"], false);
  assert.equal(config["recurrentActivation"], "hardSigmoid");
  assert.equal("activation" in config, false);
  const again = new LSTM(config as unknown as ConstructorParameters<typeof LSTM>[0]);
  assert.deepEqual(again.getConfig(), config);
  // A default layer's config is unchanged.
  assert.deepEqual(Object.keys(new GRU({ inputSize: 2, hiddenSize: 3 }).getConfig()).sort(), ["batchFirst", "bias", "bidirectional", "dropout", "hiddenSize", "inputSize", "numLayers"]);
  // Without bias, recurrentBias changes nothing.
  assert.equal([...new GRU({ inputSize: 2, hiddenSize: 3, bias: false, recurrentBias: false }).namedParameters()].length, 2);
});

test("RNN: activation picks the cell for tanh and relu and replaces h's nonlinearity otherwise", () => {
  assert.equal(new RNN({ inputSize: 2, hiddenSize: 3, activation: "relu" }).cell, "rnn_relu");
  assert.equal(new RNN({ inputSize: 2, hiddenSize: 3, nonlinearity: "relu", activation: "relu" }).getConfig()["nonlinearity"], "relu");
  const lin = new RNN({ inputSize: 2, hiddenSize: 3, activation: "linear" });
  assert.equal(lin.cell, "rnn_tanh");
  assert.deepEqual(lin.getConfig()["activation"], "linear");
  assert.equal("nonlinearity" in lin.getConfig(), false);
  assert.throws(() => new RNN({ inputSize: 2, hiddenSize: 3, nonlinearity: "relu", activation: "tanh" }), /RNN: options nonlinearity \("relu"\) and activation \("tanh"\) disagree/);
  assert.throws(() => Reflect.construct(RNN, [{ inputSize: 2, hiddenSize: 3, recurrentActivation: "sigmoid" }]), /RNN: cell "rnn_tanh" has no gates; option recurrentActivation is not accepted/);
});

test("a variant no backend runs fused takes the generic path with one notice naming the cell, the activations and the mask", () => {
  const logs: string[] = [];
  const previous = setCellLog((m) => logs.push(m));
  try {
    const layer = new LSTM({ inputSize: 2, hiddenSize: 3, recurrentActivation: "swish" });
    layer.forward(randn([2, 1, 2]));
    layer.forward(randn([2, 1, 2]));
    new MaskedLayer({ cell: "gru", inputSize: 2, hiddenSize: 3, activation: "gelu" }, (_, __, b) => new Tensor(maskData(0, 0, b, 3), [b, 3])).forward(randn([2, 2, 2]));
  } finally {
    setCellLog(previous);
  }
  const acts = logs.filter((m) => m.includes('cell "lstm" with gate=swish, candidate=tanh has no fused kernel'));
  assert.equal(acts.length, 1, logs.join("\n"));
  assert.ok(logs.some((m) => m.includes('cell "gru" with gate=sigmoid, candidate=gelu with a recurrent dropout mask has no fused kernel')), logs.join("\n"));
});

test("bad variants are errors naming the layer or cell, the option, what was expected and what came", () => {
  assert.throws(() => new LSTM({ inputSize: 2, hiddenSize: 3, activation: "tanhh" as "tanh" }), /LSTM: option activation must be an activation name, got "tanhh" \(did you mean "tanh"\?\); known activations: tanh, sigmoid/);
  assert.throws(() => new PeepholeLSTM({ inputSize: 2, hiddenSize: 3, activation: "relu" }), /PeepholeLSTM: cell "peephole_lstm" has fixed nonlinearities; option activation is not accepted/);
  assert.throws(() => new RecurrentLayer({ cell: "layernorm_lstm", inputSize: 2, hiddenSize: 3, recurrentBias: false }), /cell "layernorm_lstm" has no bias_hh; recurrentBias: false/);
  assert.throws(() => new LSTM({ inputSize: 2, hiddenSize: 3, recurrentBias: 1 as unknown as boolean }), /LSTM: option recurrentBias must be true or false, got 1/);
  const gru = getCell("gru");
  const p = { weight_ih: randn([9, 2]), weight_hh: randn([9, 3]) };
  const x = randn([2, 2, 2]);
  const h0 = randn([2, 3]);
  assert.throws(() => recurrentDirection(gru, x, h0, null, p, 3, false, null, { recurrentMask: randn([3, 3]) }), /cell "gru"\): recurrentMask must be a Tensor of shape \[2, 3\] \(B, P\), got a Tensor of shape \[3, 3\]/);
  assert.throws(
    () => recurrentDirection(gru, x, h0, null, p, 3, false, null, { recurrentMask: new Tensor(new Float32Array(6).fill(Number.NaN), [2, 3]) }),
    /recurrentMask holds a non-finite value/,
  );
  assert.throws(() => recurrentDirection(gru, x, h0, null, p, 3, false, null, { activations: { gate: "sigmoid", candidate: "nope" as "tanh" } }), /activations\.candidate must be an activation name, got "nope"/);
  const peep = getCell("peephole_lstm");
  assert.throws(
    () => recurrentDirection(peep, x, h0, randn([2, 3]), p, 3, false, null, { activations: { gate: "sigmoid", candidate: "tanh" } }),
    /cell "peephole_lstm"\): the cell has fixed nonlinearities and takes no recurrent mask/,
  );
});
