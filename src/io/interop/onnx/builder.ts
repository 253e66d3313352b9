/**
 * Building an ONNX graph for the exporter: a node list, initializers and value infos, with fresh
 * names from one counter (subgraphs share it, since ONNX names must be unique across scopes).
 */
import type { Module } from "../../../nn/module.js";
import type { OnnxExportOptions } from "./export.js";
import { ATTR_FLOATS, ATTR_INT, ATTR_INTS, ATTR_STRING, ATTR_STRINGS, ONNX_FLOAT, ONNX_INT64, OnnxError, type OnnxAttribute, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from "./proto.js";

export interface Builder {
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  counter: number;
}

export function fresh(b: Builder, base: string): string {
  b.counter += 1;
  return `${base}_${b.counter}`;
}

export function node(b: Builder, opType: string, inputs: string[], outputs: string[], attributes: OnnxAttribute[] = []): void {
  b.nodes.push({ name: `${opType}_${b.nodes.length}`, opType, domain: "", inputs, outputs, attributes });
}

export function attr(name: string, value: number | string | number[] | string[]): OnnxAttribute {
  const a: OnnxAttribute = { name, type: 0, f: 0, i: 0, s: "", t: null, floats: [], ints: [], strings: [] };
  if (typeof value === "number") return { ...a, type: ATTR_INT, i: value };
  if (typeof value === "string") return { ...a, type: ATTR_STRING, s: value };
  if (value.every((v): v is number => typeof v === "number")) return { ...a, type: ATTR_INTS, ints: value.filter((v): v is number => typeof v === "number") };
  return { ...a, type: ATTR_STRINGS, strings: value.filter((v): v is string => typeof v === "string") };
}

/** A FLOATS attribute (attr() writes number arrays as INTS). */
export function floatsAttr(name: string, values: number[]): OnnxAttribute {
  return { ...attr(name, []), type: ATTR_FLOATS, ints: [], floats: values };
}

export function floatInit(b: Builder, name: string, dims: number[], data: Float32Array): string {
  b.initializers.push({ name, dims, dataType: ONNX_FLOAT, floats: data, ints: null });
  return name;
}

export function intsInit(b: Builder, base: string, values: number[]): string {
  const name = fresh(b, base);
  b.initializers.push({ name, dims: [values.length], dataType: ONNX_INT64, floats: null, ints: values });
  return name;
}

export function transpose(b: Builder, x: string, perm: number[]): string {
  const y = fresh(b, "transposed");
  node(b, "Transpose", [x], [y], [attr("perm", perm)]);
  return y;
}

export function param(layer: Module, name: string): Float32Array {
  const t = layer.stateDict()[name];
  if (t === undefined) throw new OnnxError(`exportOnnx: ${layer.describe()} has no parameter ${name}`);
  return t.data;
}

export interface Context {
  b: Builder;
  opts: OnnxExportOptions;
  T: number | string;
  B: number | string;
  /** Name suffix of this layer's state inputs/outputs ("" for a lone layer, "_k" in a Sequential). */
  suffix: string;
  /** Prefix of this layer's initializer names. */
  prefix: string;
  sequenceLens: string;
}

