// Variable-length batches (lengths) against PyTorch's pack_padded_sequence, outputs, final states
// and every gradient (fixtures from tools/gen_mask_fixtures.py), on the fused kernels and on the
// generic path (the same cells registered without a fused kernel).
import { test, after } from "node:test";
import { LSTM, GRU, RNN, RecurrentLayer, Tensor, defineCell, getCell, getBackend, setCellLog, type Module } from "recurrent";
import { readFixture, fixtureNames, toTensor, assertClose, deviation, type JsonTensor } from "../helpers/fixtures.js";

interface MaskFixture {
  name: string;
  module: "RNN" | "LSTM" | "GRU";
  options: { inputSize: number; hiddenSize: number; numLayers: number; batchFirst: boolean; bidirectional: boolean; nonlinearity: "tanh" | "relu"; projSize: number };
  lengths: number[];
  params: Record<string, JsonTensor>;
  input: JsonTensor;
  h0: JsonTensor | null;
  c0: JsonTensor | null;
  output: JsonTensor;
  hN: JsonTensor;
  cN: JsonTensor | null;
  lossWeights: { output: JsonTensor; hN: JsonTensor; cN: JsonTensor | null };
  grads: { input: JsonTensor; h0: JsonTensor | null; c0: JsonTensor | null; params: Record<string, JsonTensor> };
}

type Run = (x: Tensor, h0: Tensor | null, c0: Tensor | null, lengths: number[]) => [Tensor, Tensor, Tensor | null];

setCellLog(() => {});
// The built-in cells' autograd steps, registered without a fused kernel: the generic path.
for (const name of ["lstm", "gru", "rnn_tanh", "rnn_relu"]) {
  const spec = getCell(name);
  defineCell({ name: `generic_${name}`, states: spec.states, gatesPerUnit: spec.gatesPerUnit, parameters: spec.parameters.filter((p) => p.projection !== true), step: spec.step!, replace: true });
}

function build(f: MaskFixture, generic: boolean): { module: Module; run: Run } {
  const { nonlinearity, projSize, ...shared } = f.options;
  if (generic) {
    const cell = f.module === "LSTM" ? "lstm" : f.module === "GRU" ? "gru" : `rnn_${nonlinearity}`;
    const m = new RecurrentLayer({ ...shared, cell: `generic_${cell}` });
    return {
      module: m,
      run: (x, h0, c0, lengths) => {
        const [out, s] = m.forward(x, h0 === null ? null : c0 === null ? { h: h0 } : { h: h0, c: c0 }, { lengths });
        return [out, s.h, s.c ?? null];
      },
    };
  }
  if (f.module === "RNN") {
    const m = new RNN({ ...shared, nonlinearity });
    return { module: m, run: (x, h0, _c0, lengths) => [...m.forward(x, h0, { lengths }), null] };
  }
  if (f.module === "GRU") {
    const m = new GRU(shared);
    return { module: m, run: (x, h0, _c0, lengths) => [...m.forward(x, h0, { lengths }), null] };
  }
  const m = new LSTM(projSize > 0 ? { ...shared, projSize } : shared);
  return {
    module: m,
    run: (x, h0, c0, lengths) => {
      const [out, [hN, cN]] = m.forward(x, h0 !== null && c0 !== null ? [h0, c0] : null, { lengths });
      return [out, hN, cN];
    },
  };
}

const names = fixtureNames("masks");

for (const name of names) {
  for (const generic of [false, true]) {
    const f = readFixture<MaskFixture>("masks", name);
    // The generic path has no projection (defineCell cells have none).
    if (generic && f.options.projSize > 0) continue;
    test(`lengths match PyTorch packed sequences (${generic ? "generic path" : "fused"}): ${name}`, () => {
      const { module, run } = build(f, generic);
      const own = module.stateDict();
      module.loadStateDict(Object.fromEntries(Object.keys(f.params).map((n) => [n, toTensor(f.params[n]!)])));
      const x = toTensor(f.input, true);
      const h0 = f.h0 === null ? null : toTensor(f.h0, true);
      const c0 = f.c0 === null ? null : toTensor(f.c0, true);
      const [out, hN, cN] = run(x, h0, c0, f.lengths);
      assertClose(out.data, f.output, `${name} output`);
      assertClose(hN.data, f.hN, `${name} hN`);
      if (f.cN !== null) assertClose(cN!.data, f.cN, `${name} cN`);
      let loss = out.mul(toTensor(f.lossWeights.output)).sum().add(hN.mul(toTensor(f.lossWeights.hN)).sum());
      if (f.lossWeights.cN !== null) loss = loss.add(cN!.mul(toTensor(f.lossWeights.cN)).sum());
      loss.backward();
      assertClose(x.grad!.data, f.grads.input, `${name} d input`);
      if (f.grads.h0 !== null) assertClose(h0!.grad!.data, f.grads.h0, `${name} d h0`);
      if (f.grads.c0 !== null) assertClose(c0!.grad!.data, f.grads.c0, `${name} d c0`);
      for (const [pn, g] of Object.entries(f.grads.params)) assertClose(own[pn]!.grad!.data, g, `${name} d ${pn}`);
    });
  }
}

after(() => {
  console.log(`# lengths vs PyTorch (${getBackend().name} backend): ${names.length} fixtures, largest deviation ${deviation.max.toExponential(2)} at ${deviation.where}`);
});
