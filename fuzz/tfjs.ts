/**
 * Fuzzes the TF.js Layers reader and mapping: `node --conditions=source --import tsx fuzz/tfjs.ts --cases 100000`.
 * Documented failure: TfjsFormatError. A case is one byte string framing the two files a TF.js
 * model has: a 4-byte little-endian length, model.json, then the weight shard (every path the
 * manifest names reads from that shard in turn; a frame that does not parse is all model.json
 * with an empty shard). Seeds are the models TF.js wrote (test/fixtures/interop/tfjs) and ones
 * written here. Half the cases are structure-aware: model.json is parsed, one field anywhere in it
 * (a shape, a size, a name, a path, a class, a flag) is replaced by a hostile value or removed,
 * and the frame is rebuilt, so the case gets past JSON into the manifest and layer checks.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { GRU, LSTM, RNN, Linear, Embedding, Dropout, Masking, Sequential, manualSeed } from "../src/index.js";
import { KerasGRU, KerasLSTM } from "../src/nn/keras/layers.js";
import { KerasBidirectional } from "../src/nn/keras/bidirectional.js";
import { KerasDense } from "../src/nn/keras/dense.js";
import { readTfjsLayersModel, writeTfjsLayersModel, TfjsFormatError } from "../src/io/interop/tfjs/format.js";
import { tfjsToModel } from "../src/io/interop/tfjs/map.js";
import { modelToTfjs } from "../src/io/interop/tfjs/write.js";
import type { Generator } from "../src/tensor/random.js";
import { editJsonFields } from "./json-edit.js";
import { main, type FuzzTarget } from "./lib.js";

const fixtures = fileURLToPath(new URL("../test/fixtures/interop/tfjs/", import.meta.url));

/** [u32 LE length][model.json][shard]. */
export function frame(json: Uint8Array, shard: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + json.length + shard.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 4);
  out.set(shard, 4 + json.length);
  return out;
}

function unframe(input: Uint8Array): { json: Uint8Array; shard: Uint8Array } {
  if (input.length < 4) return { json: input, shard: new Uint8Array(0) };
  const n = new DataView(input.buffer, input.byteOffset, input.byteLength).getUint32(0, true);
  if (n > input.length - 4) return { json: input, shard: new Uint8Array(0) };
  return { json: input.subarray(4, 4 + n), shard: input.subarray(4 + n) };
}

function seeds(): Uint8Array[] {
  const out = readdirSync(fixtures)
    .sort()
    .map((name) => frame(new Uint8Array(readFileSync(join(fixtures, name, "model.json"))), new Uint8Array(readFileSync(join(fixtures, name, "group1-shard1of1.bin")))));
  manualSeed(12);
  for (const model of [
    new Sequential([new Embedding({ numEmbeddings: 5, embeddingDim: 2 }), new LSTM({ inputSize: 2, hiddenSize: 2, numLayers: 2, dropout: 0.1, batchFirst: true }), new Linear({ inFeatures: 2, outFeatures: 3 })]),
    new Sequential([new GRU({ inputSize: 2, hiddenSize: 2, bidirectional: true, batchFirst: true }), new Dropout(0.5), new Linear({ inFeatures: 4, outFeatures: 2, bias: false })]),
    new RNN({ inputSize: 2, hiddenSize: 3, nonlinearity: "relu", bias: false }),
    new Sequential([
      new Masking(),
      new KerasBidirectional(new KerasGRU({ units: 2, resetAfter: false, returnSequences: true, recurrentActivation: "hardSigmoid", inputDim: 2 }), { mergeMode: "ave" }),
      new KerasLSTM({ units: 2, goBackwards: true, inputDim: 2 }),
      new KerasDense({ units: 1, activation: "sigmoid", inputDim: 2 }),
    ]),
  ]) {
    const files = writeTfjsLayersModel(modelToTfjs(model));
    out.push(frame(new TextEncoder().encode(files.modelJson), files.weights));
  }
  return out;
}

const HOSTILE: unknown[] = [-1, 0, 1, 2, 3, 7, 2 ** 31, 2 ** 53, 1e308, -0.5, 0.5, null, true, false, "", "x".repeat(70_000), "../x", "a/b", "__proto__", "float16", "int32", "concat", "sum", "mul", "ave", "relu", "hard_sigmoid", [], {}, [1, 2], [2 ** 20, 2 ** 20], [-1]];

function mutateStructured(input: Uint8Array, rng: Generator, mutateBytes: (b: Uint8Array) => Uint8Array): Uint8Array {
  if (rng.randint(0, 8) === 0) {
    const out = new Uint8Array(rng.randint(0, 4097));
    for (let i = 0; i < out.length; i++) out[i] = rng.randint(0, 256);
    return out;
  }
  const { json, shard } = unframe(input);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(json));
  } catch {
    return mutateBytes(input);
  }
  editJsonFields(parsed, rng, HOSTILE);
  const cut = rng.randint(0, 4) === 0 ? shard.subarray(0, rng.randint(0, shard.length + 1)) : shard;
  return frame(new TextEncoder().encode(JSON.stringify(parsed)), cut);
}

export const target: FuzzTarget = {
  name: "tfjs",
  seeds: seeds(),
  run(input) {
    const { json, shard } = unframe(input);
    let served = false;
    const desc = readTfjsLayersModel(json, () => {
      const bytes = served ? new Uint8Array(0) : shard;
      served = true;
      return bytes;
    });
    const model = tfjsToModel(desc);
    let held = 0;
    for (const p of model.parameters()) held += p.data.byteLength;
    return held;
  },
  expected: (err) => err instanceof TfjsFormatError,
  mutate: mutateStructured,
};

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main(target);
