import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  bf16BitsToFloat,
  f16BitsToFloat,
  float32ToBF16Bits,
  float32ToF16Bits,
  parseSafetensors,
  serializeSafetensors,
} from "../../src/io/safetensors.js";
import type { SafeDType, SafeTensor, SafeTensorData } from "../../src/io/safetensors.js";
import { Generator } from "../../src/tensor/random.js";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "safetensors");
const SRC = "runs/x/model.safetensors";

// ---------------------------------------------------------------------------------------------
// Helpers

interface FixtureTensor {
  name: string;
  dtype: SafeDType;
  shape: number[];
  values: (number | string)[];
  source?: (number | string)[];
}
interface FixtureCase {
  file: string;
  metadata: Record<string, string> | null;
  tensors: FixtureTensor[];
}

function loadCases(): FixtureCase[] {
  const parsed: { cases: FixtureCase[] } = JSON.parse(readFileSync(join(FIXTURES, "cases.json"), "utf8"));
  return parsed.cases;
}

/** cases.json writes non-finite floats as strings; Number() reads "NaN", "Infinity", "-Infinity". */
function num(v: number | string): number {
  return typeof v === "number" ? v : Number(v);
}

function fixtureData(dtype: SafeDType, values: (number | string)[]): SafeTensorData {
  switch (dtype) {
    case "F32":
    case "F16":
    case "BF16":
      return Float32Array.from(values, num);
    case "F64":
      return Float64Array.from(values, num);
    case "I32":
      return Int32Array.from(values, num);
    case "I64":
      return BigInt64Array.from(values, (v) => BigInt(v));
    case "U8":
    case "BOOL":
      return Uint8Array.from(values, num);
  }
}

/** Element-wise equality that tells -0 from 0 and accepts NaN == NaN. */
function assertSameValues(actual: SafeTensorData, expected: SafeTensorData, what: string): void {
  assert.equal(actual.constructor.name, expected.constructor.name, `${what}: array type`);
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Object.is(actual[i], expected[i]), `${what}[${i}]: got ${actual[i]}, expected ${expected[i]}`);
  }
}

function numbers(t: SafeTensor | undefined): number[] {
  assert.ok(t !== undefined && !(t.data instanceof BigInt64Array));
  return Array.from(t.data);
}

const enc = new TextEncoder();

/** A file with the given header text (padded to 8 bytes) and data bytes, validity not checked. */
function rawFile(header: string, data: Uint8Array = new Uint8Array(0), pad = true): Uint8Array {
  const h = enc.encode(header);
  const n = pad ? h.length + ((8 - (h.length % 8)) % 8) : h.length;
  const out = new Uint8Array(8 + n + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), true);
  out.fill(0x20, 8, 8 + n);
  out.set(h, 8);
  out.set(data, 8 + n);
  return out;
}

function headerOf(bytes: Uint8Array): { length: number; text: string } {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { length, text: new TextDecoder().decode(bytes.subarray(8, 8 + length)) };
}

function throwsWith(bytes: Uint8Array, pattern: RegExp): void {
  assert.throws(
    () => parseSafetensors(bytes, SRC),
    (err: unknown) => {
      assert.ok(err instanceof Error);
      assert.ok(err.message.startsWith(`safetensors(${SRC}): `), `message names the source: ${err.message}`);
      assert.match(err.message, pattern);
      return true;
    },
  );
}

function randomTensor(dtype: SafeDType, shape: number[], g: Generator): SafeTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  switch (dtype) {
    case "F32":
      return { dtype, shape, data: Float32Array.from({ length: n }, () => g.normal()) };
    case "F64":
      return { dtype, shape, data: Float64Array.from({ length: n }, () => g.normal()) };
    case "I32":
      return { dtype, shape, data: Int32Array.from({ length: n }, () => g.nextUint32() | 0) };
    case "I64":
      return { dtype, shape, data: BigInt64Array.from({ length: n }, () => BigInt.asIntN(64, (BigInt(g.nextUint32()) << 32n) | BigInt(g.nextUint32()))) };
    case "U8":
      return { dtype, shape, data: Uint8Array.from({ length: n }, () => g.randint(0, 256)) };
    case "BOOL":
      return { dtype, shape, data: Uint8Array.from({ length: n }, () => g.randint(0, 2)) };
    case "F16":
    case "BF16": {
      // Random bit patterns, NaN excluded, so every value is exactly representable in the dtype.
      const decode = dtype === "F16" ? f16BitsToFloat : bf16BitsToFloat;
      const data = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        let v = Number.NaN;
        while (Number.isNaN(v)) v = decode(g.randint(0, 65536));
        data[i] = v;
      }
      return { dtype, shape, data };
    }
  }
}

