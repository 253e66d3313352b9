/**
 * Fuzzes the char LM sidecar reader (charlm.json beside an exported model):
 * `node --conditions=source --import tsx fuzz/charlm-sidecar.ts --cases 100000`.
 * Documented failure: CharLMSidecarError. Seeds are sidecars of a one-hot and an embedding run
 * (Adam, random sampler). Half the cases are structure-aware: one field anywhere in the JSON is
 * replaced by a hostile value or removed.
 */
import { fileURLToPath } from "node:url";
import { Vocab } from "../src/data/text/vocab.js";
import { resolveCharLMConfig } from "../src/tasks/charlm/config.js";
import { CharLMSidecarError, decodeCharLMSidecar, encodeCharLMSidecar } from "../src/io/interop/charlm/sidecar.js";
import type { Generator } from "../src/tensor/random.js";
import { editJsonFields } from "./json-edit.js";
import { main, type FuzzTarget } from "./lib.js";

const encoder = new TextEncoder();

function seeds(): Uint8Array[] {
  const vocab = new Vocab(Array.from("the time traveller"));
  const base = { textPath: "/data/timemachine.txt", textSha256: "a".repeat(64) };
  return [
    encoder.encode(encodeCharLMSidecar(resolveCharLMConfig({ ...base, hiddenSize: 8 }), vocab)),
    encoder.encode(encodeCharLMSidecar(resolveCharLMConfig({ ...base, cell: "gru", embedSize: 4, optimizer: "adam", sampler: "random" }), vocab)),
  ];
}

const HOSTILE: unknown[] = [-1, 0, 1, 2 ** 31, 2 ** 53, 1e308, 0.5, null, true, "", "x".repeat(70_000), "<unk>", "__proto__", [], {}, ["<unk>", "a", "a"], [["a", -1]], { version: 1 }];

function mutate(input: Uint8Array, rng: Generator, mutateBytes: (b: Uint8Array) => Uint8Array): Uint8Array {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(input));
  } catch {
    return mutateBytes(input);
  }
  editJsonFields(parsed, rng, HOSTILE);
  return encoder.encode(JSON.stringify(parsed));
}

export const target: FuzzTarget = {
  name: "charlm-sidecar",
  seeds: seeds(),
  run(input) {
    const { vocab } = decodeCharLMSidecar(input, "charlm.json");
    return vocab.idxToToken.reduce((n, t) => n + 2 * t.length + 16, 0);
  },
  expected: (err) => err instanceof CharLMSidecarError,
  mutate,
};

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main(target);
