// Outputs and every gradient against PyTorch 1.13 (fixtures from tools/gen_parity_fixtures.py).
import { test, after } from "node:test";
import { LSTM, GRU, RNN, RNNCell, LSTMCell, GRUCell, Tensor, getBackend, type Module } from "recurrent";
import { readFixture, fixtureNames, toTensor, assertClose, deviation, type JsonTensor } from "../helpers/fixtures.js";

interface ParityFixture {
  name: string;
  module: "RNN" | "LSTM" | "GRU" | "RNNCell" | "LSTMCell" | "GRUCell";
  options: {
    inputSize: number;
    hiddenSize: number;
    numLayers?: number;
    bias: boolean;
    batchFirst?: boolean;
    bidirectional?: boolean;
    nonlinearity: "tanh" | "relu";
    projSize?: number;
  };
  params: Record<string, JsonTensor>;
  input: JsonTensor;
  h0: JsonTensor | null;
  c0: JsonTensor | null;
  output: JsonTensor;
  hN: JsonTensor;
  cN: JsonTensor | null;
  lossWeights: { output: JsonTensor; hN: JsonTensor | null; cN: JsonTensor | null };
  grads: { input: JsonTensor; h0: JsonTensor | null; c0: JsonTensor | null; params: Record<string, JsonTensor> };
}

type Runner = { module: Module; run: (x: Tensor, h0: Tensor | null, c0: Tensor | null) => [Tensor, Tensor, Tensor | null] };

function build(f: ParityFixture): Runner {
  // Each layer gets only the options it declares (constructors reject unknown ones).
  const { nonlinearity, projSize, ...shared } = f.options;
  const cellShared = { inputSize: shared.inputSize, hiddenSize: shared.hiddenSize, bias: shared.bias };
  switch (f.module) {
    case "RNN": {
      const m = new RNN({ ...shared, nonlinearity });
      return { module: m, run: (x, h0) => [...m.forward(x, h0), null] };
    }
    case "GRU": {
      const m = new GRU(shared);
      return { module: m, run: (x, h0) => [...m.forward(x, h0), null] };
    }
    case "LSTM": {
      const m = new LSTM(projSize === undefined ? shared : { ...shared, projSize });
      return {
        module: m,
        run: (x, h0, c0) => {
          const [out, [hN, cN]] = m.forward(x, h0 !== null && c0 !== null ? [h0, c0] : null);
          return [out, hN, cN];
        },
      };
    }
    case "RNNCell": {
      const m = new RNNCell({ ...cellShared, nonlinearity });
      return { module: m, run: (x, h0) => { const h = m.forward(x, h0); return [h, h, null]; } };
    }
    case "GRUCell": {
      const m = new GRUCell(cellShared);
      return { module: m, run: (x, h0) => { const h = m.forward(x, h0); return [h, h, null]; } };
    }
    case "LSTMCell": {
      const m = new LSTMCell(cellShared);
      return {
        module: m,
        run: (x, h0, c0) => {
          const [h, c] = m.forward(x, h0 !== null && c0 !== null ? [h0, c0] : null);
          return [h, h, c];
        },
      };
    }
  }
}

const names = fixtureNames("parity");

for (const name of names) {
  test(`parity with PyTorch: ${name}`, () => {
    const f = readFixture<ParityFixture>("parity", name);
    const { module, run } = build(f);
    const own = module.stateDict();
    const ownNames = Object.keys(own);
    const refNames = Object.keys(f.params);
    if (ownNames.join(",") !== refNames.join(",")) throw new Error(`parameter names differ: ours ${ownNames.join(",")} vs torch ${refNames.join(",")}`);
    module.loadStateDict(Object.fromEntries(refNames.map((n) => [n, toTensor(f.params[n]!)])));

    const x = toTensor(f.input, true);
    const h0 = f.h0 === null ? null : toTensor(f.h0, true);
    const c0 = f.c0 === null ? null : toTensor(f.c0, true);
    const [out, hN, cN] = run(x, h0, c0);
    assertClose(out.data, f.output, `${name} output`);
    assertClose(hN.data, f.hN, `${name} hN`);
    if (f.cN !== null) assertClose(cN!.data, f.cN, `${name} cN`);

    let loss = out.mul(toTensor(f.lossWeights.output)).sum();
    if (f.lossWeights.hN !== null) loss = loss.add(hN.mul(toTensor(f.lossWeights.hN)).sum());
    if (f.lossWeights.cN !== null) loss = loss.add(cN!.mul(toTensor(f.lossWeights.cN)).sum());
    loss.backward();

    assertClose(x.grad!.data, f.grads.input, `${name} d input`);
    if (f.grads.h0 !== null) assertClose(h0!.grad!.data, f.grads.h0, `${name} d h0`);
    if (f.grads.c0 !== null) assertClose(c0!.grad!.data, f.grads.c0, `${name} d c0`);
    for (const [pn, g] of Object.entries(f.grads.params)) assertClose(own[pn]!.grad!.data, g, `${name} d ${pn}`);
  });
}

after(() => {
  console.log(`# parity (${getBackend().name} backend): ${names.length} fixtures, largest deviation |ours - torch| / (1 + |torch|) = ${deviation.max.toExponential(2)} at ${deviation.where}`);
});
