// Golden values for the Keras-semantics pieces, computed by TF.js (the Keras reference that runs
// in Node) on its cpu backend: activations (values and gradients), regularizer penalties (and
// their gradients) and constraints, for fixed inputs. Writes
// test/fixtures/keras/{activations,regularizers,constraints}.json.
//
//   node --conditions=source --import tsx tools/gen_keras_fixtures.ts
//
// Deterministic: inputs come from fixed formulas and the library's seeded Generator.
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { Generator } from "recurrent";

const outDir = join(new URL("..", import.meta.url).pathname, "test", "fixtures", "keras");

interface JsonTensor {
  shape: number[];
  data: (number | null)[];
}

function json(t: tf.Tensor): JsonTensor {
  return { shape: [...t.shape], data: Array.from(t.dataSync(), (v) => (Number.isFinite(v) ? v : null)) };
}

function randomTensor(shape: number[], seed: number, scale = 1): tf.Tensor {
  const g = new Generator(seed);
  const n = shape.reduce((p, q) => p * q, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => scale * g.normal()), shape);
}

/** -8.05 … 8.05 in 46 steps (no point on a kink at 0, ±2.5, ±3 or 6) and a few large values. */
function activationInput(): tf.Tensor {
  const xs: number[] = [];
  for (let i = 0; i < 46; i++) xs.push(-8.05 + (16.1 * i) / 45);
  xs.push(-30, -15, 15, 30);
  return tf.tensor(xs, [5, 10]);
}

/** How TF.js computes each of the library's activations: its layer by name, or its ops where it has no layer. */
const ACTIVATIONS: Record<string, { tfjs: string; f: (x: tf.Tensor) => tf.Tensor }> = {};
type TfActivationName = Parameters<typeof tf.layers.activation>[0]["activation"];
type TfRegularizer = ReturnType<typeof tf.regularizers.l1>;
type TfConstraint = ReturnType<typeof tf.constraints.maxNorm>;
const layer = (name: TfActivationName) => (x: tf.Tensor): tf.Tensor => {
  const out = tf.layers.activation({ activation: name }).apply(x);
  if (Array.isArray(out) || !(out instanceof tf.Tensor)) throw new Error(`activation ${name} did not return one tensor`);
  return out;
};
for (const [name, tfName] of [
  ["tanh", "tanh"],
  ["sigmoid", "sigmoid"],
  ["hardSigmoid", "hardSigmoid"],
  ["relu", "relu"],
  ["relu6", "relu6"],
  ["linear", "linear"],
  ["elu", "elu"],
  ["selu", "selu"],
  ["softplus", "softplus"],
  ["softsign", "softsign"],
  ["swish", "swish"],
  ["gelu", "gelu"],
  ["geluTanh", "gelu_new"],
  ["softmax", "softmax"],
] satisfies [string, TfActivationName][]) {
  ACTIVATIONS[name] = { tfjs: `tf.layers.activation({ activation: "${tfName}" })`, f: layer(tfName) };
}
ACTIVATIONS["silu"] = { tfjs: "x * tf.sigmoid(x)", f: (x) => tf.mul(x, tf.sigmoid(x)) };
ACTIVATIONS["logSoftmax"] = { tfjs: "tf.logSoftmax(x)", f: (x) => tf.logSoftmax(x) };
ACTIVATIONS["exponential"] = { tfjs: "tf.exp(x)", f: (x) => tf.exp(x) };
ACTIVATIONS["hardSigmoidKeras3"] = { tfjs: "tf.relu6(x + 3) / 6", f: (x) => tf.div(tf.relu6(tf.add(x, 3)), 6) };

function activations(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const x = activationInput();
  const upstream = randomTensor(x.shape, 1);
  for (const [name, { tfjs, f }] of Object.entries(ACTIVATIONS)) {
    // exp overflows float32 gradients' usefulness at 30; keep its input in a range it is used in.
    const input = name === "exponential" ? tf.clipByValue(x, -20, 20) : x;
    const y = f(input);
    const grad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(f(v), upstream)))(input);
    out[name] = { tfjs, input: json(input), output: json(y), upstream: json(upstream), grad: json(grad) };
  }
  return out;
}

