/**
 * The Hugging Face safetensors format, read and written in pure TypeScript (no Node APIs), so
 * checkpoints open the same way in Node and in the browser.
 *
 * Layout of a file:
 *
 *   u64 little-endian N | N bytes of UTF-8 JSON header | byte buffer
 *
 * Header: `{"__metadata__": {str: str}, "<name>": {"dtype": "F32", "shape": [..],
 * "data_offsets": [begin, end]}, ...}`, offsets relative to the start of the byte buffer. Data is
 * C-order and little-endian whatever the host.
 *
 * In memory:
 *
 * | dtype | `data`        | note                                                            |
 * | ----- | ------------- | --------------------------------------------------------------- |
 * | F32   | Float32Array  |                                                                 |
 * | F64   | Float64Array  |                                                                 |
 * | I32   | Int32Array    |                                                                 |
 * | I64   | BigInt64Array | BigInt keeps every int64 exact; a Float64Array would not past 2^53 |
 * | U8    | Uint8Array    |                                                                 |
 * | BOOL  | Uint8Array    | one byte per value, 0 or 1 (anything else is rejected)          |
 * | F16   | Float32Array  | widened exactly on read, rounded to nearest-even on write       |
 * | BF16  | Float32Array  | widened exactly on read, rounded to nearest-even on write       |
 *
 * The writer reproduces the reference (Rust/Python) library byte for byte: tensors ordered by
 * descending dtype alignment, then by name, header JSON without spaces, padded with spaces to a
 * multiple of 8 bytes. That order, not plain name order, is what keeps every tensor aligned to its
 * element size inside the file. Metadata keys are written sorted; the reference library writes them
 * in hash order, so files with more than one metadata key may differ from it in that order only.
 */

import { clip, jsonNestingDepth } from "./json.js";

export type SafeDType = "F32" | "F64" | "I32" | "I64" | "U8" | "BOOL" | "F16" | "BF16";

/** The typed array that holds a tensor's values; which one a dtype uses is in the table above. */
export type SafeTensorData = Float32Array | Int32Array | Float64Array | Uint8Array | BigInt64Array;

export interface SafeTensor {
  /** Element type stored in the file. */
  dtype: SafeDType;
  /** Row-major shape; `[]` is a scalar holding one value. */
  shape: number[];
  /** `prod(shape)` values, in the array type that the dtype maps to. */
  data: SafeTensorData;
}

export interface ParsedSafetensors {
  tensors: Record<string, SafeTensor>;
  /** The `__metadata__` block; empty when the file has none. */
  metadata: Record<string, string>;
}

interface DTypeInfo {
  /** Bytes per element in the file. */
  size: number;
  /** Position in the reference library's Dtype enum, which lists dtypes by increasing alignment. */
  rank: number;
  /** Name of the typed array that holds the values in memory, for error messages. */
  arrayName: string;
}

const DTYPES: Record<SafeDType, DTypeInfo> = {
  BOOL: { size: 1, rank: 0, arrayName: "Uint8Array" },
  U8: { size: 1, rank: 1, arrayName: "Uint8Array" },
  F16: { size: 2, rank: 7, arrayName: "Float32Array" },
  BF16: { size: 2, rank: 8, arrayName: "Float32Array" },
  I32: { size: 4, rank: 9, arrayName: "Int32Array" },
  F32: { size: 4, rank: 11, arrayName: "Float32Array" },
  F64: { size: 8, rank: 12, arrayName: "Float64Array" },
  I64: { size: 8, rank: 13, arrayName: "BigInt64Array" },
};

const SUPPORTED = "F32, F64, I32, I64, U8, BOOL, F16, BF16";

/** The reference reader refuses headers past this size; so does this one, before decoding them. */
export const MAX_HEADER_BYTES = 100_000_000;

/** The most tensors one file may hold (large language models have a few thousand). */
export const MAX_TENSORS = 100_000;

/**
 * The deepest nesting of `{` and `[` a header may have. A valid header needs 3 (the header
 * object, an entry, its shape); a deeper one is refused before it is parsed, so no
 * attacker-chosen depth reaches a recursive function.
 */