const ALL_DTYPES: SafeDType[] = ["F32", "F64", "I32", "I64", "U8", "BOOL", "F16", "BF16"];
const ITEM_SIZE: Record<SafeDType, number> = { F32: 4, F64: 8, I32: 4, I64: 8, U8: 1, BOOL: 1, F16: 2, BF16: 2 };

// ---------------------------------------------------------------------------------------------
// Fixtures written by tools/gen_safetensors_fixture.py (PyTorch tensors, reference layout)

for (const c of loadCases()) {
  test(`fixture ${c.file}: parses to the values PyTorch wrote`, () => {
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, c.file)));
    const parsed = parseSafetensors(bytes, c.file);
    assert.deepEqual(parsed.metadata, c.metadata ?? {});
    assert.deepEqual(Object.keys(parsed.tensors).sort(), c.tensors.map((t) => t.name).sort());
    for (const t of c.tensors) {
      const got = parsed.tensors[t.name];
      assert.ok(got !== undefined, t.name);
      assert.equal(got.dtype, t.dtype, `${t.name}: dtype`);
      assert.deepEqual(got.shape, t.shape, `${t.name}: shape`);
      assertSameValues(got.data, fixtureData(t.dtype, t.values), t.name);
    }
  });

  test(`fixture ${c.file}: our writer produces the same bytes`, () => {
    const expected = new Uint8Array(readFileSync(join(FIXTURES, c.file)));
    // F16/BF16 tensors start from the float32 values PyTorch rounded, so this also checks our rounding.
    const tensors = Object.fromEntries(
      c.tensors.map((t): [string, SafeTensor] => [t.name, { dtype: t.dtype, shape: t.shape, data: fixtureData(t.dtype, t.source ?? t.values) }]),
    );
    const ours = serializeSafetensors(tensors, c.metadata ?? undefined);
    assert.equal(headerOf(ours).text, headerOf(expected).text);
    assert.deepEqual(ours, expected);
  });
}

test("fixture torch_written.safetensors: I64 beyond 2^53 stays exact", () => {
  const parsed = parseSafetensors(new Uint8Array(readFileSync(join(FIXTURES, "torch_written.safetensors"))));
  const step = parsed.tensors["step"];
  assert.ok(step !== undefined && step.data instanceof BigInt64Array);
  assert.equal(step.data[2], 2n ** 53n + 1n);
  assert.equal(step.data[4], 2n ** 63n - 1n);
});

// ---------------------------------------------------------------------------------------------
// Round trips

test("round trip: every dtype, several shapes, one file", () => {
  const g = new Generator(7);
  const shapes = [[], [0], [5], [3, 4], [2, 0, 3], [2, 3, 5]];
  const tensors: Record<string, SafeTensor> = {};
  for (const dtype of ALL_DTYPES) {
    shapes.forEach((shape, i) => {
      tensors[`${dtype.toLowerCase()}.${i}`] = randomTensor(dtype, shape, g);
    });
  }
  const bytes = serializeSafetensors(tensors, { epoch: "12", "ünïcode": "välue\n" });
  const parsed = parseSafetensors(bytes, "roundtrip");
  assert.deepEqual(parsed.metadata, { epoch: "12", "ünïcode": "välue\n" });
  assert.deepEqual(Object.keys(parsed.tensors).sort(), Object.keys(tensors).sort());
  for (const [name, t] of Object.entries(tensors)) {
    const got = parsed.tensors[name];
    assert.ok(got !== undefined);
    assert.equal(got.dtype, t.dtype);
    assert.deepEqual(got.shape, t.shape);
    assertSameValues(got.data, t.data, name);
  }
  // Writing what was read gives the same file back.
  assert.deepEqual(serializeSafetensors(parsed.tensors, parsed.metadata), bytes);
});

for (const dtype of ALL_DTYPES) {
  test(`round trip: ${dtype} alone`, () => {
    const t = randomTensor(dtype, [4, 3], new Generator(ALL_DTYPES.indexOf(dtype) + 100));
    const parsed = parseSafetensors(serializeSafetensors({ w: t }));
    const got = parsed.tensors["w"];
    assert.ok(got !== undefined);
    assert.equal(got.dtype, dtype);
    assertSameValues(got.data, t.data, dtype);
    assert.deepEqual(parsed.metadata, {});
  });
}

