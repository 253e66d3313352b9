/**
 * Fuzzes the vocabulary loader as the project uses it: UTF-8 bytes -> parseJsonChecked ->
 * Vocab.fromJSON. `node --conditions=source --import tsx fuzz/vocab-json.ts --cases 100000`.
 * Documented failures: JsonInputError (bytes that are not bounded, valid JSON) and the Error
 * that Vocab.fromJSON throws for a JSON value that is not a vocabulary (its message starts with
 * "Vocab.fromJSON:").
 */
import { fileURLToPath } from "node:url";
import { JsonInputError, parseJsonChecked } from "../src/io/json.js";
import { Vocab } from "../src/data/text/vocab.js";
import { Generator } from "../src/tensor/random.js";
import { hostileValue, main, type FuzzTarget } from "./lib.js";

const enc = new TextEncoder();

function seeds(): Uint8Array[] {
  const words = "the time traveller for so it will be convenient to speak of him was expounding a recondite matter to us".split(" ");
  const chars = [...words.join(" ")];
  return [
    enc.encode(JSON.stringify(new Vocab(chars).toJSON())),
    enc.encode(JSON.stringify(new Vocab(words, { reservedTokens: ["<pad>", "<bos>", "<eos>"] }).toJSON())),
    enc.encode(JSON.stringify(new Vocab([]).toJSON())),
    enc.encode(JSON.stringify(new Vocab(words, { minFreq: 2 }).toJSON(), null, 2)),
  ];
}

/** JSON-level mutations: a hostile value in place of a field or a token, a long token, a repeated token. */
function mutateJson(input: Uint8Array, rng: Generator, mutateBytes: (b: Uint8Array) => Uint8Array): Uint8Array {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(input));
  } catch {
    return mutateBytes(input);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return mutateBytes(input);
  const fields = Object.entries(json).map(([k, v]) => [JSON.stringify(k), JSON.stringify(v)] as [string, string]);
  const table: unknown = Reflect.get(json, "idxToToken");
  const choice = rng.randint(0, 4);
  if (choice === 0 && fields.length > 0) {
    const f = fields[rng.randint(0, fields.length)]!;
    f[1] = hostileValue(rng);
  } else if (Array.isArray(table) && table.length > 1) {
    const tokens = table.map((t) => JSON.stringify(t));
    const i = rng.randint(1, tokens.length);
    const long = JSON.stringify("t".repeat(2 ** rng.randint(4, 21)));
    if (choice === 1) tokens[i] = hostileValue(rng);
    else if (choice === 2) tokens[i] = long;
    else tokens.push(long, long); // the same long token twice
    const at = fields.findIndex(([k]) => k === '"idxToToken"');
    if (at >= 0) fields[at]![1] = `[${tokens.join(",")}]`;
  } else return mutateBytes(input);
  return new TextEncoder().encode(`{${fields.map(([k, v]) => `${k}:${v}`).join(",")}}`);
}

export const target: FuzzTarget = {
  name: "vocab-json",
  seeds: seeds(),
  mutate: mutateJson,
  // Vocab.fromJSON (src/data/text/vocab.ts) quotes a repeated token whole; its owner cuts it.
  knownLongMessages: /^Vocab\.fromJSON: (idxToToken|tokenFreqs) must not repeat a token/,
  run(input) {
    const vocab = Vocab.fromJSON(parseJsonChecked(input, "vocabulary fuzz.json"));
    // What the loaded vocabulary holds, in UTF-16 bytes, against the input's size.
    return 2 * vocab.toTokens(Array.from({ length: vocab.length }, (_, i) => i)).reduce((n, t) => n + t.length + 8, 0);
  },
  expected: (err) => err instanceof JsonInputError || (err instanceof Error && err.constructor === Error && err.message.startsWith("Vocab.fromJSON:")),
};

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main(target);
