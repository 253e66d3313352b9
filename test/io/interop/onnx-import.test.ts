// ONNX import: files exported by PyTorch (tools/gen_onnx_fixtures.py) map onto our layers with
// PyTorch's parameters and outputs; malformed, hostile and unsupported files fail with OnnxError.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";
import { Tensor, GRU, RNNBase, Sequential, manualSeed, randn, type CellState } from "../../../src/index.js";
import { exportOnnx } from "../../../src/io/interop/onnx/export.js";
import { importOnnx } from "../../../src/io/interop/onnx/import.js";
import { exportOnnxToFile, importOnnxFromFile } from "../../../src/io/interop/onnx/file.js";
import { ATTR_INT, OnnxError, decodeOnnxModel, encodeOnnxModel, type OnnxModel } from "../../../src/io/interop/onnx/proto.js";

const dir = fileURLToPath(new URL("../../fixtures/interop/onnx/", import.meta.url));
const TOL = 1e-5;

interface TensorJson {
  shape: number[];
  data: number[];
}

function tensorOf(j: TensorJson): Tensor {
  return new Tensor(Float32Array.from(j.data), j.shape);
}

function field(obj: unknown, key: string): unknown {
  return typeof obj === "object" && obj !== null ? Reflect.get(obj, key) : undefined;
}

function asTensor(v: unknown, what: string): TensorJson {
  const shape = field(v, "shape");
  const data = field(v, "data");
  assert.ok(Array.isArray(shape) && Array.isArray(data), `${what} is a tensor`);
  return { shape: shape.map(Number), data: data.map(Number) };
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

const cases = readdirSync(dir).filter((f) => f.endsWith(".onnx")).map((f) => f.slice(0, -5)).sort();

test("PyTorch-exported fixtures exist for every kind of layer", () => {
  assert.ok(cases.length >= 9, cases.join(", "));
  for (const k of ["lstm", "gru", "rnn_tanh", "rnn_relu", "embed_lstm_linear"]) assert.ok(cases.some((c) => c.startsWith(k)), k);
});

let largest = 0;
for (const name of cases) {
  test(`PyTorch's ${name}.onnx imports with PyTorch's parameters and outputs (within 1e-5)`, () => {
    const j: unknown = JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8"));
    const model = importOnnx(new Uint8Array(readFileSync(join(dir, `${name}.onnx`))));
    assert.equal(model.constructor.name, field(j, "className"));
    if (model instanceof Sequential) assert.deepEqual(model.getConfig()["layers"], field(j, "layers"));
    else {
      const config = model.getConfig();
      const want = field(j, "config");
      assert.ok(typeof want === "object" && want !== null);
      for (const [k, v] of Object.entries(want)) assert.deepEqual(config[k], v, `config.${k}`);
    }
    const sd = field(j, "stateDict");
    assert.ok(typeof sd === "object" && sd !== null);
    const ours = model.stateDict();
    assert.deepEqual(Object.keys(ours).sort(), Object.keys(sd).sort());
    for (const [k, v] of Object.entries(sd)) assert.deepEqual([...ours[k]!.data], asTensor(v, k).data, `parameter ${k} is bit-identical`);

    const x = tensorOf(asTensor(field(j, "input"), "input"));
    const expected = asTensor(field(j, "output"), "output");
    if (model instanceof RNNBase) {
      const h0 = field(j, "h0");
      const c0 = field(j, "c0");
      const state: CellState | null = h0 === null ? null : c0 === null ? { h: tensorOf(asTensor(h0, "h0")) } : { h: tensorOf(asTensor(h0, "h0")), c: tensorOf(asTensor(c0, "c0")) };
      const [y, s] = model.forwardState(x, state);
      const d = Math.max(maxDiff(y.data, expected.data), maxDiff(s.h.data, asTensor(field(j, "hN"), "hN").data));
      const cN = field(j, "cN");
      const dc = cN === null ? 0 : maxDiff(s.c!.data, asTensor(cN, "cN").data);
      largest = Math.max(largest, d, dc);
      assert.ok(d <= TOL && dc <= TOL, `deviation ${Math.max(d, dc)}`);
    } else {
      assert.ok(model instanceof Sequential);
      const d = maxDiff(model.forward(x).data, expected.data);
      largest = Math.max(largest, d);
      assert.ok(d <= TOL, `deviation ${d}`);
    }
  });
}

test("largest deviation from PyTorch over the imported fixtures", (t) => {
  t.diagnostic(`largest |PyTorch - ours| = ${largest.toExponential(2)}`);
  assert.ok(largest <= TOL);
});

function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(dir, `${name}.onnx`)));
}