test("round trip: parses bytes that sit at an odd offset inside a larger buffer", () => {
  const t = randomTensor("F64", [3, 3], new Generator(3));
  const bytes = serializeSafetensors({ w: t, i: randomTensor("I64", [2], new Generator(4)) });
  const big = new Uint8Array(bytes.length + 5);
  big.set(bytes, 3);
  const parsed = parseSafetensors(big.subarray(3, 3 + bytes.length));
  assertSameValues(parsed.tensors["w"]?.data ?? new Float64Array(0), t.data, "w");
});

test("round trip: parsed arrays do not alias the input bytes", () => {
  const bytes = serializeSafetensors({ u: { dtype: "U8", shape: [3], data: new Uint8Array([1, 2, 3]) } });
  const parsed = parseSafetensors(bytes);
  bytes.fill(0, bytes.length - 3);
  assert.deepEqual(numbers(parsed.tensors["u"]), [1, 2, 3]);
});

// ---------------------------------------------------------------------------------------------
// Byte layout

test("layout: u64 little-endian header length, header padded with spaces to a multiple of 8", () => {
  for (let len = 1; len <= 9; len++) {
    const name = "x".repeat(len); // header lengths that land on every residue mod 8
    const bytes = serializeSafetensors({ [name]: { dtype: "F32", shape: [1], data: new Float32Array([1]) } });
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const n = Number(view.getBigUint64(0, true));
    assert.equal(n % 8, 0);
    assert.equal(bytes.length, 8 + n + 4);
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    const json = `{"${name}":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`;
    assert.equal(text.trimEnd(), json);
    assert.equal(text.length - json.length, (8 - (json.length % 8)) % 8);
    assert.match(text.slice(json.length), /^ *$/);
    assert.equal(view.getFloat32(8 + n, true), 1);
  }
});

test("layout: tensors ordered by descending dtype size class, then name; key order of the input is irrelevant", () => {
  const g = new Generator(11);
  const names = ["zeta", "alpha", "Beta", "a.10", "a.9"];
  const tensors: Record<string, SafeTensor> = {};
  for (const dtype of ["BOOL", "F16", "I64", "U8", "F32", "BF16", "I32", "F64"] as const) {
    for (const n of names) tensors[`${n}.${dtype}`] = randomTensor(dtype, [3], g);
  }
  const bytes = serializeSafetensors(tensors);
  const reversed = Object.fromEntries(Object.entries(tensors).reverse());
  assert.deepEqual(serializeSafetensors(reversed), bytes);

  const { text } = headerOf(bytes);
  const header: Record<string, { dtype: SafeDType; data_offsets: [number, number] }> = JSON.parse(text);
  const order = Object.keys(header);
  const dtypeOrder: SafeDType[] = ["I64", "F64", "F32", "I32", "BF16", "F16", "U8", "BOOL"];
  const sortedNames = [...names].sort(); // all ASCII here, so UTF-16 order is UTF-8 order
  assert.deepEqual(order, dtypeOrder.flatMap((d) => sortedNames.map((n) => `${n}.${d}`)));
  // Contiguous offsets, in header order.
  let at = 0;
  for (const k of order) {
    const e = header[k];
    assert.ok(e !== undefined);
    assert.equal(e.data_offsets[0], at);
    at = e.data_offsets[1];
  }
});

test("layout: every tensor is aligned to its element size within the file", () => {
  const g = new Generator(5);
  const tensors: Record<string, SafeTensor> = {};
  ALL_DTYPES.forEach((d, i) => {
    tensors[`t${i}`] = randomTensor(d, [i + 1], g); // odd lengths would misalign in name order
  });
  const bytes = serializeSafetensors(tensors, { k: "v" });
  const { length, text } = headerOf(bytes);
  const header: Record<string, { dtype?: SafeDType; data_offsets?: [number, number] }> = JSON.parse(text);
  for (const [k, e] of Object.entries(header)) {
    if (k === "__metadata__" || e.dtype === undefined || e.data_offsets === undefined) continue;
    assert.equal((8 + length + e.data_offsets[0]) % ITEM_SIZE[e.dtype], 0, k);
  }
});

