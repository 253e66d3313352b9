/**
 * `trainMemory`: the long-range memory experiment at one sequence length, as a library function.
 * Each run (one per cell, plus the exploding case's two) trains with the shared loop into its
 * own sub-folder of the run folder (metrics log, loss plot, checkpoints, final) and leaves a
 * result.json there; a run with a result is skipped on resume, an unfinished one continues from
 * its latest checkpoint. The combined plots and results.json are written at the end.
 */
import { tensorLoader } from "../../data/loader.js";
import type { TensorBatch } from "../../data/collate.js";
import { mseLoss } from "../../losses/mse.js";
import { Adam } from "../../optim/adam.js";
import { manualSeed } from "../../tensor/random.js";
import { Tensor } from "../../tensor/tensor.js";
import { Checkpoint } from "../../train/callbacks/checkpoint.js";
import { MetricsLog } from "../../train/callbacks/metrics-log.js";
import { Plots } from "../../train/callbacks/plots.js";
import { ProgressCallback } from "../../train/callbacks/progress.js";
import { fitLoop } from "../../train/fit.js";
import { Progress } from "../../train/progress.js";
import { FileStore } from "../../train/store/file-store.js";
import { latestCheckpoint } from "../../train/store/checkpoints.js";
import { readJson } from "../../train/store/store.js";
import type { MemoryConfig } from "./config.js";
import { addingProblem, TRIVIAL_MSE } from "./data.js";
import { hiddenGradNorms } from "./gradnorm.js";
import { MemoryModel, type MemoryCell } from "./model.js";
import { writeMemoryPlots } from "./plots.js";

/** One training run of the experiment. */
export interface MemoryRunSpec {
  /** Sub-folder and legend name: "lstm", "relu-clip", "relu-noclip". */
  name: string;
  cell: MemoryCell;
  /** Factor on the initial recurrent weights. */
  gain: number;
  /** Gradient clipping, or none. */
  clip: number | null;
}

/** What a run leaves in its result.json. */
export interface MemoryRunResult {
  name: string;
  cell: MemoryCell;
  /** Per epoch: training loss, test MSE, mean gradient norm before clipping. */
  loss: number[];
  testMse: number[];
  gradNorm: number[];
  /** ‖∂L/∂h_t‖ for t = 0..T−1 on a test batch, at initialisation and after training. */
  gradInit: number[];
  gradTrained: number[];
  /** The epoch whose loss was not finite, or null. */
  divergedAt: number | null;
  /** Test MSE at the end (NaN when diverged). */
  finalTestMse: number;
}

export interface MemoryResults {
  length: number;
  trivialMse: number;
  runs: MemoryRunResult[];
}

export interface TrainMemoryOptions {
  config: MemoryConfig;
  runDir: string;
  resume?: boolean;
  progress?: Progress;
  signal?: AbortSignal;
}

/** The runs a config asks for, in order. */
export function memoryRuns(config: MemoryConfig): MemoryRunSpec[] {
  const runs: MemoryRunSpec[] = config.cells.map((cell) => ({ name: cell, cell, gain: 1, clip: config.clip }));
  if (!config.skipExploding) {
    runs.push({ name: "relu-clip", cell: "relu", gain: config.explodeGain, clip: config.clip });
    runs.push({ name: "relu-noclip", cell: "relu", gain: config.explodeGain, clip: null });
  }
  return runs;
}

/** A fresh model for a run: seeded, its recurrent weights scaled by the run's gain. */
export function buildMemoryModel(spec: MemoryRunSpec, config: MemoryConfig): MemoryModel {
  manualSeed(config.seed);
  const model = new MemoryModel(spec.cell, config.hiddenSize);
  if (spec.gain !== 1) {
    const sd = model.rnn.stateDict();
    const w = sd["weight_hh_l0"];
    if (w === undefined) throw new Error(`buildMemoryModel: ${model.describe()} has no weight_hh_l0`);
    model.rnn.loadStateDict({ ...sd, weight_hh_l0: new Tensor(w.data.map((v) => v * spec.gain), w.shape) });
  }
  return model;
}

function isRunResult(v: unknown): v is MemoryRunResult {
  return typeof v === "object" && v !== null && "name" in v && "testMse" in v && "gradInit" in v;
}

