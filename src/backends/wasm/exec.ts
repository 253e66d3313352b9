/**
 * How the drivers run kernels: through an Executor, which either calls each kernel at once on
 * this thread (one part) or records per-part programs that a team of threads runs together.
 *
 * A driver splits its work into `parts` and calls `call(part, kernel, ...)` for each part's
 * share, then `sync()` wherever a part reads what another part wrote. Shares are cut by output
 * rows or columns only, never along a sum, so every output element is computed by the same
 * sequence of float operations whatever the number of parts: results are bit-identical for any
 * thread count. Nothing may be read from or written to linear memory by JavaScript between the
 * first call and `finish()`, since a team runs the recorded program only then.
 */
import type { KernelExports } from "./module.js";

/** The kernels a program may call. A recorded call stores the kernel's index in this list. */
export const PROGRAM_KERNELS = [
  "gemm",
  "gemmPacked",
  "gemmPrepacked",
  "packAPanels",
  "packAJoined",
  "packB",
  "gemv",
  "colsumAccumulate",
  "colsumWeighted",
  "lstmForwardStep",
  "lstmBackwardStep",
  "gruForwardStep",
  "gruBackwardStep",
  "rnnForwardStep",
  "rnnBackwardStep",
  "gatherRows",
  "scatterAddRows",
  "transposeAdd",
  "lstmForwardStepAct",
  "lstmBackwardStepAct",
  "gruForwardStepAct",
  "gruBackwardStepAct",
  "maskRows",
] as const;

export type ProgramKernel = (typeof PROGRAM_KERNELS)[number];

/** Each program kernel's index in PROGRAM_KERNELS. */
export const KERNEL_INDEX: ReadonlyMap<ProgramKernel, number> = new Map(PROGRAM_KERNELS.map((name, i) => [name, i]));

/** Most arguments of any program kernel (gemm's). */
export const MAX_KERNEL_ARGS = 15;

export interface Executor {
  /** Parts the work is split into; part 0 runs on the calling thread. */
  readonly parts: number;
  /** Runs, or records for `finish`, one kernel call on `part`. */
  call(part: number, kernel: ProgramKernel, ...args: number[]): void;
  /** No part goes past this point before every part has reached it. */
  sync(): void;
  /** Runs whatever is recorded and returns when every part is done. */
  finish(): void;
}

/** A kernel export as programs call it: numbers in, result ignored. */
export type Kernel = (...args: number[]) => unknown;

/** The kernel functions of an instance, indexed like PROGRAM_KERNELS. */
export function programFunctions(kernels: KernelExports): Kernel[] {
  return PROGRAM_KERNELS.map((name): Kernel => kernels[name]);
}

/** One part: every call runs at once. */
export class SerialExecutor implements Executor {
  readonly parts = 1;
  constructor(private readonly kernels: KernelExports) {}

  call(_part: number, kernel: ProgramKernel, ...args: number[]): void {
    const fn: Kernel = this.kernels[kernel];
    fn(...args);
  }

  sync(): void {}

  finish(): void {}
}
