/** What the wasm backend's drivers share: the kernels, the per-call scratch, the resident caches and the threads. */
import { Arena } from "./arena.js";
import { SerialExecutor, type Executor } from "./exec.js";
import type { KernelExports } from "./module.js";
import { ResidentStore } from "./resident.js";
import type { Team } from "./team.js";

export interface WasmContext {
  readonly kernels: KernelExports;
  readonly arena: Arena;
  readonly store: ResidentStore;
  /**
   * How a call runs: split over the team's threads when it does at least the backend's
   * minimum of multiply-adds between two synchronisations (`work`), else on this thread.
   */
  executor(work: number): Executor;
}

export function createContext(kernels: KernelExports, cacheBudgetBytes: number, team: Team | null, minParallelWork: number): WasmContext {
  const arena = new Arena(kernels.memory);
  // A team keeps its control block and program streams right after the static data.
  const store = new ResidentStore(team?.end ?? kernels.heapBase(), cacheBudgetBytes, () => arena.view());
  const serial = new SerialExecutor(kernels);
  const executor = (work: number): Executor => (team !== null && work >= minParallelWork ? (team.executor() ?? serial) : serial);
  return { kernels, arena, store, executor };
}
