/** The page side of the training worker: one worker for the whole app, messages fanned out to the pages. */
import type { FromWorker, ToWorker } from "./protocol.js";

type Listener = (msg: FromWorker) => void;

export class LMClient {
  private readonly worker: Worker;
  private readonly listeners = new Set<Listener>();
  /** Set by the worker's "ready" message. */
  threads = 0;

  constructor(threads: number) {
    this.worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "recurrent-lm" });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => {
      if (e.data.type === "ready") this.threads = e.data.threads;
      for (const l of this.listeners) l(e.data);
    };
    this.worker.onerror = (e: ErrorEvent) => {
      for (const l of this.listeners) l({ type: "error", message: `training worker: ${e.message}` });
    };
    this.send({ type: "init", threads });
  }

  send(msg: ToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(msg, transfer);
  }

  /** Calls `l` with every message from the worker; returns what unsubscribes it. */
  on(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}

/**
 * Kernel threads for the wasm backend: `?threads=N` in the address, else one fewer than the cores
 * (a core for the page: the workers poll while they wait), at least 2 and at most 4. At least 2
 * because even on 2 cores a second thread trains W1 1.35× faster in a page (BENCHMARKS.md, the
 * browser table). One where the page is not cross-origin isolated.
 */
export function threadCount(): number {
  const asked = Number(new URLSearchParams(location.search).get("threads"));
  if (Number.isInteger(asked) && asked >= 1 && asked <= 64) return asked;
  return Math.max(2, Math.min(4, (navigator.hardwareConcurrency || 2) - 1));
}
