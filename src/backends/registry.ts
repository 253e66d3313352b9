import type { Backend } from "./backend.js";

/**
 * The active kernel backend. The reference backend is installed by src/backends/index.ts at
 * import time; faster ones replace it through setBackend.
 */
let active: Backend | null = null;

export function getBackend(): Backend {
  if (active === null) throw new Error("getBackend: no backend is installed; import from the package entry point");
  return active;
}

export function installBackend(backend: Backend): void {
  active = backend;
}