function regularizers(): Record<string, unknown> {
  const cases: [string, string, Record<string, number>, TfRegularizer][] = [
    ["l1_default", "l1", {}, tf.regularizers.l1()],
    ["l1_0.5", "l1", { l1: 0.5 }, tf.regularizers.l1({ l1: 0.5 })],
    ["l2_default", "l2", {}, tf.regularizers.l2()],
    ["l2_0.2", "l2", { l2: 0.2 }, tf.regularizers.l2({ l2: 0.2 })],
    ["l1l2_default", "l1l2", {}, tf.regularizers.l1l2()],
    ["l1l2_0.003_0.2", "l1l2", { l1: 0.003, l2: 0.2 }, tf.regularizers.l1l2({ l1: 0.003, l2: 0.2 })],
  ];
  const w = randomTensor([3, 4], 2);
  const out: Record<string, unknown> = {};
  for (const [name, kind, config, reg] of cases) {
    const penalty = reg.apply(w);
    const grad = tf.grad((v: tf.Tensor) => reg.apply(v))(w);
    out[name] = { kind, config, tfjsClass: reg.getClassName(), tfjsConfig: reg.getConfig(), weight: json(w), penalty: json(penalty), grad: json(grad) };
  }
  return out;
}

function constraints(): Record<string, unknown> {
  // Columns (axis 0 norms) straddle the bounds: one tiny, one inside, one large, and one of zeros.
  const w2 = tf.tensor(
    [
      [0.01, 0.3, 2.0, 0],
      [-0.02, -0.4, 1.5, 0],
      [0.005, 0.5, -3.0, 0],
    ],
    [3, 4],
  );
  const w3 = randomTensor([2, 3, 4], 3, 0.8);
  const cases: [string, string, Record<string, number>, TfConstraint, tf.Tensor][] = [
    ["maxNorm_default", "maxNorm", {}, tf.constraints.maxNorm({ maxValue: 2, axis: 0 }), w2],
    ["maxNorm_0.5_axis1", "maxNorm", { maxValue: 0.5, axis: 1 }, tf.constraints.maxNorm({ maxValue: 0.5, axis: 1 }), w2],
    ["maxNorm_1_axis2_3d", "maxNorm", { maxValue: 1, axis: 2 }, tf.constraints.maxNorm({ maxValue: 1, axis: 2 }), w3],
    ["nonNeg", "nonNeg", {}, tf.constraints.nonNeg(), w2],
    ["unitNorm_default", "unitNorm", {}, tf.constraints.unitNorm({ axis: 0 }), w2],
    ["unitNorm_axis1_3d", "unitNorm", { axis: 1 }, tf.constraints.unitNorm({ axis: 1 }), w3],
    ["minMaxNorm_default", "minMaxNorm", {}, tf.constraints.minMaxNorm({ minValue: 0, maxValue: 1, rate: 1, axis: 0 }), w2],
    ["minMaxNorm_0.2_1.5_rate0.5", "minMaxNorm", { minValue: 0.2, maxValue: 1.5, rate: 0.5 }, tf.constraints.minMaxNorm({ minValue: 0.2, maxValue: 1.5, rate: 0.5, axis: 0 }), w2],
    ["minMaxNorm_axis1_3d", "minMaxNorm", { minValue: 0.5, maxValue: 0.9, rate: 0.7, axis: 1 }, tf.constraints.minMaxNorm({ minValue: 0.5, maxValue: 0.9, rate: 0.7, axis: 1 }), w3],
  ];
  const out: Record<string, unknown> = {};
  for (const [name, kind, config, c, w] of cases) {
    out[name] = { kind, config, tfjsClass: c.getClassName(), tfjsConfig: c.getConfig(), weight: json(w), output: json(c.apply(w)) };
  }
  return out;
}

async function main(): Promise<void> {
  await tf.setBackend("cpu");
  mkdirSync(outDir, { recursive: true });
  const meta = { generator: "tools/gen_keras_fixtures.ts", tfjs: tf.version.tfjs, backend: tf.getBackend(), epsilon: tf.backend().epsilon() };
  for (const [file, data] of [
    ["activations", activations()],
    ["regularizers", regularizers()],
    ["constraints", constraints()],
  ] as const) {
    writeFileSync(join(outDir, `${file}.json`), `${JSON.stringify({ meta, cases: data })}\n`);
  }
  console.log(`wrote test/fixtures/keras/{activations,regularizers,constraints}.json with TF.js ${tf.version.tfjs} (${tf.getBackend()})`);
}

await main();
