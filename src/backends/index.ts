import type { Backend } from "./backend.js";
import { referenceBackend } from "./reference/index.js";
import { getBackend, installBackend } from "./registry.js";

export type { Backend } from "./backend.js";
export { getBackend } from "./registry.js";
export { referenceBackend } from "./reference/index.js";

/** Factories for the named backends that are not the reference; filled in by backends that load. */
const factories = new Map<string, () => Backend>();

export function registerBackend(name: string, factory: () => Backend): void {
  factories.set(name, factory);
}

/** Selects the kernel backend by name ("reference", "wasm") or instance. */
export function setBackend(backend: string | Backend): Backend {
  if (typeof backend !== "string") {
    installBackend(backend);
    return backend;
  }
  if (backend === "reference") {
    installBackend(referenceBackend);
    return referenceBackend;
  }
  const factory = factories.get(backend);
  if (factory === undefined) {
    const known = ["reference", ...factories.keys()].join(", ");
    throw new Error(`setBackend: unknown backend "${backend}"; available: ${known}`);
  }
  const instance = factory();
  installBackend(instance);
  return instance;
}

installBackend(referenceBackend);
