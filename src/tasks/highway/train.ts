/**
 * The depth experiment end to end: for each depth, a plain and a highway network (model.ts)
 * trained on the same Fashion-MNIST images with the same budget (epochs, batch size, Adam
 * learning rate, clipping, seed), each into its own sub-folder of the run (`plain-10/`,
 * `highway-10/`, ...: config, metrics.jsonl, plots, checkpoints, final.*), then scored on the
 * test set. The run folder gets `loss.svg/.png` (all training-loss curves), `results.json`, and
 * with `lstm` an `lstm/` run and `lstm-vs-highway.svg/.png`.
 *
 * A network whose loss stops being finite is reported as diverged (its curve ends there) and
 * the others go on. A resumed run continues each network from its own latest checkpoint;
 * finished ones are read back, not retrained.
 */
import { join } from "node:path";
import { getBackend } from "../../backends/registry.js";
import type { TensorDataset } from "../../data/dataset.js";
import { manualSeed } from "../../tensor/random.js";
import type { Callback } from "../../train/callbacks/callback.js";
import { latestCheckpoint } from "../../train/store/checkpoints.js";
import { FileStore } from "../../train/store/file-store.js";
import type { RunStore } from "../../train/store/store.js";
import type { TaskConfig, TaskRunContext, TaskRunResult } from "../task.js";
import { FASHION_CLASSES } from "../seqmnist/classes.js";
import { booleanField, choiceField, numberField, stringField } from "../seqmnist/config.js";
import { loadFashionMnist } from "../seqmnist/data.js";
import { SeqClassifier } from "../seqmnist/model.js";
import { openRunFolder, readRunConfig } from "../run-folder.js";
import { scoreClassifier, trainClassifier, type Classifier } from "../seqmnist/run.js";
import { imageDataset } from "../seqmnist/tensors.js";
import { DEEP_NET_KINDS, DeepNet, type DeepNetKind } from "./model.js";
import { renderLossPlot, type LossCurve } from "./plot.js";
import { GATE_BIASES, HIGHWAY_SCHEMA, parseDepths } from "./schema.js";

/** What one network of the experiment gave. */
export interface NetResult {
  /** Sub-folder and label: "plain-10", "highway-100", "lstm". */
  name: string;
  kind: DeepNetKind | "lstm";
  depth: number;
  parameters: number;
  /** Training loss per epoch. */
  losses: number[];
  /** Training loss of the last epoch (NaN when it diverged). */
  finalLoss: number;
  testLoss: number;
  testAccuracy: number;
  diverged: boolean;
  seconds: number;
}

/** The network `kind` at `depth` that a config describes (weights drawn from the global generator). */
export function buildDeepNet(config: TaskConfig, kind: DeepNetKind, depth: number): DeepNet {
  return new DeepNet({
    kind,
    depth,
    width: numberField(config, kind === "plain" ? "plainWidth" : "highwayWidth"),
    inputSize: 28 * 28,
    numClasses: FASHION_CLASSES.length,
    gateBias: Number(choiceField(config, "gateBias", GATE_BIASES)),
  });
}

function buildLstm(config: TaskConfig): SeqClassifier {
  return new SeqClassifier({ cell: "lstm", inputSize: 28, hiddenSize: numberField(config, "lstmHidden"), numClasses: FASHION_CLASSES.length });
}

interface NetJob {
  name: string;
  kind: DeepNetKind | "lstm";
  depth: number;
  build: () => Classifier;
  train: TensorDataset;
  test: TensorDataset;
}

