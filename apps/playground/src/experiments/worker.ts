/**
 * The experiments' worker, running the tasks' own models and settings, briefly:
 * - memory: tanh RNN, LSTM and GRU on the adding problem (memory task), test MSE per epoch and
 *   ‖∂L/∂h_t‖ over t before and after training;
 * - highway: plain and highway networks of one depth on the Fashion-MNIST slice (highway task),
 *   the training loss as it goes;
 * - forecast: an LSTM or GRU on the monthly Mauna Loa CO2 record (forecast task), its loss, then
 *   its forecast of the held-out months next to the two baselines.
 */
import {
  Accuracy,
  Adam,
  DeepNet,
  FORECAST_DEFAULTS,
  Forecaster,
  MEMORY_DEFAULTS,
  MemoryModel,
  addingProblem,
  crossEntropy,
  evaluateForecaster,
  fitLoop,
  forecastPlotSeries,
  hiddenGradNorms,
  imageDataset,
  imageSet,
  loadWasmBackend,
  manualSeed,
  mseLoss,
  parseIdx,
  parseMonthlyCsv,
  setBackend,
  splitSeries,
  tensorLoader,
  trainingWindows,
  type Callback,
  type StepFn,
  type Tensor,
  type ForecastConfig,
  type TensorBatch,
} from "recurrent";
import { gunzipSync } from "fflate";
import type { ExperimentName, FromExperiments, ToExperiments } from "./protocol.js";

let controller: AbortController | null = null;
const ready = loadWasmBackend().then(setBackend);

function post(msg: FromExperiments): void {
  self.postMessage(msg);
}

/** A step whose loss is the MSE of the model's output against the batch's targets. */
function mseStep(where: string, model: { forward(x: Tensor): Tensor }): StepFn<TensorBatch> {
  return (_ctx, b) => {
    if (b.y === undefined) throw new Error(`${where}: a batch without targets`);
    const output = model.forward(b.x);
    return { loss: mseLoss(output, b.y), output, target: b.y };
  };
}

type Request<K extends ToExperiments["type"]> = Extract<ToExperiments, { type: K }>;

async function memory(req: Request<"memory">, signal: AbortSignal): Promise<string> {
  const d = MEMORY_DEFAULTS;
  const train = addingProblem(d.trainSize / 2, req.length, d.seed + 1);
  const test = addingProblem(d.testSize / 2, req.length, d.seed + 2);
  const probeX = test.x.slice(0, 0, 50);
  const probeY = (test.y ?? test.x).slice(0, 0, 50);
  const finals: string[] = [];
  for (const cell of req.cells) {
    manualSeed(d.seed);
    const model = new MemoryModel(cell, d.hiddenSize);
    post({ type: "gradients", cell, when: "init", norms: Array.from(hiddenGradNorms(model, probeX, probeY)) });
    let last = NaN;
    const history = await fitLoop(model, {
      data: tensorLoader(train, { batchSize: d.batchSize, shuffle: true, seed: d.seed }),
      validationData: tensorLoader(test, { batchSize: 250 }),
      epochs: req.epochs,
      optimizer: new Adam(model.parameters(), { lr: d.lr }),
      trainStep: mseStep("memory experiment", model),
      clipNorm: d.clip,
      countUnit: "sequences",
      signal,
      callbacks: [{ onEpochEnd: (epoch, logs) => post({ type: "point", experiment: "memory", series: cell, x: epoch, y: (last = logs["val_loss"] ?? NaN) }) }],
    });
    if (history.aborted) return "";
    post({ type: "gradients", cell, when: "trained", norms: Array.from(hiddenGradNorms(model, probeX, probeY)) });
    finals.push(`${cell} ${last.toFixed(3)}`);
  }
  return `test MSE after ${req.epochs} epoch${req.epochs === 1 ? "" : "s"}: ${finals.join(", ")}`;
}

/** Posts the running training loss every few batches, x in epochs. */
function lossPoints(experiment: ExperimentName, series: string, every: number): Callback {
  return {
    onBatchEnd: (logs, loop) => {
      if (logs.batch % every === 0 || logs.batch === loop.numBatches) {
        post({ type: "point", experiment, series, x: logs.epoch - 1 + logs.batch / loop.numBatches, y: logs.running["loss"] ?? logs.loss });
      }
    },
  };
}