async function trainRun(spec: MemoryRunSpec, config: MemoryConfig, opts: TrainMemoryOptions, progress: Progress): Promise<{ result: MemoryRunResult | null; aborted: boolean }> {
  const store = new FileStore(`${opts.runDir}/${spec.name}`);
  if (opts.resume === true && (await store.exists("result.json"))) {
    const saved = await readJson(store, "result.json");
    if (isRunResult(saved)) return { result: saved, aborted: false };
  }
  const train = addingProblem(config.trainSize, config.length, config.seed + 1);
  const test = addingProblem(config.testSize, config.length, config.seed + 2);
  const probeX = test.x.slice(0, 0, Math.min(50, config.testSize));
  const probeY = (test.y ?? test.x).slice(0, 0, Math.min(50, config.testSize));
  const model = buildMemoryModel(spec, config);
  const gradInit = Array.from(hiddenGradNorms(model, probeX, probeY));
  const optimizer = new Adam(model.parameters(), { lr: config.lr });
  const resumeFrom = opts.resume === true ? await latestCheckpoint(store) : null;
  progress.event("run", { run: spec.name, cell: spec.cell, gain: spec.gain, clip: spec.clip }, `${spec.name}: ${spec.cell === "relu" ? "relu RNN" : spec.cell === "rnn" ? "tanh RNN" : spec.cell.toUpperCase()}${spec.gain !== 1 ? `, recurrent init x${spec.gain}` : ""}, ${spec.clip === null ? "no clipping" : `clip ${spec.clip}`}`);
  const rows: Record<string, number>[] = [];
  let divergedAt: number | null = null;
  let aborted = false;
  try {
    const history = await fitLoop(model, {
      data: tensorLoader(train, { batchSize: config.batchSize, shuffle: true, seed: config.seed }),
      validationData: tensorLoader(test, { batchSize: 250 }),
      epochs: config.numEpochs,
      optimizer,
      trainStep: (_ctx, b: TensorBatch) => {
        if (b.y === undefined) throw new Error("trainMemory: a batch without targets");
        const output = model.forward(b.x);
        return { loss: mseLoss(output, b.y), output, target: b.y };
      },
      // Without clipping the norm is still measured (a bound nothing reaches), so the plot can show it grow.
      clipNorm: spec.clip ?? 1e30,
      countUnit: "sequences",
      config: { ...config, cells: config.cells.join(","), run: spec.name },
      store,
      resumeFrom,
      ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
      callbacks: [
        new ProgressCallback(progress),
        new MetricsLog(),
        new Plots({ metrics: ["loss"], every: config.checkpointEvery, title: () => `Adding problem T=${config.length}: ${spec.name} (MSE)` }),
        new Checkpoint({ every: config.checkpointEvery, keep: 2 }),
        { onEpochEnd: (_e: number, logs: Record<string, number>) => void rows.push({ ...logs }) },
      ],
    });
    aborted = history.aborted;
    rows.splice(0, rows.length, ...history.history.map((r) => ({ ...r })));
  } catch (err) {
    // Only the unclipped run is expected to blow up; anything else is a real error.
    if (spec.clip !== null || !/not finite|diverged|NaN|Infinity/.test(String(err))) throw err;
    divergedAt = rows.length + 1;
    progress.event("diverged", { run: spec.name, epoch: divergedAt }, `${spec.name}: diverged in epoch ${divergedAt} (${String(err).split("\n")[0]})`);
  }
  if (aborted) return { result: null, aborted: true };
  const gradTrained = divergedAt === null ? Array.from(hiddenGradNorms(model, probeX, probeY)) : [];
  const testMse = rows.map((r) => r["val_loss"] ?? NaN);
  const result: MemoryRunResult = {
    name: spec.name,
    cell: spec.cell,
    loss: rows.map((r) => r["loss"] ?? NaN),
    testMse,
    gradNorm: rows.map((r) => r["gradNorm"] ?? NaN),
    gradInit,
    gradTrained,
    divergedAt,
    finalTestMse: divergedAt === null ? (testMse[testMse.length - 1] ?? NaN) : NaN,
  };
  await store.write("result.json", `${JSON.stringify(result)}\n`);
  return { result, aborted: false };
}

export async function trainMemory(opts: TrainMemoryOptions): Promise<{ results: MemoryResults | null; aborted: boolean; seconds: number }> {
  const started = performance.now();
  const { config } = opts;
  const progress = opts.progress ?? new Progress({ mode: "quiet", out: { write: () => true } });
  const root = new FileStore(opts.runDir);
  if (opts.resume !== true) await root.write("config.json", `${JSON.stringify({ ...config, cells: config.cells.join(",") }, null, 2)}\n`);
  progress.event("start", { runDir: opts.runDir, config: { ...config, cells: config.cells.join(",") } }, `adding problem, T=${config.length}: ${memoryRuns(config).map((r) => r.name).join(", ")} -> ${opts.runDir}`);
  const runs: MemoryRunResult[] = [];
  for (const spec of memoryRuns(config)) {
    const r = await trainRun(spec, config, opts, progress);
    if (r.aborted || r.result === null) return { results: null, aborted: true, seconds: (performance.now() - started) / 1000 };
    runs.push(r.result);
  }
  const results: MemoryResults = { length: config.length, trivialMse: TRIVIAL_MSE, runs };
  await root.write("results.json", `${JSON.stringify(results, null, 2)}\n`);
  await writeMemoryPlots(root, results);
  return { results, aborted: false, seconds: (performance.now() - started) / 1000 };
}