function edited(name: string, edit: (m: OnnxModel) => void): Uint8Array {
  const m = decodeOnnxModel(fixture(name));
  edit(m);
  return encodeOnnxModel(m);
}

function refuses(bytes: Uint8Array, pattern: RegExp, options = {}): void {
  assert.throws(() => importOnnx(bytes, options), (e: unknown) => {
    assert.ok(e instanceof OnnxError, `an OnnxError, got ${String(e)}`);
    assert.match(e.message, pattern);
    assert.ok(e.message.length < 600, "the message is bounded");
    return true;
  });
}

test("every truncation of a PyTorch file is refused with an OnnxError", () => {
  const bytes = fixture("lstm_1layer");
  for (let n = 0; n < bytes.length; n++) refuses(bytes.subarray(0, n), /importOnnx/);
});

test("sizes are checked before anything is allocated", () => {
  refuses(fixture("lstm_1layer"), /the input has 1855 bytes, over the limit of 1000 \(option maxBytes\)/, { maxBytes: 1000 });
  refuses(Uint8Array.from([0x3a, 0xff, 0xff, 0xff, 0xff, 0x0f]), /field at byte 1 declares 4294967295 bytes but only 0 remain/);
  refuses(new Uint8Array(0), /the input is empty/);
  refuses(Uint8Array.from([0x0b, 0x0b, 0x0b]), /wire type 3 .* is not used by ONNX/);
  // A weight declaring more values than its data holds.
  refuses(
    edited("lstm_1layer", (m) => {
      m.graph.initializers[0]!.dims = [1, 16, 4];
    }),
    /dims \[1, 16, 4\] need 256 bytes of float32 data, the file has 192/,
  );
  // Dims whose product is astronomically large are refused by count, not by trying to allocate.
  refuses(
    edited("lstm_1layer", (m) => {
      m.graph.initializers[0]!.dims = [2 ** 40, 2 ** 12];
    }),
    /hold more than MAX_ELEMENTS/,
  );
  refuses(
    edited("lstm_1layer", (m) => {
      m.graph.initializers[0]!.dims = [2 ** 60, 1];
    }),
    /beyond ±2\^53/,
  );
});

