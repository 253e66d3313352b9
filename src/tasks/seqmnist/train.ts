/**
 * Sequential Fashion-MNIST end to end: read the data, build the row-by-row classifier, train it
 * on the shared loop into a run folder (config.json, metrics.jsonl, loss/accuracy plots,
 * checkpoints, final.*), then score the final model on the test set (written to test.json).
 */
import { getBackend } from "../../backends/registry.js";
import { manualSeed } from "../../tensor/random.js";
import { formatCount } from "../../train/progress.js";
import type { TaskConfig, TaskRunContext, TaskRunResult } from "../task.js";
import { FASHION_CLASSES } from "./classes.js";
import { join } from "node:path";
import { Linear } from "../../nn/layers/linear.js";
import type { ImageSet } from "../../data/idx/images.js";
import { FileStore } from "../../train/store/file-store.js";
import { booleanField, choiceField, numberField, stringField } from "./config.js";
import { loadFashionMnist } from "./data.js";
import { SEQ_CELLS, SeqClassifier } from "./model.js";
import { openRunFolder, readRunConfig, checkpointToScore } from "../run-folder.js";
import { scoreClassifier, trainClassifier } from "./run.js";
import { SEQMNIST_SCHEMA } from "./schema.js";
import { imageDataset, splitTail } from "./tensors.js";

/** The classifier a config describes (weights from the global generator). */
export function buildSeqClassifier(config: TaskConfig): SeqClassifier {
  return new SeqClassifier({
    cell: choiceField(config, "cell", SEQ_CELLS),
    inputSize: 28,
    hiddenSize: numberField(config, "hiddenSize"),
    numLayers: numberField(config, "numLayers"),
    numClasses: FASHION_CLASSES.length,
  });
}

function describe(config: TaskConfig): string {
  return `${stringField(config, "cell").toUpperCase()}(${numberField(config, "hiddenSize")}) x ${numberField(config, "numLayers")}`;
}

/** Trains (or resumes) a seqmnist run; see the module comment. */
export async function trainSeqMnist(config: TaskConfig, ctx: TaskRunContext): Promise<TaskRunResult> {
  const dir = stringField(config, "dataDir");
  const trainSize = numberField(config, "trainSize");
  const valSize = numberField(config, "valSize");
  const all = loadFashionMnist("train", dir, trainSize + valSize);
  const [trainSet, valSet] = valSize > 0 ? splitTail(all, valSize) : [all, null];
  const { store, resumeFrom } = await openRunFolder(SEQMNIST_SCHEMA, ctx.runDir, config, ctx.resume);

  manualSeed(numberField(config, "seed"));
  const model = buildSeqClassifier(config);
  const epochs = numberField(config, "epochs");
  ctx.progress.event(
    "start",
    { runDir: ctx.runDir, config, backend: getBackend().name, resume: ctx.resume },
    `${ctx.resume ? "resuming" : "training"} ${describe(config)} on ${formatCount(trainSet.count)} Fashion-MNIST images read row by row ` +
      `(${valSet === null ? "no validation" : `${formatCount(valSet.count)} held out`}), ${epochs} epochs, ${getBackend().name} backend -> ${ctx.runDir}`,
  );
  const history = await trainClassifier({
    model,
    train: imageDataset(trainSet, "rows"),
    ...(valSet !== null ? { validation: imageDataset(valSet, "rows") } : {}),
    store,
    epochs,
    batchSize: numberField(config, "batchSize"),
    lr: numberField(config, "lr"),
    clip: numberField(config, "clip"),
    seed: numberField(config, "seed") + 1,
    config,
    resumeFrom,
    progress: ctx.progress,
    ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}),
    checkpointEvery: numberField(config, "checkpointEvery"),
    title: `Fashion-MNIST row by row, ${describe(config)}`,
  });
  const last = history.history[history.history.length - 1];
  const summary: Record<string, number> = {};
  for (const [k, v] of Object.entries(last ?? {})) if (k === "loss" || k === "accuracy" || k.startsWith("val_")) summary[`train.${k}`.replace("train.val_", "val.")] = v;
  const files: Record<string, string> = { metrics: store.locate("metrics.jsonl"), plot: store.locate("loss.svg") };
  if (!history.aborted) {
    const test = await testScore(config, model);
    summary["test.loss"] = test.loss;
    summary["test.accuracy"] = test.accuracy;
    await store.write("test.json", `${JSON.stringify({ epoch: last?.epoch ?? 0, ...test }, null, 2)}\n`);
    files["checkpoint"] = store.locate("final.json");
    if (booleanField(config, "baseline") && !ctx.resume) {
      const base = await trainBaseline(config, trainSet, ctx);
      summary["baseline.test.loss"] = base.loss;
      summary["baseline.test.accuracy"] = base.accuracy;
      files["baseline"] = join(ctx.runDir, "baseline");
    }
  }
  return { runDir: ctx.runDir, aborted: history.aborted, summary, files };
}

