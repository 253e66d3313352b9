/** Running exported ONNX files in onnxruntime-node for the export tests. */
import assert from "node:assert/strict";
import * as ort from "onnxruntime-node";
import type { Tensor } from "../../../src/index.js";

ort.env.logLevel = "error";

/** A float32 feed with the tensor's shape. */
export function f32(t: Tensor): ort.Tensor {
  return new ort.Tensor("float32", Float32Array.from(t.data), [...t.shape]);
}

/** Runs `bytes` once on `feeds`; every output, which must be float32, by name. */
export async function runOrt(bytes: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<Record<string, Float32Array>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const out = await session.run(feeds);
    const result: Record<string, Float32Array> = {};
    for (const [name, t] of Object.entries(out)) {
      assert.ok(t.data instanceof Float32Array, `${name} is float32`);
      result[name] = t.data;
    }
    return result;
  } finally {
    await session.release();
  }
}