test("graphs with no equivalent layer are refused, naming the node and the reason", () => {
  const setAttr = (m: OnnxModel, op: string, name: string, value: number): void => {
    const n = m.graph.nodes.find((x) => x.opType === op)!;
    const a = n.attributes.find((x) => x.name === name);
    if (a !== undefined) a.i = value;
    else n.attributes.push({ name, type: ATTR_INT, f: 0, i: value, s: "", t: null, floats: [], ints: [], strings: [] });
  };
  refuses(edited("gru_bi_states", (m) => setAttr(m, "GRU", "linear_before_reset", 2)), /node \d+ \(GRU.*linear_before_reset must be 0 or 1, got 2/);
  refuses(edited("lstm_1layer", (m) => setAttr(m, "LSTM", "input_forget", 1)), /input_forget = 1/);
  refuses(
    edited("lstm_1layer", (m) => {
      m.graph.nodes.find((n) => n.opType === "Squeeze")!.opType = "Sin";
    }),
    /op Sin is not one of the ops that recurrent models export to/,
  );
  refuses(
    edited("lstm_1layer", (m) => {
      m.graph.nodes.find((n) => n.opType === "LSTM")!.attributes.find((a) => a.name === "hidden_size")!.i = 5;
    }),
    /R must be \(1, 20, 5\), got \[1, 16, 4\]|W must be \(1, 20, I\)/,
  );
  refuses(
    edited("rnn_tanh_2layer", (m) => {
      m.graph.initializers = m.graph.initializers.slice(1);
    }),
    /must be a constant \(an initializer\)/,
  );
  refuses(
    edited("lstm_1layer", (m) => {
      m.opsetImports = [{ domain: "", version: 99 }];
    }),
    /opset is 99/,
  );
  // Nodes missing their data input (found by fuzzing: a one-input Gather on a weight).
  refuses(
    edited("embed_lstm_linear", (m) => {
      m.graph.nodes.find((n) => n.opType === "Gather")!.inputs.length = 1;
    }),
    /node 11 \(LSTM.*: value "\/emb\/Gather_output_0" does not depend on the graph's input/,
  );
  refuses(
    edited("lstm_1layer", (m) => {
      m.graph.nodes.find((n) => n.opType === "LSTM")!.inputs[0] = "";
    }),
    /node \d+ \(LSTM.*: its data input is missing/,
  );
  // The graph's output taken from the final state instead of the output sequence.
  refuses(
    edited("lstm_1layer", (m) => {
      m.graph.outputs = [m.graph.outputs[1]!];
    }),
    /is not the last layer's output sequence/,
  );
});

test("exportOnnxToFile writes atomically and importOnnxFromFile reads it back; bad paths and sizes are named", () => {
  const tmp = mkdtempSync(join(tmpdir(), "onnx-"));
  try {
    manualSeed(3);
    const layer = new GRU({ inputSize: 2, hiddenSize: 3, bidirectional: true });
    const path = join(tmp, "gru.onnx");
    exportOnnxToFile(layer, path);
    assert.deepEqual(new Uint8Array(readFileSync(path)), exportOnnx(layer));
    const back = importOnnxFromFile(path);
    const x = randn([4, 2, 2]);
    assert.ok(back instanceof GRU);
    assert.deepEqual(back.forward(x)[0].data, layer.forward(x)[0].data);
    assert.throws(() => importOnnxFromFile(join(tmp, "missing.onnx")), /cannot read ONNX model .*missing\.onnx/);
    assert.throws(() => importOnnxFromFile(path, { maxBytes: 10 }), /more than the limit of 10 bytes/);
    writeFileSync(join(tmp, "junk.onnx"), "not a model at all");
    assert.throws(() => importOnnxFromFile(join(tmp, "junk.onnx")), OnnxError);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test("a graph of 6,000 nodes imports in linear time: 3,000 Linears joined by Identity nodes", () => {
  const n = 3_000;
  const model: OnnxModel = {
    irVersion: 7,
    producerName: "test",
    opsetImports: [{ domain: "", version: 14 }],
    graph: {
      name: "chain",
      nodes: [],
      initializers: [{ name: "w", dims: [2, 2], dataType: 1, floats: Float32Array.from([1, 0, 0, 1]), ints: null }],
      inputs: [{ name: "input", elemType: 1, dims: ["T", "B", 2] }],
      outputs: [{ name: "output", elemType: 1, dims: ["T", "B", 2] }],
    },
  };
  let x = "input";
  for (let k = 0; k < n; k++) {
    model.graph.nodes.push({ name: "", opType: "MatMul", domain: "", inputs: [x, "w"], outputs: [`m${k}`], attributes: [] });
    model.graph.nodes.push({ name: "", opType: "Identity", domain: "", inputs: [`m${k}`], outputs: [k === n - 1 ? "output" : `i${k}`], attributes: [] });
    x = `i${k}`;
  }
  const t0 = performance.now();
  const seq = importOnnx(encodeOnnxModel(model));
  const ms = performance.now() - t0;
  assert.ok(seq instanceof Sequential && seq.length === n);
  assert.ok(ms < 5000, `${ms} ms`);
});

test("PyTorch's files and our re-export of each imported model give PyTorch's outputs in onnxruntime (within 1e-5)", async () => {
  ort.env.logLevel = "error";
  let worst = 0;
  for (const name of cases) {
    const j: unknown = JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8"));
    const input = asTensor(field(j, "input"), "input");
    const h0 = field(j, "h0");
    const c0 = field(j, "c0");
    const seq = field(j, "className") === "Sequential";
    const feeds: Record<string, ort.Tensor> = {
      input: seq ? new ort.Tensor("int64", BigInt64Array.from(input.data.map((v) => BigInt(v))), input.shape) : new ort.Tensor("float32", Float32Array.from(input.data), input.shape),
    };
    const withStates = h0 !== null && h0 !== undefined;
    if (withStates) {
      const h = asTensor(h0, "h0");
      feeds["h0"] = new ort.Tensor("float32", Float32Array.from(h.data), h.shape);
      if (c0 !== null) {
        const c = asTensor(c0, "c0");
        feeds["c0"] = new ort.Tensor("float32", Float32Array.from(c.data), c.shape);
      }
    }
    const reexported = exportOnnx(importOnnx(fixture(name)), { initialStates: withStates });
    for (const [which, bytes] of [["PyTorch's file", fixture(name)], ["re-export", reexported]] as const) {
      const session = await ort.InferenceSession.create(bytes);
      const out = await session.run(feeds);
      await session.release();
      const want: [string, unknown][] = [["output", field(j, "output")]];
      if (withStates || which === "PyTorch's file") want.push(["hN", field(j, "hN")], ["cN", field(j, "cN")]);
      for (const [key, expected] of want) {
        if (expected === null || expected === undefined) continue;
        const got = out[key];
        assert.ok(got !== undefined && got.data instanceof Float32Array, `${name} ${which}: ${key}`);
        const d = maxDiff(got.data, asTensor(expected, key).data);
        worst = Math.max(worst, d);
        assert.ok(d <= TOL, `${name} ${which}: ${key} deviates by ${d}`);
      }
    }
  }
  assert.ok(worst <= TOL);
});

test("Gemm with transB = 1 (PyTorch's nn.Linear on 2-D input) imports as a Linear equal to onnxruntime's Gemm", async () => {
  manualSeed(21);
  const w = randn([3, 4]);
  const c = randn([3]);
  const model: OnnxModel = {
    irVersion: 7,
    producerName: "test",
    opsetImports: [{ domain: "", version: 14 }],
    graph: {
      name: "gemm",
      nodes: [{ name: "fc", opType: "Gemm", domain: "", inputs: ["input", "w", "c"], outputs: ["output"], attributes: [{ name: "transB", type: ATTR_INT, f: 0, i: 1, s: "", t: null, floats: [], ints: [], strings: [] }] }],
      initializers: [
        { name: "w", dims: [3, 4], dataType: 1, floats: Float32Array.from(w.data), ints: null },
        { name: "c", dims: [3], dataType: 1, floats: Float32Array.from(c.data), ints: null },
      ],
      inputs: [{ name: "input", elemType: 1, dims: ["B", 4] }],
      outputs: [{ name: "output", elemType: 1, dims: ["B", 3] }],
    },
  };
  const bytes = encodeOnnxModel(model);
  const seq = importOnnx(bytes);
  assert.ok(seq instanceof Sequential && seq.length === 1);
  assert.deepEqual([...seq.stateDict()["0.weight"]!.data], [...w.data]);
  const x = randn([5, 4]);
  const session = await ort.InferenceSession.create(bytes);
  const got = (await session.run({ input: new ort.Tensor("float32", Float32Array.from(x.data), [5, 4]) }))["output"]!;
  await session.release();
  assert.ok(got.data instanceof Float32Array);
  assert.ok(maxDiff(got.data, seq.forward(x).data) <= TOL);
});