export const MAX_HEADER_DEPTH = 8;

/** The most dimensions a tensor's shape may have. */
export const MAX_SHAPE_DIMS = 64;

/** The longest tensor name or metadata key, in UTF-16 code units. */
export const MAX_NAME_LENGTH = 1024;

/** Quoted input (names, values, parser messages) is cut to this many characters in errors. */
const MAX_QUOTED = 80;

/**
 * The error every malformed or hostile file raises from `parseSafetensors`: a truncated file,
 * a bad header, a bad name, offsets that do not tile the data. Anything else thrown would be a bug.
 */
export class SafetensorsError extends Error {}

const METADATA_KEY = "__metadata__";

const utf8 = new TextEncoder();

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function isSafeDType(s: unknown): s is SafeDType {
  return typeof s === "string" && Object.prototype.hasOwnProperty.call(DTYPES, s);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A string as a JSON literal, cut to MAX_QUOTED characters: names and values come from the file. */
function quote(s: string): string {
  return JSON.stringify(s.length > MAX_QUOTED ? `${s.slice(0, MAX_QUOTED)}...` : s);
}

/**
 * A short description of a header value. Never recursive and never longer than about
 * MAX_QUOTED characters, whatever the value's size or depth.
 */
function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) {
    const parts: string[] = [];
    let length = 0;
    for (const e of v) {
      const p = typeof e === "number" || typeof e === "boolean" ? String(e) : e === null ? "null" : typeof e === "string" ? quote(e) : Array.isArray(e) ? "[...]" : "{...}";
      length += p.length + 2;
      if (length > MAX_QUOTED && parts.length > 0) {
        parts.push("...");
        break;
      }
      parts.push(p);
    }
    return `array [${parts.join(", ")}]${v.length > parts.length ? ` (length ${v.length})` : ""}`;
  }
  if (typeof v === "object") return "object";
  if (typeof v === "string") return `string ${quote(v)}`;
  return `${typeof v} ${String(v).slice(0, MAX_QUOTED)}`;
}

/** Names of Object.prototype's members: as keys they would shadow or replace an object's own machinery. */
const RESERVED_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype).concat(["prototype"]));

/** Why `name` cannot name a tensor or metadata key, or null when it can. */
function badName(name: string): string | null {
  if (name.length === 0) return "is empty";
  if (name.length > MAX_NAME_LENGTH) return `is ${name.length} characters long, more than ${MAX_NAME_LENGTH}`;
  if (RESERVED_NAMES.has(name)) return "is reserved (it is a member of every JavaScript object)";
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return "contains a control character";
  if (!isWellFormed(name)) return "contains a lone UTF-16 surrogate";
  return null;
}

function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}


/** Class name of an object (`Float64Array`), or the description of anything else. */
function typeName(v: unknown): string {
  if (typeof v === "object" && v !== null) return v.constructor.name;
  return describe(v);
}

function isNonNegativeInteger(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

function dataMatches(dtype: SafeDType, data: SafeTensorData): boolean {
  switch (dtype) {
    case "F32":
    case "F16":
    case "BF16":
      return data instanceof Float32Array;
    case "F64":
      return data instanceof Float64Array;
    case "I32":
      return data instanceof Int32Array;
    case "I64":
      return data instanceof BigInt64Array;
    case "U8":
    case "BOOL":
      return data instanceof Uint8Array;
  }
}

/** Element count of a shape, or -1 when it (or its byte size) is too large to be exact. */
function elementCount(shape: readonly number[], size: number): number {
  let n = 1;
  for (const d of shape) n *= d;
  return Number.isSafeInteger(n * size) ? n : -1;
}

/** Orders strings by their UTF-8 bytes, as Rust's `str::cmp` does (UTF-16 order differs above U+FFFF). */
function compareUtf8(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

// ---------------------------------------------------------------------------------------------
// Half-precision conversions. Both encoders round to nearest, ties to even, as PyTorch's
// `.half()` and `.bfloat16()` do, so a Float32Array written here matches a tensor converted there.

const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);

/** float32 -> IEEE binary16 bits. NaN becomes the quiet NaN 0x7e00 (sign kept), as in PyTorch. */
export function float32ToF16Bits(x: number): number {
  scratchF32[0] = x;
  const u = scratchU32[0] ?? 0;
  const sign = (u >>> 16) & 0x8000;
  const exp = (u >>> 23) & 0xff;
  const mant = u & 0x7fffff;
  if (exp === 0xff) return sign | (mant !== 0 ? 0x7e00 : 0x7c00);
  const e = exp - 127 + 15; // biased binary16 exponent
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal result: value / 2^-24, from the 24-bit significand shifted right.
    if (e < -10) return sign; // below half the smallest subnormal: rounds to zero
    const full = mant | 0x800000;
    const shift = 14 - e;
    let m = full >>> shift;
    const rem = full & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && (m & 1) === 1)) m++;
    return sign | m; // a carry into bit 10 is the smallest normal, which is right
  }
  let bits = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (bits & 1) === 1)) bits++; // a carry may reach infinity, also right
  return sign | bits;
}