/**
 * The comparison model: multinomial logistic regression on the 784 pixels (a Linear layer and
 * softmax), trained with the same data, epochs, batch size, optimiser and clipping as the
 * recurrent model, into <run>/baseline/ (without validation). Returns its test loss and accuracy.
 */
async function trainBaseline(config: TaskConfig, trainSet: ImageSet, ctx: TaskRunContext): Promise<{ loss: number; accuracy: number }> {
  manualSeed(numberField(config, "seed"));
  const model = new Linear({ inFeatures: trainSet.rows * trainSet.cols, outFeatures: FASHION_CLASSES.length });
  ctx.progress.event("note", { message: "baseline" }, `baseline: linear softmax classifier on flat pixels, same budget -> ${join(ctx.runDir, "baseline")}`);
  const history = await trainClassifier({
    model,
    train: imageDataset(trainSet, "flat"),
    store: new FileStore(join(ctx.runDir, "baseline")),
    epochs: numberField(config, "epochs"),
    batchSize: numberField(config, "batchSize"),
    lr: numberField(config, "lr"),
    clip: numberField(config, "clip"),
    seed: numberField(config, "seed") + 1,
    config: { ...config, model: "linear" },
    progress: ctx.progress,
    ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}),
    checkpointEvery: numberField(config, "epochs"),
    title: "Fashion-MNIST, linear softmax baseline",
  });
  if (history.aborted) return { loss: NaN, accuracy: NaN };
  const testSize = numberField(config, "testSize");
  const set = loadFashionMnist("test", stringField(config, "dataDir"), testSize === 0 ? undefined : testSize);
  return scoreClassifier(model, imageDataset(set, "flat"));
}

async function testScore(config: TaskConfig, model: SeqClassifier): Promise<{ loss: number; accuracy: number; count: number }> {
  const testSize = numberField(config, "testSize");
  const set = loadFashionMnist("test", stringField(config, "dataDir"), testSize === 0 ? undefined : testSize);
  return { ...(await scoreClassifier(model, imageDataset(set, "rows"))), count: set.count };
}

/** The run's model with the weights of its final (else latest) checkpoint. */
export async function loadSeqMnistModel(runDir: string): Promise<{ model: SeqClassifier; config: TaskConfig; epoch: number }> {
  const config = readRunConfig(SEQMNIST_SCHEMA, runDir);
  const ckpt = await checkpointToScore(runDir);
  const model = buildSeqClassifier(config);
  model.loadStateDict(ckpt.params);
  return { model, config, epoch: ckpt.meta.epoch };
}

/** Test loss and accuracy of a run's final (else latest) checkpoint. */
export async function evaluateSeqMnist(runDir: string): Promise<Record<string, number>> {
  const { model, config, epoch } = await loadSeqMnistModel(runDir);
  const test = await testScore(config, model);
  return { epoch, "test.loss": test.loss, "test.accuracy": test.accuracy, "test.count": test.count };
}
