/**
 * Picks the kernel backend: the one asked for with --backend, else the library's default
 * (RECURRENT_BACKEND when set, else wasm where the engine has WebAssembly SIMD, else the
 * reference backend). A default that fails to load is reported in one line and replaced by the
 * reference backend rather than stopping the command.
 */
import { getBackend, setBackend } from "../backends/index.js";
import { UsageError } from "./errors.js";

export const BACKEND_NAMES = ["reference", "wasm"] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split("\n")[0] ?? message;
}

/**
 * Installs the backend and returns its name; `note` receives a one-line explanation of a
 * fallback. `preferred` (the backend a resumed run was trained with) is tried before the
 * default, without failing when it is not available, so a resumed run keeps its kernels.
 */
export function selectBackend(requested: BackendName | undefined, note: (message: string) => void, preferred?: BackendName): string {
  if (requested !== undefined) {
    try {
      return setBackend(requested).name;
    } catch (err) {
      throw new UsageError(`--backend ${requested} is not available: ${firstLine(err)}`);
    }
  }
  if (preferred !== undefined) {
    try {
      return setBackend(preferred).name;
    } catch (err) {
      note(`note: the run was trained on the ${preferred} backend, which is not available here (${firstLine(err)}); its results may differ in the last bits`);
    }
  }
  try {
    return getBackend().name;
  } catch (err) {
    note(`note: the default backend failed to load (${firstLine(err)}); using the reference backend`);
    return setBackend("reference").name;
  }
}