test("layout: names are ordered by UTF-8 bytes, not UTF-16 code units", () => {
  const one = (): SafeTensor => ({ dtype: "U8", shape: [1], data: new Uint8Array([1]) });
  // U+FFFF is EF BF BF in UTF-8, U+1F600 is F0 9F 98 80: UTF-8 puts U+FFFF first, UTF-16 (D83D..) the emoji.
  const bytes = serializeSafetensors({ "\u{1F600}": one(), "\uFFFF": one(), b: one() });
  assert.deepEqual(Object.keys(JSON.parse(headerOf(bytes).text)), ["b", "\uFFFF", "\u{1F600}"]);
});

test("layout: __metadata__ comes first with sorted keys, and only when metadata is given", () => {
  const t: SafeTensor = { dtype: "U8", shape: [1], data: new Uint8Array([9]) };
  assert.doesNotMatch(headerOf(serializeSafetensors({ a: t })).text, /__metadata__/);
  const text = headerOf(serializeSafetensors({ a: t }, { z: "1", a: "2", "q\"uote": "x\ty" })).text.trimEnd();
  assert.equal(text, `{"__metadata__":{"a":"2","q\\"uote":"x\\ty","z":"1"},"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}`);
});

test("layout: data is little-endian", () => {
  const bytes = serializeSafetensors({
    a: { dtype: "I32", shape: [1], data: new Int32Array([0x01020304]) },
    b: { dtype: "I64", shape: [1], data: new BigInt64Array([0x0102030405060708n]) },
    c: { dtype: "F16", shape: [1], data: new Float32Array([1]) }, // 0x3c00
    d: { dtype: "BF16", shape: [1], data: new Float32Array([1]) }, // 0x3f80
  });
  const { length } = headerOf(bytes);
  // Order: I64, I32, BF16, F16.
  assert.deepEqual(Array.from(bytes.subarray(8 + length)), [8, 7, 6, 5, 4, 3, 2, 1, 4, 3, 2, 1, 0x80, 0x3f, 0x00, 0x3c]);
});

// ---------------------------------------------------------------------------------------------
// Half-precision conversions

test("f16: every non-NaN bit pattern survives decode then encode", () => {
  for (let h = 0; h < 65536; h++) {
    const v = f16BitsToFloat(h);
    if (Number.isNaN(v)) {
      assert.equal(float32ToF16Bits(v) & 0x7fff, 0x7e00);
      continue;
    }
    assert.equal(float32ToF16Bits(v), h, `0x${h.toString(16)}`);
  }
});

test("bf16: every non-NaN bit pattern survives decode then encode", () => {
  for (let h = 0; h < 65536; h++) {
    const v = bf16BitsToFloat(h);
    if (Number.isNaN(v)) {
      assert.equal(float32ToBF16Bits(v), 0x7fc0);
      continue;
    }
    assert.equal(float32ToBF16Bits(v), h, `0x${h.toString(16)}`);
  }
});

// ---------------------------------------------------------------------------------------------
// Corrupt files

const VALID = serializeSafetensors(
  {
    w: { dtype: "F32", shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]) },
    b: { dtype: "F16", shape: [3], data: new Float32Array([1, 2, 3]) },
  },
  { format: "pt" },
);
const VALID_HEADER = headerOf(VALID).length;
const VALID_DATA = VALID.length - 8 - VALID_HEADER;

test("corrupt: shorter than the 8-byte length field", () => {
  throwsWith(new Uint8Array(0), /file is 0 bytes, shorter than the 8-byte header length field/);
  throwsWith(VALID.subarray(0, 7), /file is 7 bytes/);
});

test("corrupt: truncated at every possible point", () => {
  for (let cut = 0; cut < VALID.length; cut++) {
    const bytes = VALID.slice(0, cut);
    if (cut < 8) throwsWith(bytes, /shorter than the 8-byte header length field/);
    else if (cut < 8 + VALID_HEADER) {
      throwsWith(bytes, new RegExp(`header length field says ${VALID_HEADER} bytes of JSON but only ${cut - 8} bytes follow it`));
    } else {
      throwsWith(bytes, new RegExp(`truncated file: header says the data is ${VALID_DATA} bytes but only ${cut - 8 - VALID_HEADER} follow`));
    }
  }
});

