import { Tensor } from "../tensor/tensor.js";
import { type Generator, globalGenerator } from "../tensor/random.js";

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
