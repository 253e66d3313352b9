import type { Backend } from "./backend.js";
import { referenceBackend } from "./reference/index.js";
import { createWasmBackend, wasmSimdSupported } from "./wasm/index.js";
import { installBackend, installDefaultChooser } from "./registry.js";

export type { Backend } from "./backend.js";
export { getBackend } from "./registry.js";
export { referenceBackend } from "./reference/index.js";
export { createWasmBackend, loadWasmBackend, wasmSimdSupported, relaxedSimdSupported, WasmBackend, type WasmBackendOptions } from "./wasm/index.js";

/** Factories for the named backends; the reference one is a constant. */
const factories = new Map<string, () => Backend>([
  ["reference", () => referenceBackend],
  // Threads: RECURRENT_WASM_THREADS, else every core (see WasmBackendOptions.threads).
  ["wasm", () => createWasmBackend()],
]);

export function registerBackend(name: string, factory: () => Backend): void {
  factories.set(name, factory);
}

/** Names setBackend accepts. */
export function backendNames(): string[] {
  return [...factories.keys()];
}

/** Selects the kernel backend by name ("reference", "wasm") or instance. */
export function setBackend(backend: string | Backend): Backend {
  if (typeof backend !== "string") {
    installBackend(backend);
    return backend;
  }
  const factory = factories.get(backend);
  if (factory === undefined) {
    throw new Error(`setBackend: unknown backend "${backend}"; available: ${backendNames().join(", ")}`);
  }
  const instance = factory();
  installBackend(instance);
  return instance;
}

/** A variable of Node's environment, if set and not empty (absent in browsers). */
function envVar(name: string): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.[name];
  return v === undefined || v === "" ? undefined : v;
}

function envChoice(): string | undefined {
  return envVar("RECURRENT_BACKEND");
}

/**
 * The default: RECURRENT_BACKEND when set, else wasm where the engine has WebAssembly SIMD,
 * else the reference backend (hosts without wasm SIMD still work, just slower).
 */
installDefaultChooser(() => {
  const named = envChoice();
  if (named !== undefined) {
    const factory = factories.get(named);
    if (factory === undefined) throw new Error(`RECURRENT_BACKEND: unknown backend "${named}"; available: ${backendNames().join(", ")}`);
    return factory();
  }
  return wasmSimdSupported() ? createWasmBackend() : referenceBackend;
});