/** IEEE binary16 bits -> the exact float value. */
export function f16BitsToFloat(h: number): number {
  const sign = (h & 0x8000) !== 0 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant !== 0 ? Number.NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** float32 -> bfloat16 bits. Every NaN becomes 0x7fc0, as in PyTorch's scalar conversion. */
export function float32ToBF16Bits(x: number): number {
  if (Number.isNaN(x)) return 0x7fc0;
  scratchF32[0] = x;
  const u = scratchU32[0] ?? 0;
  // Stays below 2^32 for every non-NaN input, so `>>>` does not wrap.
  return ((u + 0x7fff + ((u >>> 16) & 1)) >>> 16) & 0xffff;
}

/** bfloat16 bits -> the exact float value (bfloat16 is the top half of a float32). */
export function bf16BitsToFloat(h: number): number {
  scratchU32[0] = (h & 0xffff) << 16;
  return scratchF32[0] ?? 0;
}

let f16Table: Float32Array | null = null;
function f16Lookup(): Float32Array {
  if (f16Table === null) {
    f16Table = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) f16Table[h] = f16BitsToFloat(h);
  }
  return f16Table;
}

// ---------------------------------------------------------------------------------------------
// Writer

interface PlannedTensor {
  name: string;
  nameBytes: Uint8Array;
  tensor: SafeTensor;
  info: DTypeInfo;
  nbytes: number;
}

function checkTensorForWrite(name: string, t: SafeTensor): PlannedTensor {
  const where = `serializeSafetensors: tensor ${quote(name)}`;
  if (name === METADATA_KEY) throw new Error(`serializeSafetensors: "${METADATA_KEY}" is reserved for metadata and cannot name a tensor`);
  const why = badName(name);
  if (why !== null) throw new Error(`${where}: the name ${why}`);
  if (!isRecord(t)) throw new Error(`${where}: expected { dtype, shape, data }, got ${describe(t)}`);
  if (!isSafeDType(t.dtype)) throw new Error(`${where}: dtype must be one of ${SUPPORTED}, got ${describe(t.dtype)}`);
  const info = DTYPES[t.dtype];
  if (!Array.isArray(t.shape) || !t.shape.every(isNonNegativeInteger)) {
    throw new Error(`${where}: shape must be an array of non-negative integers, got ${describe(t.shape)}`);
  }
  if (t.shape.length > MAX_SHAPE_DIMS) throw new Error(`${where}: shape has ${t.shape.length} dims, more than ${MAX_SHAPE_DIMS}`);
  if (!dataMatches(t.dtype, t.data)) {
    throw new Error(`${where}: dtype ${t.dtype} needs its data in a ${info.arrayName}, got ${typeName(t.data)}`);
  }
  const count = elementCount(t.shape, info.size);
  if (count !== t.data.length) {
    throw new Error(`${where}: shape [${t.shape.join(", ")}] holds ${count} values but data has ${t.data.length}`);
  }
  if (t.dtype === "BOOL") checkBoolValues(t.data, (i, v) => `${where}: BOOL data must be 0 or 1, got ${v} at index ${i}`);
  return { name, nameBytes: utf8.encode(name), tensor: t, info, nbytes: count * info.size };
}

