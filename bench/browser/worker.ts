/**
 * The dedicated worker of the browser benchmark's page: runs the job it is sent and posts back
 * each protocol line, then a done message. Off the main thread, the calling thread of our wasm
 * team may block in Atomics.wait like in Node, and the page's own work does not share its thread.
 */
import { runJob } from "./job.js";
import type { PageJob, PageMessage } from "./protocol.js";

const scope = globalThis as unknown as { onmessage: ((e: MessageEvent<PageJob>) => void) | null; postMessage(m: PageMessage): void };

scope.onmessage = (e) => {
  scope.onmessage = null;
  runJob(e.data, (line) => scope.postMessage({ kind: "line", line: JSON.stringify(line) })).then(
    () => scope.postMessage({ kind: "done", error: null }),
    (err: unknown) => scope.postMessage({ kind: "done", error: err instanceof Error ? err.message : String(err) }),
  );
};
