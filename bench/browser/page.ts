/**
 * The browser benchmark's page: reads its job from the query string (protocol.ts) and runs it in a
 * dedicated worker or on this main thread. Results reach bench/browser/run.ts through the two
 * functions it exposes on the page (benchLine, benchDone).
 */
import { runJob } from "./job.js";
import { parseJobQuery, type PageJob, type PageMessage } from "./protocol.js";

interface Exposed {
  benchLine(line: string): Promise<void>;
  benchDone(error: string | null): Promise<void>;
}
const host = globalThis as unknown as Exposed;

function inWorker(job: PageJob): void {
  // The worker bundle sits next to this one (run.ts builds both).
  const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module", name: "bench" });
  worker.onmessage = (e: MessageEvent<PageMessage>) => {
    if (e.data.kind === "line") void host.benchLine(e.data.line);
    else void host.benchDone(e.data.error);
  };
  worker.onerror = (e: ErrorEvent) => void host.benchDone(`bench worker: ${e.message}`);
  worker.postMessage(job);
}

function start(): void {
  let job: PageJob;
  try {
    job = parseJobQuery(location.search);
  } catch (e) {
    void host.benchDone(e instanceof Error ? e.message : String(e));
    return;
  }
  if (job.where === "worker") {
    inWorker(job);
    return;
  }
  runJob(job, (line) => void host.benchLine(JSON.stringify(line))).then(
    () => host.benchDone(null),
    (e: unknown) => host.benchDone(e instanceof Error ? e.message : String(e)),
  );
}

start();