test("corrupt: header length field changed", () => {
  const huge = VALID.slice();
  new DataView(huge.buffer).setBigUint64(0, 2n ** 63n, true);
  throwsWith(huge, /header length field says 9223372036854775808 bytes of JSON/);

  const short = VALID.slice();
  new DataView(short.buffer).setBigUint64(0, BigInt(VALID_HEADER - 8), true);
  throwsWith(short, /header is not valid JSON/);

  // Pointing past the JSON into the data: the header text then ends in data bytes.
  const long = VALID.slice();
  new DataView(long.buffer).setBigUint64(0, BigInt(VALID_HEADER + 8), true);
  throwsWith(long, /header is not valid (JSON|UTF-8)/);
});

test("corrupt: header that is not UTF-8, not JSON, or not an object", () => {
  const bad = VALID.slice();
  bad[9] = 0xff;
  throwsWith(bad, /header is not valid UTF-8/);
  const broken = VALID.slice();
  broken[8] = "#".charCodeAt(0);
  throwsWith(broken, /header is not valid JSON/);
  throwsWith(rawFile(`{"w": {"dtype": "F32",`), /header is not valid JSON/);
  throwsWith(rawFile("[]"), /header must be a JSON object, got array \[\]/);
  throwsWith(rawFile("null"), /header must be a JSON object, got null/);
  throwsWith(rawFile("42"), /header must be a JSON object, got number 42/);
});

test("corrupt: bad tensor entries", () => {
  const four = new Uint8Array(4);
  const entry = (e: string): Uint8Array => rawFile(`{"w":${e}}`, four);
  throwsWith(entry(`[1]`), /tensor "w": entry must be an object with dtype, shape and data_offsets, got array/);
  throwsWith(entry(`{"shape":[1],"data_offsets":[0,4]}`), /tensor "w": missing "dtype"/);
  throwsWith(entry(`{"dtype":"F32","data_offsets":[0,4]}`), /tensor "w": missing "shape"/);
  throwsWith(entry(`{"dtype":"F32","shape":[1]}`), /tensor "w": missing "data_offsets"/);
  throwsWith(entry(`{"dtype":"Q7","shape":[1],"data_offsets":[0,4]}`), /tensor "w": unsupported dtype string "Q7" \(this reader handles .*F32.*\)/);
  throwsWith(entry(`{"dtype":"I8","shape":[4],"data_offsets":[0,4]}`), /unsupported dtype string "I8"/);
  throwsWith(entry(`{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}`), /shape must be an array of non-negative integers, got array \[-1\]/);
  throwsWith(entry(`{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}`), /shape must be an array of non-negative integers/);
  throwsWith(entry(`{"dtype":"F32","shape":["1"],"data_offsets":[0,4]}`), /shape must be an array of non-negative integers/);
  throwsWith(entry(`{"dtype":"F32","shape":4,"data_offsets":[0,4]}`), /shape must be an array of non-negative integers, got number 4/);
  throwsWith(entry(`{"dtype":"F32","shape":[1],"data_offsets":[4]}`), /data_offsets must be \[begin, end\]/);
  throwsWith(entry(`{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}`), /data_offsets must be \[begin, end\]/);
  throwsWith(entry(`{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}`), /data_offsets must be \[begin, end\]/);
  throwsWith(entry(`{"dtype":"F32","shape":[1],"data_offsets":[4,0]}`), /data_offsets \[4, 0\] end before they begin/);
  throwsWith(entry(`{"dtype":"F32","shape":[2,2],"data_offsets":[0,4]}`), /shape \[2,2\] of F32 needs 16 bytes but data_offsets \[0, 4\] span 4/);
  throwsWith(entry(`{"dtype":"F32","shape":[1e300],"data_offsets":[0,4]}`), /shape must be an array of non-negative integers|too large/);
  throwsWith(entry(`{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}`), /shape \[4294967296,4294967296\] is too large/);
});