async function runNet(job: NetJob, config: TaskConfig, ctx: TaskRunContext): Promise<NetResult & { aborted: boolean }> {
  const store = new FileStore(join(ctx.runDir, job.name));
  // Every network starts from the same seed: the same budget and the same draws for the shuffling.
  manualSeed(numberField(config, "seed"));
  const model = job.build();
  const resumeFrom = ctx.resume ? await latestCheckpoint(store) : null;
  const rows: number[] = resumeFrom?.meta.metrics.map((r) => r["loss"] ?? NaN) ?? [];
  const collect: Callback = { onEpochEnd: (_e, logs) => void rows.push(logs["loss"] ?? NaN) };
  const epochs = numberField(config, "epochs");
  ctx.progress.event("note", { message: job.name }, `${job.name}: ${model.numParameters().toLocaleString("en-US")} parameters -> ${store.locate("")}`);
  const start = performance.now();
  let diverged = false;
  let aborted = false;
  try {
    const history = await trainClassifier({
      model,
      train: job.train,
      store,
      epochs,
      batchSize: numberField(config, "batchSize"),
      lr: numberField(config, "lr"),
      clip: numberField(config, "clip"),
      seed: numberField(config, "seed") + 1,
      config: { ...config, net: job.name },
      resumeFrom,
      progress: ctx.progress,
      ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}),
      checkpointEvery: epochs,
      title: job.name,
      callbacks: [collect],
    });
    aborted = history.aborted;
  } catch (err) {
    if (!/not finite|diverged/.test(err instanceof Error ? err.message : String(err))) throw err;
    diverged = true;
    ctx.log(`${job.name}: diverged after ${rows.length} epochs (${err instanceof Error ? err.message : String(err)})`);
  }
  const seconds = (performance.now() - start) / 1000;
  const test = diverged || aborted ? { loss: NaN, accuracy: NaN } : await scoreClassifier(model, job.test);
  return {
    name: job.name,
    kind: job.kind,
    depth: job.depth,
    parameters: model.numParameters(),
    losses: rows,
    finalLoss: diverged ? NaN : (rows[rows.length - 1] ?? NaN),
    testLoss: test.loss,
    testAccuracy: test.accuracy,
    diverged,
    seconds,
    aborted,
  };
}

function loadData(config: TaskConfig): { flat: [TensorDataset, TensorDataset]; rows: [TensorDataset, TensorDataset] } {
  const dir = stringField(config, "dataDir");
  const train = loadFashionMnist("train", dir, numberField(config, "trainSize"));
  const testSize = numberField(config, "testSize");
  const test = loadFashionMnist("test", dir, testSize === 0 ? undefined : testSize);
  return { flat: [imageDataset(train, "flat"), imageDataset(test, "flat")], rows: [imageDataset(train, "rows"), imageDataset(test, "rows")] };
}

/** Trains (or resumes) the depth experiment; see the module comment. */
export async function trainHighway(config: TaskConfig, ctx: TaskRunContext): Promise<TaskRunResult> {
  const depths = parseDepths(stringField(config, "depths"));
  const data = loadData(config);
  const { store } = await openRunFolder(HIGHWAY_SCHEMA, ctx.runDir, config, ctx.resume);
  const [trainFlat, testFlat] = data.flat;
  ctx.progress.event(
    "start",
    { runDir: ctx.runDir, config, backend: getBackend().name, resume: ctx.resume },
    `${ctx.resume ? "resuming" : "training"} plain and highway networks at depths ${depths.join(", ")} on ${trainFlat.length} Fashion-MNIST images, ` +
      `${numberField(config, "epochs")} epochs each, ${getBackend().name} backend -> ${ctx.runDir}`,
  );
  const jobs: NetJob[] = [];
  for (const depth of depths) {
    for (const kind of DEEP_NET_KINDS) jobs.push({ name: `${kind}-${depth}`, kind, depth, build: () => buildDeepNet(config, kind, depth), train: trainFlat, test: testFlat });
  }
  if (booleanField(config, "lstm")) jobs.push({ name: "lstm", kind: "lstm", depth: 1, build: () => buildLstm(config), train: data.rows[0], test: data.rows[1] });

  const results: NetResult[] = [];
  let aborted = false;
  for (const job of jobs) {
    const { aborted: stopped, ...result } = await runNet(job, config, ctx);
    if (stopped) {
      aborted = true;
      break;
    }
    results.push(result);
  }
  const summary: Record<string, number> = {};
  for (const r of results) {
    summary[`${r.name}.loss`] = r.finalLoss;
    summary[`${r.name}.test.accuracy`] = r.testAccuracy;
  }
  const files: Record<string, string> = {};
  if (!aborted) {
    await store.write("results.json", `${JSON.stringify(results, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2)}\n`);
    files["results"] = store.locate("results.json");
    Object.assign(files, await writeHighwayPlots(store, results, trainFlat.length));
  }
  return { runDir: ctx.runDir, aborted, summary, files };
}