function checkBoolValues(data: SafeTensorData, message: (index: number, value: number) => string): void {
  if (!(data instanceof Uint8Array)) return;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] ?? 0;
    if (v > 1) throw new Error(message(i, v));
  }
}

/** Copies `t`'s values into `out` at `offset` as little-endian bytes. */
function encodeData(t: SafeTensor, out: Uint8Array, offset: number): void {
  const data = t.data;
  if ((t.dtype === "F16" || t.dtype === "BF16") && data instanceof Float32Array) {
    const view = new DataView(out.buffer, out.byteOffset + offset, data.length * 2);
    const convert = t.dtype === "F16" ? float32ToF16Bits : float32ToBF16Bits;
    for (let i = 0; i < data.length; i++) view.setUint16(i * 2, convert(data[i] ?? 0), true);
    return;
  }
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  out.set(raw, offset);
  if (!HOST_LITTLE_ENDIAN && data.BYTES_PER_ELEMENT > 1) swapBytes(out, offset, data.byteLength, data.BYTES_PER_ELEMENT);
}

/** Reverses each `width`-byte group in place: big-endian host <-> little-endian file. */
function swapBytes(buf: Uint8Array, offset: number, length: number, width: number): void {
  for (let p = offset; p < offset + length; p += width) {
    for (let i = 0, j = width - 1; i < j; i++, j--) {
      const a = buf[p + i] ?? 0;
      buf[p + i] = buf[p + j] ?? 0;
      buf[p + j] = a;
    }
  }
}

/**
 * Encodes tensors (and optional string metadata) as a safetensors file.
 * The input's key order does not matter: the output is the same for the same tensors.
 */
export function serializeSafetensors(tensors: Record<string, SafeTensor>, metadata?: Record<string, string>): Uint8Array {
  if (!isRecord(tensors)) throw new Error(`serializeSafetensors: tensors must be an object of name -> tensor, got ${describe(tensors)}`);
  const planned = Object.keys(tensors).map((name) => checkTensorForWrite(name, tensors[name]));
  planned.sort((a, b) => b.info.rank - a.info.rank || compareUtf8(a.nameBytes, b.nameBytes));

  const parts: string[] = [];
  if (metadata !== undefined) parts.push(`${JSON.stringify(METADATA_KEY)}:${metadataJson(metadata)}`);
  let offset = 0;
  for (const p of planned) {
    const entry = `{"dtype":"${p.tensor.dtype}","shape":[${p.tensor.shape.join(",")}],"data_offsets":[${offset},${offset + p.nbytes}]}`;
    parts.push(`${JSON.stringify(p.name)}:${entry}`);
    offset += p.nbytes;
  }
  const header = utf8.encode(`{${parts.join(",")}}`);
  // The data buffer starts 8-byte aligned, so each tensor lands aligned to its element size.
  const headerLength = header.length + ((8 - (header.length % 8)) % 8);

  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(header, 8);
  out.fill(0x20, 8 + header.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const p of planned) {
    encodeData(p.tensor, out, at);
    at += p.nbytes;
  }
  return out;
}

function metadataJson(metadata: Record<string, string>): string {
  if (!isRecord(metadata)) throw new Error(`serializeSafetensors: metadata must be an object of strings, got ${describe(metadata)}`);
  const keys = Object.keys(metadata).map((k) => ({ k, bytes: utf8.encode(k) }));
  keys.sort((a, b) => compareUtf8(a.bytes, b.bytes));
  const fields = keys.map(({ k }) => {
    const v: unknown = metadata[k];
    if (typeof v !== "string") throw new Error(`serializeSafetensors: metadata ${quote(k)} must be a string, got ${describe(v)}`);
    const why = badName(k);
    if (why !== null) throw new Error(`serializeSafetensors: metadata key ${quote(k)} ${why}`);
    return `${JSON.stringify(k)}:${JSON.stringify(v)}`;
  });
  return `{${fields.join(",")}}`;
}

// ---------------------------------------------------------------------------------------------
// Reader

