/** What the wasm backend's drivers share: the kernels, the per-call scratch and the resident caches. */
import { Arena } from "./arena.js";
import type { KernelExports } from "./module.js";
import { ResidentStore } from "./resident.js";

export interface WasmContext {
  readonly kernels: KernelExports;
  readonly arena: Arena;
  readonly store: ResidentStore;
}

export function createContext(kernels: KernelExports, cacheBudgetBytes: number): WasmContext {
  const arena = new Arena(kernels.memory);
  const store = new ResidentStore(kernels.heapBase(), cacheBudgetBytes, () => arena.view());
  return { kernels, arena, store };
}