/**
 * Writes loss.svg/.png (every plain and highway net) and, when the results hold an LSTM,
 * lstm-vs-highway.svg/.png (it against the shallowest highway net); returns the SVGs' locations.
 */
export async function writeHighwayPlots(store: RunStore, results: readonly NetResult[], trainCount: number): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const nets = results.filter((r) => r.kind !== "lstm");
  const ordered = [...nets.filter((r) => r.kind === "plain"), ...nets.filter((r) => r.kind === "highway")];
  const plot = renderLossPlot(ordered.map((r) => curve(r)), `Plain vs highway nets, Fashion-MNIST (${trainCount} images)`);
  await store.write("loss.svg", plot.svg);
  await store.write("loss.png", plot.png);
  files["plot"] = store.locate("loss.svg");
  const lstm = results.find((r) => r.kind === "lstm");
  const highways = nets.filter((r) => r.kind === "highway");
  const shallow = highways.reduce<NetResult | undefined>((best, r) => (best === undefined || r.depth < best.depth ? r : best), undefined);
  if (lstm !== undefined && shallow !== undefined) {
    const cmp = renderLossPlot([{ ...curve(shallow), color: "#1f77b4" }, curve(lstm)], `LSTM vs highway net, Fashion-MNIST (${trainCount} images)`);
    await store.write("lstm-vs-highway.svg", cmp.svg);
    await store.write("lstm-vs-highway.png", cmp.png);
    files["comparison"] = store.locate("lstm-vs-highway.svg");
  }
  return files;
}

function curve(r: NetResult): LossCurve {
  const label = r.kind === "lstm" ? `LSTM, ${r.parameters.toLocaleString("en-US")} parameters` : `${r.kind} ${r.depth}, ${r.parameters.toLocaleString("en-US")} parameters`;
  return { name: label, kind: r.kind, losses: r.losses };
}

/** Test loss and accuracy of every network of a run (from each one's final, else latest, checkpoint). */
export async function evaluateHighway(runDir: string): Promise<Record<string, number>> {
  const config = readRunConfig(HIGHWAY_SCHEMA, runDir);
  const data = loadData(config);
  const out: Record<string, number> = {};
  const nets: { name: string; build: () => Classifier; test: TensorDataset }[] = [];
  for (const depth of parseDepths(stringField(config, "depths"))) {
    for (const kind of DEEP_NET_KINDS) nets.push({ name: `${kind}-${depth}`, build: () => buildDeepNet(config, kind, depth), test: data.flat[1] });
  }
  if (booleanField(config, "lstm")) nets.push({ name: "lstm", build: () => buildLstm(config), test: data.rows[1] });
  for (const net of nets) {
    const ckpt = await latestCheckpoint(new FileStore(join(runDir, net.name)));
    if (ckpt === null) continue;
    const model = net.build();
    model.loadStateDict(ckpt.params);
    const test = await scoreClassifier(model, net.test);
    out[`${net.name}.epoch`] = ckpt.meta.epoch;
    out[`${net.name}.test.loss`] = test.loss;
    out[`${net.name}.test.accuracy`] = test.accuracy;
  }
  if (Object.keys(out).length === 0) throw new Error(`highway run ${runDir} has no checkpoint yet`);
  return out;
}