async function highway(req: Request<"highway">, signal: AbortSignal): Promise<string> {
  const images = parseIdx(gunzipSync(new Uint8Array(req.images.train)), "Fashion-MNIST slice images");
  const labels = parseIdx(gunzipSync(new Uint8Array(req.images.labels)), "Fashion-MNIST slice labels");
  const data = imageDataset(imageSet(images, labels, 10, "Fashion-MNIST slice"), "flat");
  const finals: string[] = [];
  // The highway task's settings: widths with about equal parameters, gate bias -4, Adam 1e-3, clip 5.
  for (const [kind, width] of [["plain", 71], ["highway", 50]] as const) {
    manualSeed(0);
    const model = new DeepNet({ kind, depth: req.depth, width, inputSize: 28 * 28, numClasses: 10, gateBias: -4 });
    let last = NaN;
    const history = await fitLoop(model, {
      data: tensorLoader(data, { batchSize: 64, shuffle: true, seed: 1 }),
      epochs: req.epochs,
      optimizer: new Adam(model.parameters(), { lr: 0.001 }),
      trainStep: (_ctx, b: TensorBatch) => {
        if (b.y === undefined) throw new Error("highway experiment: a batch without labels");
        const output = model.forward(b.x);
        return { loss: crossEntropy(output, b.y.data), output, target: b.y };
      },
      metrics: [new Accuracy()],
      clipNorm: 5,
      countUnit: "images",
      signal,
      callbacks: [lossPoints("highway", kind, 4), { onEpochEnd: (_e, logs) => void (last = logs["loss"] ?? NaN) }],
    });
    if (history.aborted) return "";
    finals.push(`${kind} ${last.toFixed(3)}`);
  }
  return `training loss after ${req.epochs} epoch${req.epochs === 1 ? "" : "s"} at depth ${req.depth}: ${finals.join(", ")}`;
}

async function forecast(req: Request<"forecast">, signal: AbortSignal): Promise<string> {
  const config: ForecastConfig = { ...FORECAST_DEFAULTS, cell: req.cell, numEpochs: req.epochs, dataPath: "data/co2-concentration.csv" };
  const series = parseMonthlyCsv(req.csv, "CO2", config.dataPath);
  const split = splitSeries(series, config.holdout, config.window, config.horizon);
  manualSeed(config.seed);
  const model = new Forecaster({ cell: config.cell, hiddenSize: config.hiddenSize, numLayers: config.numLayers, horizon: config.horizon });
  const history = await fitLoop(model, {
    data: tensorLoader(trainingWindows(split, config.window, config.horizon), { batchSize: config.batchSize, shuffle: true, seed: config.seed }),
    epochs: config.numEpochs,
    optimizer: new Adam(model.parameters(), { lr: config.lr }),
    trainStep: mseStep("forecast experiment", model),
    clipNorm: config.clip,
    countUnit: "windows",
    signal,
    callbacks: [{ onEpochEnd: (epoch, logs) => post({ type: "point", experiment: "forecast", series: config.cell.toUpperCase(), x: epoch, y: logs["loss"] ?? NaN }) }],
  });
  if (history.aborted) return "";
  const results = evaluateForecaster(model, split, config);
  const mae = (method: string): string => (results.scores[method]?.[config.horizon - 1]?.mae ?? NaN).toFixed(2);
  const summary = `12 months ahead, mean absolute error over the held-out origins (ppm): ${config.cell.toUpperCase()} recursive ${mae("recursive")}, direct ${mae("direct")}; seasonal naive + drift ${mae("seasonalNaiveDrift")}, linear trend + seasonality ${mae("linearTrendSeasonal")}`;
  post({ type: "forecast", series: forecastPlotSeries(model, split, config), summary });
  return summary;
}

async function run(req: Exclude<ToExperiments, { type: "stop" }>, signal: AbortSignal): Promise<void> {
  await ready;
  const started = performance.now();
  let summary: string;
  try {
    summary = req.type === "memory" ? await memory(req, signal) : req.type === "highway" ? await highway(req, signal) : await forecast(req, signal);
  } catch (err) {
    post({ type: "error", experiment: req.type, message: err instanceof Error ? err.message : String(err) });
    return;
  }
  post({ type: "done", experiment: req.type, seconds: (performance.now() - started) / 1000, aborted: signal.aborted, summary });
}

self.onmessage = (e: MessageEvent<ToExperiments>) => {
  const msg = e.data;
  controller?.abort();
  if (msg.type === "stop") return;
  const c = new AbortController();
  controller = c;
  void run(msg, c.signal);
};
