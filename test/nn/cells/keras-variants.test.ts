// The cell variants against TF.js (tools/gen_cell_variant_fixtures.ts): LSTM with Keras 2's
// hardSigmoid gates or a relu candidate, the original GRU (TF.js's, the library's
// gru_reset_before) with hardSigmoid gates or a linear candidate, SimpleRNN with relu or
// hardSigmoid, all with Keras's single bias; outputs, final states and the gradients of the input
// and every weight within 1e-5, on whichever backend the suite runs.
import { test, after } from "node:test";
import { RecurrentLayer, getBackend, type ActivationName } from "recurrent";
import { assertClose, fixtureNames, readFixture, toTensor, type JsonTensor } from "../../helpers/fixtures.js";

interface VariantFixture {
  name: string;
  cell: string;
  activation: ActivationName;
  recurrentActivation: ActivationName | null;
  sizes: { B: number; T: number; I: number; H: number };
  x: JsonTensor;
  params: Record<string, JsonTensor>;
  outputs: JsonTensor[]; // sequence (B, T, H), h (B, H), c (B, H) for the LSTM
  lossWeights: JsonTensor[];
  grads: { x: JsonTensor; params: Record<string, JsonTensor> };
}

let worst = 0;
const track = (got: ArrayLike<number>, want: JsonTensor): void => {
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want.data[i]!) / (1 + Math.abs(want.data[i]!)));
};

for (const name of fixtureNames("cell-variants")) {
  test(`TF.js ${name}: outputs, states and gradients match`, () => {
    const f = readFixture<VariantFixture>("cell-variants", name);
    const { I, H } = f.sizes;
    const layer = new RecurrentLayer({
      cell: f.cell,
      inputSize: I,
      hiddenSize: H,
      batchFirst: true,
      recurrentBias: false,
      activation: f.activation,
      ...(f.recurrentActivation === null ? {} : { recurrentActivation: f.recurrentActivation }),
    });
    layer.loadStateDict(Object.fromEntries(Object.entries(f.params).map(([n, t]) => [n, toTensor(t)])));
    const x = toTensor(f.x, true);
    const [out, s] = layer.forwardState(x);
    const results = [out, s.h, ...(s.c === undefined ? [] : [s.c])];
    let loss = results[0]!.mul(toTensor(f.lossWeights[0]!)).sum();
    for (let i = 1; i < results.length; i++) loss = loss.add(results[i]!.mul(toTensor(f.lossWeights[i]!)).sum());
    loss.backward();
    results.forEach((r, i) => {
      assertClose(r.data, f.outputs[i]!, `${name}: output ${i}`);
      track(r.data, f.outputs[i]!);
    });
    assertClose(x.grad!.data, f.grads.x, `${name}: d input`);
    for (const [n, p] of layer.namedParameters()) {
      assertClose(p.grad!.data, f.grads.params[n]!, `${name}: d ${n}`);
      track(p.grad!.data, f.grads.params[n]!);
    }
  });
}

after(() => console.log(`# TF.js cell variants on ${getBackend().name}: largest |diff|/(1+|expected|) ${worst.toExponential(2)}`));
