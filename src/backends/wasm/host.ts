/**
 * Starting worker threads where the platform has them: Node's worker_threads (reached through
 * process.getBuiltinModule, so that browsers never load a Node module), or Web Workers in a
 * browser page that is cross-origin isolated (the condition for SharedArrayBuffer). Elsewhere
 * threadHost() is null and the backend runs on one thread.
 */

/** What a worker needs to join a team; cloned into the worker. */
export interface WorkerInit {
  /** The compiled shared-memory kernel module. */
  module: WebAssembly.Module;
  /** The team's shared linear memory. */
  memory: WebAssembly.Memory;
  /** Byte offset of the control block (Int32 words) in memory. */
  control: number;
  /** Byte offset of the first program stream. */
  streams: number;
  /** Int32 words per program stream. */
  streamInts: number;
  /** This worker's part (1 .. parts - 1). */
  part: number;
  /** Parts in the team, the calling thread's included. */
  parts: number;
  /** Export names, indexed as in the programs. */
  kernels: readonly string[];
}

export interface ThreadHost {
  /** Whether the calling thread may block in Atomics.wait (not a browser's main thread). */
  readonly canBlock: boolean;
  /**
   * Whether the workers this thread starts come up while it blocks in Atomics.wait. Node's do.
   * A browser's do not: Chromium starts a worker's nested workers through that worker's own event
   * loop, so a worker blocked waiting for its team would wait out the whole timeout, alone.
   */
  readonly startsWhileBlocked: boolean;
  /** Starts a worker running `source` (a classic script) with `init`; returns what stops it. */
  start(source: string, init: WorkerInit): () => void;
}

/** Whether this thread may block in Atomics.wait: the check throws where it may not. */
function canBlockHere(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

function nodeHost(): ThreadHost | null {
  if (typeof process !== "object" || typeof process.getBuiltinModule !== "function") return null;
  const threads = process.getBuiltinModule("node:worker_threads");
  if (typeof threads?.Worker !== "function") return null;
  return {
    canBlock: canBlockHere(),
    startsWhileBlocked: true,
    start(source, init) {
      // No execArgv: the worker is plain JavaScript and needs none of the parent's loaders.
      const worker = new threads.Worker(source, { eval: true, workerData: init, execArgv: [] });
      // An idle team must not keep the process alive; failures reach the team through shared memory.
      worker.unref();
      worker.on("error", () => {});
      return () => void worker.terminate();
    },
  };
}

function browserHost(): ThreadHost | null {
  if (typeof Worker !== "function" || typeof SharedArrayBuffer !== "function" || typeof Blob !== "function") return null;
  if (globalThis.crossOriginIsolated !== true) return null;
  return {
    canBlock: canBlockHere(),
    startsWhileBlocked: false,
    start(source, init) {
      const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
      const worker = new Worker(url);
      worker.postMessage(init);
      return () => {
        worker.terminate();
        URL.revokeObjectURL(url);
      };
    },
  };
}

/** The platform's way to start threads that share WebAssembly memory, or null where there is none. */
export function threadHost(): ThreadHost | null {
  return nodeHost() ?? browserHost();
}

/**
 * Most threads the wasm backend starts by default. Past about eight, a recurrent step of the
 * sizes this library trains (H up to a few hundred) is cut into bands too thin to pay for the
 * synchronisation between threads, and every extra thread polls while it waits.
 */
export const DEFAULT_THREADS_CAP = 8;

/**
 * The thread count the wasm backend uses when none is given: RECURRENT_WASM_THREADS where Node's
 * environment sets it, else every core the platform reports (os.availableParallelism() in Node,
 * navigator.hardwareConcurrency in a cross-origin-isolated page) capped at DEFAULT_THREADS_CAP;
 * 1 where worker threads with shared memory are unavailable (a page that is not cross-origin
 * isolated, an engine without workers).
 */
export function defaultThreadCount(): number {
  const v = typeof process === "object" ? process.env?.RECURRENT_WASM_THREADS : undefined;
  if (v !== undefined && v !== "") {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`RECURRENT_WASM_THREADS: expected a positive integer, got "${v}"`);
    return n;
  }
  if (threadHost() === null) return 1;
  let cores = 1;
  if (typeof process === "object" && typeof process.getBuiltinModule === "function") {
    const os = process.getBuiltinModule("node:os");
    cores = typeof os?.availableParallelism === "function" ? os.availableParallelism() : (os?.cpus().length ?? 1);
  } else if (typeof navigator === "object" && typeof navigator.hardwareConcurrency === "number") {
    cores = navigator.hardwareConcurrency;
  }
  return Math.max(1, Math.min(DEFAULT_THREADS_CAP, Math.floor(cores)));
}