interface HeaderEntry {
  name: string;
  dtype: SafeDType;
  shape: number[];
  begin: number;
  end: number;
}

function checkEntry(name: string, value: unknown, fail: (msg: string) => never): HeaderEntry {
  const where = `tensor ${quote(name)}`;
  const why = badName(name);
  if (why !== null) fail(`tensor name ${quote(name)} ${why}`);
  if (!isRecord(value)) fail(`${where}: entry must be an object with dtype, shape and data_offsets, got ${describe(value)}`);
  const { dtype, shape, data_offsets: offsets } = value;
  if (dtype === undefined) fail(`${where}: missing "dtype"`);
  if (!isSafeDType(dtype)) fail(`${where}: unsupported dtype ${describe(dtype)} (this reader handles ${SUPPORTED})`);
  if (shape === undefined) fail(`${where}: missing "shape"`);
  if (!Array.isArray(shape) || !shape.every(isNonNegativeInteger)) {
    fail(`${where}: shape must be an array of non-negative integers, got ${describe(shape)}`);
  }
  if (shape.length > MAX_SHAPE_DIMS) fail(`${where}: shape has ${shape.length} dims, more than ${MAX_SHAPE_DIMS}`);
  if (offsets === undefined) fail(`${where}: missing "data_offsets"`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isNonNegativeInteger)) {
    fail(`${where}: data_offsets must be [begin, end] with non-negative integers, got ${describe(offsets)}`);
  }
  const [begin, end] = offsets;
  if (begin > end) fail(`${where}: data_offsets [${begin}, ${end}] end before they begin`);
  const info = DTYPES[dtype];
  const count = elementCount(shape, info.size);
  const shown = clip(`[${shape.join(",")}]`, 2 * MAX_QUOTED);
  if (count < 0) fail(`${where}: shape ${shown} is too large`);
  if (count * info.size !== end - begin) {
    fail(
      `${where}: shape ${shown} of ${dtype} needs ${count * info.size} bytes ` +
        `but data_offsets [${begin}, ${end}] span ${end - begin}`,
    );
  }
  return { name, dtype, shape, begin, end };
}

function checkMetadata(value: unknown, fail: (msg: string) => never): Record<string, string> {
  // The reference library reads `"__metadata__": null` as no metadata.
  if (value === null) return {};
  if (!isRecord(value)) fail(`${METADATA_KEY} must be an object of strings, got ${describe(value)}`);
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== "string") fail(`metadata ${quote(k)} must be a string, got ${describe(v)}`);
    const why = badName(k);
    if (why !== null) fail(`metadata key ${quote(k)} ${why}`);
    out.push([k, v]);
  }
  return Object.fromEntries(out);
}

/** Reads the little-endian bytes `[begin, end)` of `bytes` into the typed array that `dtype` maps to. */
function decodeData(bytes: Uint8Array, begin: number, end: number, dtype: SafeDType): SafeTensorData {
  const n = end - begin;
  if (dtype === "F16" || dtype === "BF16") {
    const view = new DataView(bytes.buffer, bytes.byteOffset + begin, n);
    const out = new Float32Array(n / 2);
    if (dtype === "F16") {
      const table = f16Lookup();
      for (let i = 0; i < out.length; i++) out[i] = table[view.getUint16(i * 2, true)] ?? 0;
    } else {
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < out.length; i++) bits[i] = view.getUint16(i * 2, true) << 16;
    }
    return out;
  }
  // A fresh copy: the file's bytes may sit at an offset that is not a multiple of the element size.
  const copy = new Uint8Array(n);
  copy.set(bytes.subarray(begin, end));
  const width = DTYPES[dtype].size;
  if (!HOST_LITTLE_ENDIAN && width > 1) swapBytes(copy, 0, n, width);
  switch (dtype) {
    case "F32":
      return new Float32Array(copy.buffer);
    case "F64":
      return new Float64Array(copy.buffer);
    case "I32":
      return new Int32Array(copy.buffer);
    case "I64":
      return new BigInt64Array(copy.buffer);
    case "U8":
    case "BOOL":
      return copy;
  }
}

