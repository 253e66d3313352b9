/**
 * The part of ONNX's protobuf schema (onnx.proto, IR version 8) that recurrent models use, as
 * typed objects, with an encoder and a bounded decoder over protobufjs's wire-format Reader and
 * Writer. Field numbers are onnx.proto's.
 *
 * Decoding limits (all checked before anything is allocated from a declared size):
 * - the input is at most `maxBytes` (default ONNX_MAX_BYTES = 2 GiB, protobuf's own limit);
 * - every length-delimited field must end inside its parent message;
 * - nesting is fixed by the schema (model > graph > node > attribute > tensor): sub-graphs
 *   (Loop, Scan, If bodies) and type protos are skipped, not decoded, so hostile nesting costs
 *   nothing; groups (wire types 3 and 4), which ONNX never uses, are refused;
 * - repeated fields are capped (ONNX_LIMITS) and every element takes at least one byte, so no
 *   list outgrows the input;
 * - a tensor's dims must multiply to at most MAX_ELEMENTS, and its data (raw, float or int
 *   fields) must hold exactly that many values, checked against the byte length of the field.
 *   Initializers' data are views of the input, so their total cannot exceed the file's length.
 */
import protobuf from "protobufjs/minimal.js";
import { MAX_DIMS, MAX_ELEMENTS } from "../../../tensor/shape.js";

/** The largest ONNX file the decoder reads: 2 GiB, protobuf's own message limit. */
export const ONNX_MAX_BYTES = 2 ** 31;

/** Caps on repeated fields, so that a file cannot ask for more than it plausibly holds. */
export const ONNX_LIMITS = {
  /** Nodes in the graph. */
  nodes: 100_000,
  /** Initializers in the graph. */
  initializers: 100_000,
  /** Graph inputs, outputs and value infos, each. */
  values: 100_000,
  /** Attributes per node. */
  attributes: 1_000,
  /** Inputs or outputs per node. */
  nodeIO: 1_000,
  /** Characters of a name or string attribute. */
  nameLength: 65_536,
  /** Integers in one repeated field (dims, ints, int32_data, int64_data, floats). */
  listLength: 1_000_000,
} as const;

/** A malformed, hostile or unsupported ONNX file; the message names the field and the byte offset. */
export class OnnxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OnnxError";
  }
}

/** TensorProto.DataType values used here. */
export const ONNX_FLOAT = 1;
export const ONNX_INT32 = 6;
export const ONNX_INT64 = 7;

/** AttributeProto.AttributeType values. */
export const ATTR_FLOAT = 1;
export const ATTR_INT = 2;
export const ATTR_STRING = 3;
export const ATTR_TENSOR = 4;
/**
 * A subgraph (Scan's and Loop's body). The decoder reads subgraphs one level deep (a body inside
 * the main graph, as the projected-LSTM export writes); deeper ones are skipped, so nesting cannot
 * grow the decoder's stack.
 */
export const ATTR_GRAPH = 5;
export const ATTR_FLOATS = 6;
export const ATTR_INTS = 7;
export const ATTR_STRINGS = 8;

/** A tensor: float data as float32, integer data as numbers (safe integers only). */
export interface OnnxTensor {
  name: string;
  dims: number[];
  dataType: number;
  /** The values for FLOAT tensors. */
  floats: Float32Array | null;
  /** The values for INT32/INT64 tensors. */
  ints: number[] | null;
}

export interface OnnxAttribute {
  name: string;
  type: number;
  f: number;
  i: number;
  s: string;
  t: OnnxTensor | null;
  floats: number[];
  ints: number[];
  strings: string[];
  /** The subgraph of an ATTR_GRAPH attribute (decoded only one level below the main graph). */
  g?: OnnxGraph;
}

export interface OnnxNode {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: OnnxAttribute[];
}