test("corrupt: overlapping offsets, holes, and a buffer of the wrong length", () => {
  const f32 = (b: number, e: number): string => `{"dtype":"F32","shape":[${(e - b) / 4}],"data_offsets":[${b},${e}]}`;
  throwsWith(rawFile(`{"a":${f32(0, 16)},"b":${f32(8, 24)}}`, new Uint8Array(24)), /tensor "b" data \[8, 24\) overlaps tensor "a" \[0, 16\)/);
  throwsWith(rawFile(`{"a":${f32(0, 16)},"b":${f32(0, 16)}}`, new Uint8Array(16)), /overlaps/);
  throwsWith(rawFile(`{"a":${f32(0, 16)},"b":${f32(20, 36)}}`, new Uint8Array(36)), /hole of 4 bytes before tensor "b" \(its data starts at 20, tensor "a" ends at 16\)/);
  throwsWith(rawFile(`{"a":${f32(8, 16)}}`, new Uint8Array(16)), /hole of 8 bytes before tensor "a" \(its data starts at 8, the start of the data buffer\)/);
  throwsWith(rawFile(`{"a":${f32(0, 16)}}`, new Uint8Array(20)), /4 unexpected bytes after the last tensor: header says the data is 16 bytes but 20 follow/);
  throwsWith(rawFile(`{}`, new Uint8Array(1)), /1 unexpected bytes after the last tensor/);
  throwsWith(rawFile(`{"a":${f32(0, 16)}}`, new Uint8Array(12)), /truncated file: header says the data is 16 bytes but only 12 follow/);
  // Out of order in the header but tiling the buffer exactly is fine.
  const ok = parseSafetensors(rawFile(`{"b":${f32(16, 24)},"a":${f32(0, 16)}}`, new Uint8Array(24)));
  assert.deepEqual(Object.keys(ok.tensors).sort(), ["a", "b"]);
});

test("corrupt: metadata values must be strings", () => {
  throwsWith(rawFile(`{"__metadata__":{"epoch":3}}`), /metadata "epoch" must be a string, got number 3/);
  throwsWith(rawFile(`{"__metadata__":["pt"]}`), /__metadata__ must be an object of strings, got array/);
  assert.deepEqual(parseSafetensors(rawFile(`{"__metadata__":null}`)).metadata, {});
});

test("corrupt: BOOL bytes other than 0 and 1", () => {
  throwsWith(rawFile(`{"m":{"dtype":"BOOL","shape":[3],"data_offsets":[0,3]}}`, new Uint8Array([1, 0, 2])), /tensor "m": BOOL value 2 at index 2, expected 0 or 1/);
});

test("corrupt: an unpadded header is still accepted, as the reference reader does", () => {
  const parsed = parseSafetensors(rawFile(`{"u":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}`, new Uint8Array([5, 6]), false));
  assert.deepEqual(numbers(parsed.tensors["u"]), [5, 6]);
});

test("parse: errors without a source name say <bytes>", () => {
  assert.throws(() => parseSafetensors(new Uint8Array(3)), /^Error: safetensors\(<bytes>\): file is 3 bytes/);
});

// ---------------------------------------------------------------------------------------------
// Writer input checks

test("serialize: rejects data of the wrong array type, wrong length or bad shape", () => {
  assert.throws(
    () => serializeSafetensors({ w: { dtype: "F32", shape: [2], data: new Float64Array(2) } }),
    /serializeSafetensors: tensor "w": dtype F32 needs its data in a Float32Array, got Float64Array/,
  );
  assert.throws(
    () => serializeSafetensors({ w: { dtype: "I64", shape: [2], data: new Int32Array(2) } }),
    /dtype I64 needs its data in a BigInt64Array, got Int32Array/,
  );
  assert.throws(
    () => serializeSafetensors({ w: { dtype: "F32", shape: [2, 3], data: new Float32Array(5) } }),
    /tensor "w": shape \[2, 3\] holds 6 values but data has 5/,
  );
  assert.throws(
    () => serializeSafetensors({ w: { dtype: "F32", shape: [-2], data: new Float32Array(2) } }),
    /tensor "w": shape must be an array of non-negative integers, got array \[-2\]/,
  );
  assert.throws(
    () => serializeSafetensors({ m: { dtype: "BOOL", shape: [2], data: new Uint8Array([1, 3]) } }),
    /tensor "m": BOOL data must be 0 or 1, got 3 at index 1/,
  );
  assert.throws(
    () => serializeSafetensors({ __metadata__: { dtype: "U8", shape: [1], data: new Uint8Array(1) } }),
    /"__metadata__" is reserved for metadata/,
  );
});

test("serialize: rejects an unknown dtype and non-string metadata from untyped callers", () => {
  // Values typed as JSON would reach the function from JavaScript or a parsed config file.
  const fromJson: Record<string, SafeTensor> = JSON.parse(`{"w":{"dtype":"F8","shape":[1]}}`);
  assert.throws(() => serializeSafetensors(fromJson), /tensor "w": dtype must be one of F32, F64, I32, I64, U8, BOOL, F16, BF16, got string "F8"/);
  const meta: Record<string, string> = JSON.parse(`{"epoch":3}`);
  assert.throws(() => serializeSafetensors({}, meta), /serializeSafetensors: metadata "epoch" must be a string, got number 3/);
});
