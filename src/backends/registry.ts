import type { Backend } from "./backend.js";

/**
 * The active kernel backend. Chosen lazily on first use by the default chooser that
 * src/backends/index.ts installs (so importing the package compiles nothing), or set explicitly.
 */
let active: Backend | null = null;
let chooseDefault: (() => Backend) | null = null;

export function getBackend(): Backend {
  if (active === null) {
    if (chooseDefault === null) throw new Error("getBackend: no backend is installed; import from the package entry point");
    active = chooseDefault();
  }
  return active;
}

/**
 * The active backend, chosen as getBackend() does, or null when no backend is installed (code
 * that imports only src/optim, for example): for callers that have a backend-free fallback.
 */
export function activeBackend(): Backend | null {
  return active === null && chooseDefault === null ? null : getBackend();
}

export function installBackend(backend: Backend): void {
  active = backend;
}

export function installDefaultChooser(choose: () => Backend): void {
  chooseDefault = choose;
}
