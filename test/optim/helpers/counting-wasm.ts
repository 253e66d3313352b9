// Installs a single-threaded wasm backend whose fused optimiser kernels count their calls, so a
// test can run the optimisers' own tests through the fused path and check that it was taken.
import type { OptimizerKernels } from "../../../src/backends/optim-kernels.js";
import { installBackend } from "../../../src/backends/registry.js";
import { createWasmBackend } from "../../../src/backends/wasm/index.js";

export const wasm = createWasmBackend({ threads: 1 });

/** Kernel calls so far, by optimiser. */
export const calls = { adam: 0, sgd: 0, rmsprop: 0 };

const counted: OptimizerKernels = {
  adam: (tensors, scalars) => {
    calls.adam++;
    wasm.optimizer.adam(tensors, scalars);
  },
  sgd: (tensors, scalars) => {
    calls.sgd++;
    wasm.optimizer.sgd(tensors, scalars);
  },
  rmsprop: (tensors, scalars) => {
    calls.rmsprop++;
    wasm.optimizer.rmsprop(tensors, scalars);
  },
};

/** The wasm backend with the counting kernels in place of its own. */
export const countingWasm = new Proxy(wasm, { get: (target, key) => (key === "optimizer" ? counted : Reflect.get(target, key)) });
installBackend(countingWasm);