/** A graph input or output: a tensor's element type and its dims (a number, or a symbolic name). */
export interface OnnxValueInfo {
  name: string;
  elemType: number;
  dims: (number | string)[];
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

export interface OnnxModel {
  irVersion: number;
  producerName: string;
  opsetImports: { domain: string; version: number }[];
  graph: OnnxGraph;
}

// ---------------------------------------------------------------- encoding

type Writer = protobuf.Writer;
const LEN = 2;
const VARINT = 0;

function tag(w: Writer, field: number, wire: number): Writer {
  return w.uint32((field << 3) | wire);
}

function str(w: Writer, field: number, s: string): void {
  tag(w, field, LEN).string(s);
}

function msg(w: Writer, field: number, body: (w: Writer) => void): void {
  tag(w, field, LEN);
  w.fork();
  body(w);
  w.ldelim();
}

function writeTensor(w: Writer, t: OnnxTensor): void {
  for (const d of t.dims) tag(w, 1, VARINT).int64(d);
  tag(w, 2, VARINT).int32(t.dataType);
  str(w, 8, t.name);
  let raw: Uint8Array;
  if (t.dataType === ONNX_FLOAT && t.floats !== null) {
    raw = new Uint8Array(t.floats.length * 4);
    const view = new DataView(raw.buffer);
    t.floats.forEach((v, k) => view.setFloat32(k * 4, v, true));
  } else if (t.dataType === ONNX_INT64 && t.ints !== null) {
    raw = new Uint8Array(t.ints.length * 8);
    const view = new DataView(raw.buffer);
    t.ints.forEach((v, k) => view.setBigInt64(k * 8, BigInt(v), true));
  } else if (t.dataType === ONNX_INT32 && t.ints !== null) {
    raw = new Uint8Array(t.ints.length * 4);
    const view = new DataView(raw.buffer);
    t.ints.forEach((v, k) => view.setInt32(k * 4, v, true));
  } else throw new OnnxError(`encodeOnnxModel: tensor ${JSON.stringify(t.name)} has data type ${t.dataType} without matching values`);
  tag(w, 9, LEN).bytes(raw);
}

function writeAttribute(w: Writer, a: OnnxAttribute): void {
  str(w, 1, a.name);
  tag(w, 20, VARINT).int32(a.type);
  if (a.type === ATTR_FLOAT) tag(w, 2, 5).float(a.f);
  else if (a.type === ATTR_INT) tag(w, 3, VARINT).int64(a.i);
  else if (a.type === ATTR_STRING) tag(w, 4, LEN).bytes(new TextEncoder().encode(a.s));
  else if (a.type === ATTR_TENSOR && a.t !== null) {
    const t = a.t;
    msg(w, 5, (m) => writeTensor(m, t));
  } else if (a.type === ATTR_GRAPH && a.g !== undefined) {
    const g = a.g;
    msg(w, 6, (gw) => writeGraph(gw, g));
  } else if (a.type === ATTR_FLOATS) for (const f of a.floats) tag(w, 7, 5).float(f);
  else if (a.type === ATTR_INTS) for (const i of a.ints) tag(w, 8, VARINT).int64(i);
  else if (a.type === ATTR_STRINGS) for (const s of a.strings) tag(w, 9, LEN).bytes(new TextEncoder().encode(s));
  else throw new OnnxError(`encodeOnnxModel: attribute ${JSON.stringify(a.name)} has unsupported type ${a.type}`);
}

function writeValueInfo(w: Writer, v: OnnxValueInfo): void {
  str(w, 1, v.name);
  msg(w, 2, (type) =>
    msg(type, 1, (tt) => {
      tag(tt, 1, VARINT).int32(v.elemType);
      msg(tt, 2, (shape) => {
        for (const d of v.dims) msg(shape, 1, (dim) => (typeof d === "number" ? tag(dim, 1, VARINT).int64(d) : str(dim, 2, d)));
      });
    }),
  );
}

function writeGraph(g: Writer, graph: OnnxGraph): void {
  for (const n of graph.nodes) {
    msg(g, 1, (nw) => {
      for (const i of n.inputs) str(nw, 1, i);
      for (const o of n.outputs) str(nw, 2, o);
      str(nw, 3, n.name);
      str(nw, 4, n.opType);
      for (const a of n.attributes) msg(nw, 5, (aw) => writeAttribute(aw, a));
      if (n.domain !== "") str(nw, 7, n.domain);
    });
  }
  str(g, 2, graph.name);
  for (const t of graph.initializers) msg(g, 5, (tw) => writeTensor(tw, t));
  for (const v of graph.inputs) msg(g, 11, (vw) => writeValueInfo(vw, v));
  for (const v of graph.outputs) msg(g, 12, (vw) => writeValueInfo(vw, v));
}

/** Serialises a model to ModelProto bytes. */
export function encodeOnnxModel(m: OnnxModel): Uint8Array {
  const w = protobuf.Writer.create();
  tag(w, 1, VARINT).int64(m.irVersion);
  str(w, 2, m.producerName);
  msg(w, 7, (g) => writeGraph(g, m.graph));
  for (const o of m.opsetImports) {
    msg(w, 8, (ow) => {
      str(ow, 1, o.domain);
      tag(ow, 2, VARINT).int64(o.version);
    });
  }
  const out = w.finish();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

// ---------------------------------------------------------------- decoding

type Reader = protobuf.Reader;

/** Reads a varint as a safe integer (int64 fields), whatever 64-bit type protobufjs returns. */
function int64(r: Reader, where: string): number {
  const v: unknown = r.int64();
  let n: number;
  if (typeof v === "number") n = v;
  else {
    const high: unknown = Reflect.get(Object(v), "high");
    const low: unknown = Reflect.get(Object(v), "low");
    if (typeof high !== "number" || typeof low !== "number") throw new OnnxError(`${where}: unreadable 64-bit integer`);
    if (high > 0x1fffff || high < -0x200000) throw new OnnxError(`${where}: integer beyond ±2^53 at byte ${r.pos}`);
    n = high * 2 ** 32 + (low >>> 0);
  }
  if (!Number.isSafeInteger(n)) throw new OnnxError(`${where}: integer beyond ±2^53 at byte ${r.pos}`);
  return n;
}

/** The end of a length-delimited field starting at r.pos, checked to lie inside `limit`. */
function fieldEnd(r: Reader, limit: number, where: string): number {
  const at = r.pos;
  const len = r.uint32();
  if (len > limit - r.pos) throw new OnnxError(`${where}: field at byte ${at} declares ${len} bytes but only ${limit - r.pos} remain in its message`);
  return r.pos + len;
}

function skip(r: Reader, wire: number, limit: number, where: string): void {
  if (wire === 0) r.skip();
  else if (wire === 1) r.skip(8);
  else if (wire === 2) r.pos = fieldEnd(r, limit, where);
  else if (wire === 5) r.skip(4);
  else throw new OnnxError(`${where}: wire type ${wire} at byte ${r.pos} (groups or invalid) is not used by ONNX`);
  if (r.pos > limit) throw new OnnxError(`${where}: a field runs past the end of its message at byte ${limit}`);
}

function string(r: Reader, limit: number, where: string): string {
  const end = fieldEnd(r, limit, where);
  if (end - r.pos > ONNX_LIMITS.nameLength * 4) throw new OnnxError(`${where}: a string of ${end - r.pos} bytes at byte ${r.pos} is over the ${ONNX_LIMITS.nameLength}-character limit`);
  const s = protobuf.util.utf8.read(r.buf, r.pos, end);
  r.pos = end;
  return s;
}

function push<T>(list: T[], item: T, cap: number, where: string, what: string): void {
  if (list.length >= cap) throw new OnnxError(`${where}: more than ${cap} ${what}`);
  list.push(item);
}

/** Reads a repeated integer field in either encoding (packed, or one varint per element). */
function ints(r: Reader, wire: number, limit: number, out: number[], where: string): void {
  if (wire === 2) {
    const end = fieldEnd(r, limit, where);
    while (r.pos < end) push(out, int64(r, where), ONNX_LIMITS.listLength, where, "integers");
    if (r.pos !== end) throw new OnnxError(`${where}: a packed list overruns its length at byte ${r.pos}`);
  } else if (wire === 0) push(out, int64(r, where), ONNX_LIMITS.listLength, where, "integers");
  else throw new OnnxError(`${where}: integer list with wire type ${wire} at byte ${r.pos}`);
}

function floats(r: Reader, wire: number, limit: number, out: number[], where: string): void {
  if (wire === 2) {
    const end = fieldEnd(r, limit, where);
    if ((end - r.pos) % 4 !== 0) throw new OnnxError(`${where}: packed floats of ${end - r.pos} bytes is not a multiple of 4`);
    while (r.pos < end) push(out, r.float(), ONNX_LIMITS.listLength, where, "floats");
  } else if (wire === 5) push(out, r.float(), ONNX_LIMITS.listLength, where, "floats");
  else throw new OnnxError(`${where}: float list with wire type ${wire} at byte ${r.pos}`);
}

function decodeTensor(r: Reader, end: number, where: string): OnnxTensor {
  const dims: number[] = [];
  let dataType = 0;
  let name = "";
  let raw: Uint8Array | null = null;
  const floatList: number[] = [];
  const intList: number[] = [];
  let floatBytes: Uint8Array | null = null;
  while (r.pos < end) {
    const t = r.uint32();
    const field = t >>> 3;
    const wire = t & 7;
    if (field === 1) {
      ints(r, wire, end, dims, `${where} dims`);
      if (dims.length > MAX_DIMS) throw new OnnxError(`${where}: more than ${MAX_DIMS} dims`);
    } else if (field === 2 && wire === 0) dataType = r.int32();
    else if (field === 8 && wire === 2) name = string(r, end, where);
    else if (field === 9 && wire === 2) {
      const e = fieldEnd(r, end, where);
      raw = r.buf.subarray(r.pos, e);
      r.pos = e;
    } else if (field === 4 && wire === 2) {
      // Packed float_data: kept as bytes, converted once its count is checked against dims.
      const e = fieldEnd(r, end, where);
      floatBytes = r.buf.subarray(r.pos, e);
      r.pos = e;
    } else if (field === 4) floats(r, wire, end, floatList, `${where} float_data`);
    else if (field === 5 || field === 7) ints(r, wire, end, intList, `${where} ${field === 5 ? "int32_data" : "int64_data"}`);
    else if (field === 14 && wire === 0 && r.int32() !== 0) throw new OnnxError(`${where}: tensor data in external files is not supported (data_location = EXTERNAL)`);
    else skip(r, wire, end, where);
  }
  const label = `${where} ${JSON.stringify(name)}`;
  for (const d of dims) if (d < 0) throw new OnnxError(`${label}: negative dim ${d}`);
  const count = dims.reduce((a, b) => (a > MAX_ELEMENTS ? a : a * b), 1);
  if (count > MAX_ELEMENTS) throw new OnnxError(`${label}: dims [${dims.join(", ")}] hold more than MAX_ELEMENTS = ${MAX_ELEMENTS} values`);
  if (dataType === ONNX_FLOAT) {
    let values: Float32Array;
    const bytes = raw ?? floatBytes;
    if (bytes !== null) {
      if (bytes.length !== count * 4) throw new OnnxError(`${label}: dims [${dims.join(", ")}] need ${count * 4} bytes of float32 data, the file has ${bytes.length}`);
      values = new Float32Array(count);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let k = 0; k < count; k++) values[k] = view.getFloat32(k * 4, true);
    } else {
      if (floatList.length !== count) throw new OnnxError(`${label}: dims [${dims.join(", ")}] need ${count} floats, the file has ${floatList.length}`);
      values = Float32Array.from(floatList);
    }
    return { name, dims, dataType, floats: values, ints: null };
  }
  if (dataType === ONNX_INT64 || dataType === ONNX_INT32) {
    const width = dataType === ONNX_INT64 ? 8 : 4;
    let values: number[];
    if (raw !== null) {
      if (raw.length !== count * width) throw new OnnxError(`${label}: dims [${dims.join(", ")}] need ${count * width} bytes of int${width * 8} data, the file has ${raw.length}`);
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      values = [];
      for (let k = 0; k < count; k++) {
        const v = width === 8 ? Number(view.getBigInt64(k * 8, true)) : view.getInt32(k * 4, true);
        if (!Number.isSafeInteger(v)) throw new OnnxError(`${label}: value ${k} is beyond ±2^53`);
        values.push(v);
      }
    } else {
      if (intList.length !== count) throw new OnnxError(`${label}: dims [${dims.join(", ")}] need ${count} integers, the file has ${intList.length}`);
      values = intList;
    }
    return { name, dims, dataType, floats: null, ints: values };
  }
  // Other types (bool, double, strings...) are kept without values; using one is an error later.
  return { name, dims, dataType, floats: null, ints: null };
}

function decodeAttribute(r: Reader, end: number, where: string, depth: number): OnnxAttribute {
  const a: OnnxAttribute = { name: "", type: 0, f: 0, i: 0, s: "", t: null, floats: [], ints: [], strings: [] };
  while (r.pos < end) {
    const t = r.uint32();
    const field = t >>> 3;
    const wire = t & 7;
    if (field === 1 && wire === 2) a.name = string(r, end, where);
    else if (field === 20 && wire === 0) a.type = r.int32();
    else if (field === 2 && wire === 5) a.f = r.float();
    else if (field === 3 && wire === 0) a.i = int64(r, where);
    else if (field === 4 && wire === 2) a.s = string(r, end, where);
    else if (field === 5 && wire === 2) {
      const e = fieldEnd(r, end, where);
      a.t = decodeTensor(r, e, `${where} tensor`);
    } else if (field === 7) floats(r, wire, end, a.floats, where);
    else if (field === 8) ints(r, wire, end, a.ints, where);
    else if (field === 9 && wire === 2) push(a.strings, string(r, end, where), ONNX_LIMITS.attributes, where, "strings");
    else if (field === 6 && wire === 2 && depth < MAX_GRAPH_DEPTH) a.g = decodeGraph(r, fieldEnd(r, end, where), depth + 1);
    else skip(r, wire, end, where);
  }
  return a;
}

function decodeNode(r: Reader, end: number, where: string, depth: number): OnnxNode {
  const n: OnnxNode = { name: "", opType: "", domain: "", inputs: [], outputs: [], attributes: [] };
  while (r.pos < end) {
    const t = r.uint32();
    const field = t >>> 3;
    const wire = t & 7;
    if (field === 1 && wire === 2) push(n.inputs, string(r, end, where), ONNX_LIMITS.nodeIO, where, "inputs");
    else if (field === 2 && wire === 2) push(n.outputs, string(r, end, where), ONNX_LIMITS.nodeIO, where, "outputs");
    else if (field === 3 && wire === 2) n.name = string(r, end, where);
    else if (field === 4 && wire === 2) n.opType = string(r, end, where);
    else if (field === 7 && wire === 2) n.domain = string(r, end, where);
    else if (field === 5 && wire === 2) {
      const e = fieldEnd(r, end, where);
      push(n.attributes, decodeAttribute(r, e, `${where} attribute`, depth), ONNX_LIMITS.attributes, where, "attributes");
    } else skip(r, wire, end, where);
  }
  return n;
}

function decodeShape(r: Reader, end: number, dims: (number | string)[], where: string): void {
  while (r.pos < end) {
    const t = r.uint32();
    if (t >>> 3 === 1 && (t & 7) === 2) {
      const e = fieldEnd(r, end, where);
      let dim: number | string = "?";
      while (r.pos < e) {
        const u = r.uint32();
        if (u >>> 3 === 1 && (u & 7) === 0) dim = int64(r, where);
        else if (u >>> 3 === 2 && (u & 7) === 2) dim = string(r, e, where);
        else skip(r, u & 7, e, where);
      }
      push(dims, dim, MAX_DIMS, where, "dims");
    } else skip(r, t & 7, end, where);
  }
}

function decodeValueInfo(r: Reader, end: number, where: string): OnnxValueInfo {
  const v: OnnxValueInfo = { name: "", elemType: 0, dims: [] };
  while (r.pos < end) {
    const t = r.uint32();
    if (t >>> 3 === 1 && (t & 7) === 2) v.name = string(r, end, where);
    else if (t >>> 3 === 2 && (t & 7) === 2) {
      // TypeProto: only tensor_type (1) is read; other kinds nest arbitrarily and are skipped.
      const typeEnd = fieldEnd(r, end, where);
      while (r.pos < typeEnd) {
        const u = r.uint32();
        if (u >>> 3 === 1 && (u & 7) === 2) {
          const ttEnd = fieldEnd(r, typeEnd, where);
          while (r.pos < ttEnd) {
            const x = r.uint32();
            if (x >>> 3 === 1 && (x & 7) === 0) v.elemType = r.int32();
            else if (x >>> 3 === 2 && (x & 7) === 2) decodeShape(r, fieldEnd(r, ttEnd, where), v.dims, where);
            else skip(r, x & 7, ttEnd, where);
          }
        } else skip(r, u & 7, typeEnd, where);
      }
    } else skip(r, t & 7, end, where);
  }
  return v;
}

/** Subgraphs deeper than this below the main graph (depth 0) are skipped. */
const MAX_GRAPH_DEPTH = 1;

function decodeGraph(r: Reader, end: number, depth: number): OnnxGraph {
  const g: OnnxGraph = { name: "", nodes: [], initializers: [], inputs: [], outputs: [] };
  while (r.pos < end) {
    const t = r.uint32();
    const field = t >>> 3;
    const wire = t & 7;
    const where = depth === 0 ? "importOnnx: graph" : "importOnnx: subgraph";
    if (wire !== 2) skip(r, wire, end, where);
    else if (field === 1) push(g.nodes, decodeNode(r, fieldEnd(r, end, where), `${depth === 0 ? "importOnnx" : where}: node ${g.nodes.length}`, depth), ONNX_LIMITS.nodes, where, "nodes");
    else if (field === 2) g.name = string(r, end, where);
    else if (field === 5) push(g.initializers, decodeTensor(r, fieldEnd(r, end, where), `importOnnx: initializer ${g.initializers.length}`), ONNX_LIMITS.initializers, where, "initializers");
    else if (field === 11) push(g.inputs, decodeValueInfo(r, fieldEnd(r, end, where), "importOnnx: graph input"), ONNX_LIMITS.values, where, "inputs");
    else if (field === 12) push(g.outputs, decodeValueInfo(r, fieldEnd(r, end, where), "importOnnx: graph output"), ONNX_LIMITS.values, where, "outputs");
    else skip(r, wire, end, where);
  }
  return g;
}

/** Options of decodeOnnxModel. */
export interface OnnxDecodeOptions {
  /** Refuse inputs longer than this many bytes. Default ONNX_MAX_BYTES (2 GiB). */
  maxBytes?: number;
}

/**
 * Decodes ModelProto bytes into typed objects within the limits above. Throws OnnxError for
 * anything malformed, over a limit or truncated.
 */
export function decodeOnnxModel(bytes: Uint8Array, options: OnnxDecodeOptions = {}): OnnxModel {
  const maxBytes = options.maxBytes ?? ONNX_MAX_BYTES;
  if (!(bytes instanceof Uint8Array)) throw new OnnxError(`importOnnx: bytes must be a Uint8Array, got ${bytes === null ? "null" : typeof bytes}`);
  if (bytes.length > maxBytes) throw new OnnxError(`importOnnx: the input has ${bytes.length} bytes, over the limit of ${maxBytes} (option maxBytes)`);
  if (bytes.length === 0) throw new OnnxError("importOnnx: the input is empty, not an ONNX model");
  // A plain Uint8Array view, so that protobufjs uses its generic reader even for a Node Buffer.
  const r = protobuf.Reader.create(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const m: OnnxModel = { irVersion: 0, producerName: "", opsetImports: [], graph: { name: "", nodes: [], initializers: [], inputs: [], outputs: [] } };
  let sawGraph = false;
  const where = "importOnnx: model";
  try {
    while (r.pos < r.len) {
      const t = r.uint32();
      const field = t >>> 3;
      const wire = t & 7;
      if (field === 0) throw new OnnxError(`${where}: field number 0 at byte ${r.pos - 1}; this is not a protobuf message`);
      if (field === 1 && wire === 0) m.irVersion = int64(r, where);
      else if (field === 2 && wire === 2) m.producerName = string(r, r.len, where);
      else if (field === 7 && wire === 2) {
        if (sawGraph) throw new OnnxError(`${where}: more than one graph field`);
        sawGraph = true;
        m.graph = decodeGraph(r, fieldEnd(r, r.len, where), 0);
      } else if (field === 8 && wire === 2) {
        const e = fieldEnd(r, r.len, where);
        const o = { domain: "", version: 0 };
        while (r.pos < e) {
          const u = r.uint32();
          if (u >>> 3 === 1 && (u & 7) === 2) o.domain = string(r, e, where);
          else if (u >>> 3 === 2 && (u & 7) === 0) o.version = int64(r, where);
          else skip(r, u & 7, e, where);
        }
        push(m.opsetImports, o, ONNX_LIMITS.attributes, where, "opset imports");
      } else skip(r, wire, r.len, where);
    }
  } catch (e) {
    if (e instanceof OnnxError) throw e;
    // protobufjs's own errors (a varint past the end, an invalid varint): truncated or not protobuf.
    const message = e instanceof Error ? e.message : String(e);
    throw new OnnxError(`importOnnx: malformed protobuf at byte ${r.pos}: ${message.slice(0, 200)}`);
  }
  if (!sawGraph) throw new OnnxError("importOnnx: the model has no graph; this is not an ONNX model");
  return m;
}
