/**
 * Fuzzes the Keras model-file readers, one target per format:
 * `node --conditions=source --import tsx fuzz/keras.ts --cases 100000` runs both (`--format keras`
 * or `--format h5` runs one). Documented failure: KerasFormatError. Seeds are the files Keras
 * wrote (test/fixtures/keras-files). Half the cases are structure-aware. A `.keras` case is
 * unzipped, then config.json or metadata.json has one field replaced by a hostile value or
 * removed, or model.weights.h5 is mutated as bytes, and the archive is rebuilt, so the case gets
 * past the ZIP into the config and HDF5 checks. An `.h5` case has one number or string in its
 * model_config attribute overwritten in place (same length, so the HDF5 structure still reads),
 * or a small integer field of the HDF5 structure (a size, an offset, a dimension) replaced.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import "../src/index.js";
import { importKeras } from "../src/io/interop/keras/read.js";
import { KerasFormatError } from "../src/io/interop/keras/errors.js";
import { readZip } from "../src/io/interop/pytorch/zip.js";
import type { Module } from "../src/nn/module.js";
import type { Generator } from "../src/tensor/random.js";
import { editJsonFields } from "./json-edit.js";
import { fuzz, type FuzzTarget } from "./lib.js";
import { writeZip } from "./pickle.js";

const fixtures = fileURLToPath(new URL("../test/fixtures/keras-files/", import.meta.url));

/** The seed files: a spread of layers (recurrent, Bidirectional, masking, Embedding, functional). */
const SEED_CASES = ["bidi_gru_sum", "embedding_mask_gru", "functional_masking_bidi", "functional_lstm_state", "masking_bidi_td", "stacked_no_bias", "dropout_td", "refuse_branches"];

function seedFiles(ext: string): Uint8Array[] {
  const names = new Set(readdirSync(fixtures));
  return SEED_CASES.filter((c) => names.has(`${c}${ext}`)).map((c) => new Uint8Array(readFileSync(join(fixtures, `${c}${ext}`))));
}

const HOSTILE: unknown[] = [-1, 0, 1, 2, 3, 7, 2 ** 31, 2 ** 53, 1e308, -0.5, null, true, false, "", "x".repeat(70_000), "__proto__", "hard_sigmoid", "Functional", "Sequential", "Bidirectional", "InputLayer", "__keras_tensor__", "2.15.0", [], {}, [1, 2], ["input_layer", 0, 0], [2 ** 20, 2 ** 20], [-1]];

function randomBytes(rng: Generator): Uint8Array {
  const out = new Uint8Array(rng.randint(0, 4097));
  for (let i = 0; i < out.length; i++) out[i] = rng.randint(0, 256);
  return out;
}

function mutateArchive(input: Uint8Array, rng: Generator, mutateBytes: (b: Uint8Array) => Uint8Array): Uint8Array {
  if (rng.randint(0, 8) === 0) return randomBytes(rng);
  let entries: [string, Uint8Array][];
  try {
    entries = [...readZip(input, "seed")];
  } catch {
    return mutateBytes(input);
  }
  const k = rng.randint(0, entries.length);
  const [name, data] = entries[k]!;
  if (name.endsWith(".json")) {
    try {
      const parsed: unknown = JSON.parse(new TextDecoder().decode(data));
      editJsonFields(parsed, rng, HOSTILE);
      entries[k] = [name, new TextEncoder().encode(JSON.stringify(parsed))];
    } catch {
      entries[k] = [name, mutateBytes(data)];
    }
  } else if (rng.randint(0, 2) === 0) {
    entries[k] = [name, mutateH5(data, rng, mutateBytes)];
  } else {
    entries[k] = [name, mutateBytes(data)];
  }
  if (rng.randint(0, 10) === 0) entries.splice(rng.randint(0, entries.length), 1);
  return writeZip(entries);
}

/** One same-length edit of the JSON text inside an HDF5 file (model_config), or of a small integer of its structure. */
function mutateH5(input: Uint8Array, rng: Generator, mutateBytes: (b: Uint8Array) => Uint8Array): Uint8Array {
  if (rng.randint(0, 8) === 0) return randomBytes(rng);
  const out = input.slice();
  if (rng.randint(0, 2) === 0) {
    // A structure field: overwrite 1, 2, 4 or 8 bytes at an aligned offset with a small or large integer.
    const width = [1, 2, 4, 8][rng.randint(0, 4)]!;
    const at = rng.randint(0, Math.max(1, out.length - width)) & ~(width - 1);
    const values = [0, 1, 2, 3, 7, 8, 255, 0xffff, 0x7fffffff, 0xffffffff];
    let v = values[rng.randint(0, values.length)]!;
    for (let b = 0; b < width && at + b < out.length; b++) {
      out[at + b] = v & 0xff;
      v = Math.floor(v / 256);
    }
    return out;
  }
  // The JSON text: find a digit or a letter run inside it and overwrite it in place.
  const start = findJson(out);
  if (start < 0) return mutateBytes(input);
  let at = start + rng.randint(0, Math.min(60_000, out.length - start));
  while (at < out.length && !/[0-9a-z]/.test(String.fromCharCode(out[at]!))) at++;
  const digit = at < out.length && out[at]! >= 0x30 && out[at]! <= 0x39;
  const pool = digit ? "0123456789" : "abcdefghijklmnopqrstuvwxyz_";
  const n = rng.randint(1, 4);
  for (let j = 0; j < n && at + j < out.length; j++) out[at + j] = pool.charCodeAt(rng.randint(0, pool.length));
  return out;
}

function findJson(b: Uint8Array): number {
  const needle = [0x7b, 0x22, 0x63, 0x6c, 0x61, 0x73, 0x73]; // {"class
  outer: for (let i = 0; i + needle.length < b.length; i++) {
    for (let j = 0; j < needle.length; j++) if (b[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function held(model: Module): number {
  let n = 0;
  for (const p of model.parameters()) n += p.data.byteLength;
  return n;
}

export const kerasTarget: FuzzTarget = {
  name: "keras",
  seeds: seedFiles(".keras"),
  run: (input) => held(importKeras(input, { source: "fuzz.keras" })),
  expected: (err) => err instanceof KerasFormatError,
  mutate: mutateArchive,
};

export const h5Target: FuzzTarget = {
  name: "keras-h5",
  seeds: seedFiles(".h5"),
  run: (input) => held(importKeras(input, { source: "fuzz.h5" })),
  expected: (err) => err instanceof KerasFormatError,
  mutate: mutateH5,
};

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const cases = Number(arg("--cases") ?? 100_000);
  const seed = Number(arg("--seed") ?? 1);
  if (!Number.isSafeInteger(cases) || cases < 0 || !Number.isSafeInteger(seed) || seed < 0) throw new Error("fuzz keras: --cases and --seed must be non-negative integers");
  const format = arg("--format");
  if (format !== undefined && format !== "keras" && format !== "h5") throw new Error(`fuzz keras: --format must be keras or h5, got ${JSON.stringify(format.slice(0, 20))}`);
  let failed = false;
  for (const t of [kerasTarget, h5Target]) {
    if (format !== undefined && t !== (format === "keras" ? kerasTarget : h5Target)) continue;
    const { findings, ...summary } = fuzz(t, { cases, seed });
    console.log(JSON.stringify({ ...summary, findings: findings.length }));
    for (const f of findings.slice(0, 20)) console.log(JSON.stringify(f));
    failed ||= findings.length > 0;
  }
  process.exitCode = failed ? 1 : 0;
}
