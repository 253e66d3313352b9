import { Tensor } from "../tensor/tensor.js";
import { type Generator, globalGenerator } from "../tensor/random.js";
import type { ParamInit } from "./cells/spec.js";

/** U(-bound, bound) samples: PyTorch's default for Linear and recurrent layers uses bound = 1/sqrt(fan). */
export function uniformParam(shape: number[], bound: number, generator: Generator = globalGenerator): Tensor {
  let n = 1;
  for (const d of shape) n *= d;
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = generator.uniformRange(-bound, bound);
  return new Tensor(data, shape, true);
}

export function normalParam(shape: number[], std: number, generator: Generator = globalGenerator): Tensor {
  let n = 1;
  for (const d of shape) n *= d;
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = std * generator.normal();
  return new Tensor(data, shape, true);
}

/** A parameter of constant value (layer-norm gains are ones, their biases zeros). */
export function constantParam(shape: number[], value: number): Tensor {
  let n = 1;
  for (const d of shape) n *= d;
  return new Tensor(new Float32Array(n).fill(value), shape, true);
}

/** A recurrent cell's parameter by its spec's init: "uniform" is U(-1/√H, 1/√H), as PyTorch. */
export function cellParam(shape: number[], init: ParamInit, H: number, generator: Generator = globalGenerator): Tensor {
  if (init === "ones") return constantParam(shape, 1);
  if (init === "zeros") return constantParam(shape, 0);
  return uniformParam(shape, 1 / Math.sqrt(H), generator);
}
