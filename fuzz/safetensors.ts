/**
 * Fuzzes parseSafetensors: `node --conditions=source --import tsx fuzz/safetensors.ts --cases 100000`.
 * Documented failure: SafetensorsError. Seeds are valid files of every dtype, with and without
 * metadata, plus the checked-in fixtures; half the cases mutate only the header and then fix the
 * length field, so they get past the first check.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { parseSafetensors, serializeSafetensors, SafetensorsError } from "../src/io/safetensors.js";
import { Generator } from "../src/tensor/random.js";
import { hostileName, hostileValue, main, type FuzzTarget } from "./lib.js";

const fixtures = fileURLToPath(new URL("../test/fixtures/safetensors/", import.meta.url));

function seeds(): Uint8Array[] {
  const out: Uint8Array[] = readdirSync(fixtures)
    .filter((f) => f.endsWith(".safetensors"))
    .map((f) => new Uint8Array(readFileSync(join(fixtures, f))));
  out.push(
    serializeSafetensors({
      w: { dtype: "F32", shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) },
      h: { dtype: "F16", shape: [2], data: Float32Array.from([0.5, -2]) },
      b: { dtype: "BF16", shape: [1], data: Float32Array.from([3]) },
      d: { dtype: "F64", shape: [], data: Float64Array.from([Math.PI]) },
    }),
    serializeSafetensors(
      {
        i: { dtype: "I32", shape: [3], data: Int32Array.from([1, -2, 3]) },
        l: { dtype: "I64", shape: [1, 1], data: BigInt64Array.from([2n ** 60n]) },
        u: { dtype: "U8", shape: [4], data: Uint8Array.from([0, 1, 254, 255]) },
        m: { dtype: "BOOL", shape: [2], data: Uint8Array.from([0, 1]) },
      },
      { format: "pt", note: "seed" },
    ),
    serializeSafetensors({}),
  );
  return out;
}

/** Replaces one field of a parsed header (or one key) by a hostile one; returns the new header text. */
function mutateHeaderJson(text: string, rng: Generator): string | null {
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) return null;
  const entries = Object.entries(header).map(([k, v]) => [JSON.stringify(k), JSON.stringify(v)] as [string, string]);
  const choice = rng.randint(0, 4);
  if (choice === 0 || entries.length === 0) entries.push([`"${hostileName(rng)}"`, hostileValue(rng)]);
  else {
    const i = rng.randint(0, entries.length);
    const entry = entries[i]!;
    const value: unknown = JSON.parse(entry[1]);
    if (choice === 1) entry[0] = `"${hostileName(rng)}"`;
    else if (choice === 2 || typeof value !== "object" || value === null || Array.isArray(value)) entry[1] = hostileValue(rng);
    else {
      const fields = Object.entries(value).map(([k, v]) => [JSON.stringify(k), JSON.stringify(v)] as [string, string]);
      const field = fields[rng.randint(0, Math.max(1, fields.length))];
      if (field !== undefined) field[1] = hostileValue(rng);
      entry[1] = `{${fields.map(([k, v]) => `${k}:${v}`).join(",")}}`;
    }
  }
  return `{${entries.map(([k, v]) => `${k}:${v}`).join(",")}}`;
}

/** Splits a file into header text bytes and data (when the length field is sane), mutates one, reassembles. */
function mutateStructured(input: Uint8Array, rng: Generator, mutateBytes: (b: Uint8Array) => Uint8Array): Uint8Array {
  if (input.length < 8) return mutateBytes(input);
  const n = Number(new DataView(input.buffer, input.byteOffset, 8).getBigUint64(0, true));
  if (n > input.length - 8) return mutateBytes(input);
  let header = input.subarray(8, 8 + n);
  let data = input.subarray(8 + n);
  const r = rng.randint(0, 8);
  const json = r < 4 ? mutateHeaderJson(new TextDecoder().decode(header), rng) : null;
  if (json !== null) header = new TextEncoder().encode(json);
  else if (r === 4) data = mutateBytes(data);
  else header = mutateBytes(header);
  const out = new Uint8Array(8 + header.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  out.set(data, 8 + header.length);
  return out;
}

export const target: FuzzTarget = {
  name: "safetensors",
  seeds: seeds(),
  run(input) {
    const parsed = parseSafetensors(input, "fuzz.safetensors");
    let held = 0;
    for (const t of Object.values(parsed.tensors)) held += t.data.byteLength;
    return held;
  },
  expected: (err) => err instanceof SafetensorsError,
  mutate: mutateStructured,
};

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main(target);
