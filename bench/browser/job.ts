/**
 * Runs one job of the browser benchmark in the thread it is called on (a page's main thread or
 * a dedicated worker): ours through the public API with the same model code as bench/ours.ts,
 * TF.js with the same model code as bench/peers/tfjs.ts, timed by bench/measure.ts.
 */
import * as tf from "@tensorflow/tfjs";
import { getThreadsCount, setThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { loadWasmBackend, manualSeed, setBackend } from "recurrent";
import { NO_PROBE, measure, type MeasureOptions } from "../measure.js";
import { buildStep as buildOursStep, gemmPeakGflops } from "../ours.js";
import { CPU_TRAINING_CAP, buildStep as buildTfjsStep } from "../peers/tfjs.js";
import type { BenchMeta, BenchResult, BenchSkip } from "../result.js";
import { metricValue, selectWorkloads, type Workload } from "../workloads.js";
import { BROWSER_WORKLOADS, peerName, type PageJob } from "./protocol.js";

type Emit = (line: BenchResult | BenchMeta | BenchSkip) => void;

/** Runs `job`, handing every protocol line to `emit`. Rejects only when the runner cannot start. */
export async function runJob(job: PageJob, emit: Emit): Promise<void> {
  const peer = peerName(job);
  const meta: Record<string, string> = { where: job.where === "worker" ? "dedicated worker" : "main thread", crossOriginIsolated: String(globalThis.crossOriginIsolated === true) };
  const build = job.runner === "ours" ? await startOurs(job, meta) : await startTfjs(job, meta);
  emit({ peer, meta });
  for (const w of selectWorkloads(job.only ?? BROWSER_WORKLOADS)) {
    try {
      const { step, dispose, options } = build(w);
      const m = await measure(step, options, NO_PROBE);
      dispose();
      emit({ peer, workload: w.id, metric: w.metric, value: metricValue(w, m.medianMs / 1000), higherIsBetter: w.higherIsBetter, steps: m.steps, medianMs: m.medianMs });
    } catch (e) {
      emit({ peer, workload: w.id, error: e instanceof Error ? e.message : String(e) });
    }
  }
}

interface Built {
  step: () => unknown;
  dispose: () => void;
  options: MeasureOptions;
}

async function startOurs(job: PageJob, meta: Record<string, string>): Promise<(w: Workload) => Built> {
  // loadWasmBackend waits for the workers: a main thread cannot block until they start.
  const backend = await loadWasmBackend({ threads: job.threads });
  setBackend(backend);
  manualSeed(0);
  meta.backend = backend.name;
  meta.threads = String(backend.threads);
  meta.gemmPeakGflops = gemmPeakGflops().toFixed(1);
  return (w) => ({ step: buildOursStep(w), dispose: () => {}, options: job.measure });
}

async function startTfjs(job: PageJob, meta: Record<string, string>): Promise<(w: Workload) => Built> {
  const backend = job.runner === "tfjs-wasm" ? "wasm" : "cpu";
  meta.tfjs = tf.version.tfjs;
  meta.backend = backend;
  if (backend === "wasm") {
    // The run script copies the package's .wasm binaries next to the page, under tfjs/.
    setWasmPaths(new URL("tfjs/", location.href).href);
    setThreadsCount(job.threads);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`bench page: TF.js backend "${backend}" failed to initialise`);
  await tf.ready();
  if (backend === "wasm") {
    meta.simd = String(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"));
    meta.multithread = String(await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT"));
    // What TF.js's pool really runs, next to what was asked: the two can differ.
    meta.threadsRequested = String(job.threads);
    meta.threads = String(getThreadsCount());
    meta.binary = loadedWasmFiles().join(" ") || "none seen";
  }
  return (w) => {
    const { step, dispose } = buildTfjsStep(w);
    // As in bench/peers/tfjs.ts: cpu training steps take seconds, so those cells are capped.
    const options = backend === "cpu" && w.training ? { ...job.measure, ...CPU_TRAINING_CAP } : job.measure;
    return { step, dispose, options };
  };
}

/** The .wasm files this thread fetched, by file name: which binary TF.js really loaded. */
function loadedWasmFiles(): string[] {
  const names = performance.getEntriesByType("resource").map((e) => e.name.split("?")[0]!.split("/").pop()!);
  return [...new Set(names.filter((n) => n.endsWith(".wasm")))];
}