/**
 * Decodes a safetensors file, checking everything the format promises. `source` (a path, a URL)
 * names the file in errors: `safetensors(runs/x/model.safetensors): truncated file: ...`.
 */
export function parseSafetensors(bytes: Uint8Array, source?: string): ParsedSafetensors {
  const label = typeof source === "string" ? (source.length > 200 ? `${source.slice(0, 200)}...` : source) : "<bytes>";
  const fail: (msg: string) => never = (msg) => {
    throw new SafetensorsError(`safetensors(${label}): ${msg}`);
  };
  if (!(bytes instanceof Uint8Array)) fail(`expected the file's bytes as a Uint8Array, got ${describe(bytes)}`);
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, shorter than the 8-byte header length field`);

  const headerLengthBig = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  const available = bytes.length - 8;
  if (headerLengthBig > BigInt(available)) {
    fail(
      `header length field says ${headerLengthBig} bytes of JSON but only ${available} bytes follow it ` +
        `(truncated file, or not a safetensors file)`,
    );
  }
  const headerLength = Number(headerLengthBig);
  if (headerLength > MAX_HEADER_BYTES) fail(`header of ${headerLength} bytes is larger than the ${MAX_HEADER_BYTES}-byte limit`);

  let text = "";
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    fail("header is not valid UTF-8");
  }
  const depth = jsonNestingDepth(text, MAX_HEADER_DEPTH);
  if (depth > MAX_HEADER_DEPTH) fail(`header nests more than ${MAX_HEADER_DEPTH} levels of objects and arrays (a valid one needs 3)`);
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    fail(`header is not valid JSON (${why.length > 2 * MAX_QUOTED ? `${why.slice(0, 2 * MAX_QUOTED)}...` : why})`);
  }
  if (!isRecord(header)) fail(`header must be a JSON object, got ${describe(header)}`);

  let metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  const names = Object.keys(header);
  const tensorCount = names.length - (Object.prototype.hasOwnProperty.call(header, METADATA_KEY) ? 1 : 0);
  if (tensorCount > MAX_TENSORS) fail(`header lists ${tensorCount} tensors, more than the limit of ${MAX_TENSORS}`);
  for (const name of names) {
    const value = header[name];
    if (name === METADATA_KEY) metadata = checkMetadata(value, fail);
    else entries.push(checkEntry(name, value, fail));
  }

  // Tensors must tile the buffer exactly: no overlap (two tensors sharing bytes) and no holes
  // (bytes no tensor owns), whatever order the header lists them in.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  let previous: HeaderEntry | null = null;
  for (const e of entries) {
    if (e.begin < expected && previous !== null) {
      fail(
        `tensor ${quote(e.name)} data [${e.begin}, ${e.end}) overlaps ` +
          `tensor ${quote(previous.name)} [${previous.begin}, ${previous.end})`,
      );
    }
    if (e.begin > expected) {
      const after = previous === null ? "the start of the data buffer" : `tensor ${quote(previous.name)} ends at ${expected}`;
      fail(`hole of ${e.begin - expected} bytes before tensor ${quote(e.name)} (its data starts at ${e.begin}, ${after})`);
    }
    expected = e.end;
    previous = e;
  }

  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  if (dataLength < expected) fail(`truncated file: header says the data is ${expected} bytes but only ${dataLength} follow`);
  if (dataLength > expected) {
    fail(`${dataLength - expected} unexpected bytes after the last tensor: header says the data is ${expected} bytes but ${dataLength} follow`);
  }

  const data = bytes.subarray(dataStart);
  const tensors: [string, SafeTensor][] = [];
  for (const e of entries) {
    const values = decodeData(data, e.begin, e.end, e.dtype);
    if (e.dtype === "BOOL") {
      for (let i = 0; i < values.length; i++) {
        const v = values[i] ?? 0;
        if (typeof v === "number" && v > 1) fail(`tensor ${quote(e.name)}: BOOL value ${v} at index ${i}, expected 0 or 1`);
      }
    }
    tensors.push([e.name, { dtype: e.dtype, shape: e.shape, data: values }]);
  }
  return { tensors: Object.fromEntries(tensors), metadata };
}
