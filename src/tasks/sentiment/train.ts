/**
 * The sentiment experiment end to end. For each recurrent model (LSTM, GRU, BiLSTM) and each
 * seed, and for the bag-of-words logistic regression with the same seeds, one run on the shared
 * loop into its own sub-folder (`lstm-seed0/`, `bow-seed0/`, ...: metrics.jsonl, loss and
 * accuracy plots, checkpoints, final.*), validation scored after every epoch, then the final
 * model scored on the test part. The run folder gets config.json, vocab.json, results.json
 * (every run's scores and the mean ± standard deviation per model, next to the majority class)
 * and loss.svg/.png and accuracy.svg/.png (per model, the mean over seeds per epoch).
 *
 * A seed s seeds the global generator (initialisation and dropout) and the shuffling (s + 1).
 * A resumed run continues each sub-run from its own latest checkpoint; finished ones are read
 * back, not retrained.
 */
import { join } from "node:path";
import { getBackend } from "../../backends/registry.js";
import { padCollate, type PaddedBatch } from "../../data/collate.js";
import type { SequenceDataset } from "../../data/dataset.js";
import { DataLoader, tensorLoader } from "../../data/loader.js";
import type { SequenceExample } from "../../data/dataset.js";
import { Vocab } from "../../data/text/vocab.js";
import { crossEntropy } from "../../losses/cross-entropy.js";
import { Linear } from "../../nn/layers/linear.js";
import { manualSeed } from "../../tensor/random.js";
import { Tensor } from "../../tensor/tensor.js";
import { evaluate } from "../../train/api.js";
import type { StepFn } from "../../train/fit.js";
import { Accuracy } from "../../train/metric.js";
import { readJson } from "../../train/store/store.js";
import { latestCheckpoint } from "../../train/store/checkpoints.js";
import { FileStore } from "../../train/store/file-store.js";
import { numberField, stringField } from "../seqmnist/config.js";
import { openRunFolder, readRunConfig } from "../run-folder.js";
import { classifierStep, fitClassifier, trainClassifier } from "../seqmnist/run.js";
import type { TaskConfig, TaskRunContext, TaskRunResult } from "../task.js";
import { SENTIMENT_DIR, loadSentimentData, type SentimentData } from "./data.js";
import { BinaryF1 } from "./f1.js";
import { SENTIMENT_MODELS, SentimentClassifier, type SentimentModelKind } from "./model.js";
import { writeSentimentPlots } from "./plots.js";
import { summarizeResults, type JobResult, type SentimentResults } from "./results.js";
import { SENTIMENT_SCHEMA, parseModels } from "./schema.js";
import { PAD } from "./text.js";

/** The config with the shipped data folder filled in when --data was not given. */
export function withDataDir(config: TaskConfig): TaskConfig {
  return { ...config, dataDir: config["dataDir"] ?? SENTIMENT_DIR };
}

/** The recurrent model `kind` for a config and vocabulary (weights drawn from the global generator). */
export function buildSentimentModel(config: TaskConfig, kind: SentimentModelKind, vocab: Vocab): SentimentClassifier {
  const dropout = numberField(config, "dropout");
  if (dropout >= 1) throw new Error(`sentiment: --dropout must be below 1, got ${dropout}`);
  return new SentimentClassifier({
    kind,
    vocabSize: vocab.length,
    padIndex: vocab.indexOf(PAD),
    embedSize: numberField(config, "embedSize"),
    hiddenSize: numberField(config, "hiddenSize"),
    dropout,
  });
}

/** Cross-entropy of the classifier's logits on a padded batch, the lengths passed to the recurrent layer. */
export function sentimentStep(model: SentimentClassifier): StepFn<PaddedBatch> {
  return (_ctx, b) => {
    const [B, T] = [b.x.shape[0]!, b.x.shape[1]!];
    const output = model.forward(new Tensor(b.x.data, [B, T]), b.lengths);
    const target = new Tensor(b.y.data, [B]);
    return { loss: crossEntropy(output, target.data), output, target };
  };
}

/** Padded batches of token-id sequences (padding with `<pad>`), shuffled by `seed` when asked. */
export function sequenceLoader(data: SequenceDataset, vocab: Vocab, batchSize: number, shuffle = false, seed = 0): DataLoader<SequenceExample, PaddedBatch> {
  return new DataLoader(data, { batchSize, shuffle, seed, collate: padCollate({ padValue: vocab.indexOf(PAD) }) });
}

/** What one sub-run trains: a recurrent model on sequences, or the logistic regression on bags of words. */
interface Job {
  name: string;
  model: SentimentModelKind | "bow";
  seed: number;
}

function jobsOf(config: TaskConfig): Job[] {
  const first = numberField(config, "seed");
  const seeds = Array.from({ length: numberField(config, "seeds") }, (_, k) => first + k);
  const jobs: Job[] = [];
  for (const model of [...parseModels(stringField(config, "models")), "bow" as const]) for (const seed of seeds) jobs.push({ name: `${model}-seed${seed}`, model, seed });
  return jobs;
}

/** A job's model, freshly initialised from its seed. */
function buildJobModel(config: TaskConfig, job: Job, vocab: Vocab): SentimentClassifier | Linear {
  manualSeed(job.seed);
  return job.model === "bow" ? new Linear({ inFeatures: vocab.length, outFeatures: 2 }) : buildSentimentModel(config, job.model, vocab);
}

const metrics = (): [Accuracy, BinaryF1] => [new Accuracy(), new BinaryF1()];

/** Loss, accuracy and F1 of a job's model on one part of the data. */
async function score(model: SentimentClassifier | Linear, data: SentimentData, part: "val" | "test", batchSize: number): Promise<{ loss: number; accuracy: number; f1: number }> {
  const logs =
    model instanceof SentimentClassifier
      ? await evaluate(model, sequenceLoader(data.sequences[part], data.vocab, batchSize), { trainStep: sentimentStep(model), metrics: metrics() })
      : await evaluate(model, tensorLoader(data.bags[part], { batchSize: 500 }), { trainStep: classifierStep(model), metrics: metrics() });
  return { loss: logs["loss"] ?? NaN, accuracy: logs["accuracy"] ?? NaN, f1: logs["f1"] ?? NaN };
}

async function runJob(job: Job, config: TaskConfig, data: SentimentData, ctx: TaskRunContext): Promise<JobResult | null> {
  const store = new FileStore(join(ctx.runDir, job.name));
  const model = buildJobModel(config, job, data.vocab);
  const resumeFrom = ctx.resume ? await latestCheckpoint(store) : null;
  const batchSize = numberField(config, "batchSize");
  ctx.progress.event("note", { message: job.name }, `${job.name}: ${model.numParameters().toLocaleString("en-US")} parameters -> ${store.locate("")}`);
  const start = performance.now();
  const common = {
    store,
    epochs: numberField(config, "epochs"),
    lr: numberField(config, "lr"),
    clip: numberField(config, "clip"),
    config: { ...config, run: job.name },
    resumeFrom,
    progress: ctx.progress,
    ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}),
    checkpointEvery: numberField(config, "checkpointEvery"),
    title: job.model === "bow" ? `Bag-of-words logistic regression, seed ${job.seed}` : `${job.model.toUpperCase()} sentiment classifier, seed ${job.seed}`,
    metrics: metrics(),
  };
  const history =
    model instanceof SentimentClassifier
      ? await fitClassifier({
          ...common,
          model,
          data: sequenceLoader(data.sequences.train, data.vocab, batchSize, true, job.seed + 1),
          step: sentimentStep(model),
          validation: sequenceLoader(data.sequences.val, data.vocab, batchSize),
        })
      : await trainClassifier({ ...common, model, train: data.bags.train, validation: data.bags.val, batchSize, seed: job.seed + 1 });
  if (history.aborted) return null;
  const test = await score(model, data, "test", batchSize);
  return {
    name: job.name,
    model: job.model,
    seed: job.seed,
    parameters: model.numParameters(),
    epochs: history.history.length,
    seconds: (performance.now() - start) / 1000,
    losses: history.history.map((r) => r["loss"] ?? NaN),
    valAccuracies: history.history.map((r) => r["val_accuracy"] ?? NaN),
    val: { loss: history.history.at(-1)?.["val_loss"] ?? NaN, accuracy: history.history.at(-1)?.["val_accuracy"] ?? NaN, f1: history.history.at(-1)?.["val_f1"] ?? NaN },
    test,
  };
}

/** Trains (or resumes) the sentiment experiment; see the module comment. */
export async function trainSentiment(given: TaskConfig, ctx: TaskRunContext): Promise<TaskRunResult> {
  const config = withDataDir(given);
  const jobs = jobsOf(config);
  const data = loadSentimentData(config);
  const { store } = await openRunFolder(SENTIMENT_SCHEMA, ctx.runDir, config, ctx.resume);
  if (!(await store.exists("vocab.json"))) await store.write("vocab.json", `${JSON.stringify(data.vocab.toJSON())}\n`);
  const { train, val, test } = data.split;
  ctx.progress.event(
    "start",
    { runDir: ctx.runDir, config, backend: getBackend().name, resume: ctx.resume },
    `${ctx.resume ? "resuming" : "training"} ${jobs.length} runs (${[...new Set(jobs.map((j) => j.model))].join(", ")} x ${numberField(config, "seeds")} seeds) on ` +
      `${train.length}/${val.length}/${test.length} train/val/test sentences, vocabulary ${data.vocab.length}, ${numberField(config, "epochs")} epochs each, ${getBackend().name} backend -> ${ctx.runDir}`,
  );
  const started = performance.now();
  const done: JobResult[] = [];
  for (const job of jobs) {
    const r = await runJob(job, config, data, ctx);
    if (r === null) return { runDir: ctx.runDir, aborted: true, summary: {}, files: {} };
    done.push(r);
  }
  const results = summarizeResults(done, data, (performance.now() - started) / 1000);
  await store.write("results.json", `${JSON.stringify(results, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2)}\n`);
  const files: Record<string, string> = { results: store.locate("results.json"), ...(await writeSentimentPlots(store, results)) };
  return { runDir: ctx.runDir, aborted: false, summary: summaryNumbers(results), files };
}

/** The numbers printed at the end of a run and by evaluate: per model, test accuracy and F1 as mean and std. */
export function summaryNumbers(results: SentimentResults): Record<string, number> {
  const out: Record<string, number> = { "majority.test.accuracy": results.majority.accuracy, "majority.test.f1": results.majority.f1 };
  for (const m of results.models) {
    out[`${m.model}.test.accuracy.mean`] = m.accuracy.mean;
    out[`${m.model}.test.accuracy.std`] = m.accuracy.std;
    out[`${m.model}.test.f1.mean`] = m.f1.mean;
    out[`${m.model}.test.f1.std`] = m.f1.std;
  }
  return out;
}

/** A run folder's config and vocabulary, checked (the vocabulary must be the one its data and config give). */
export async function openSentimentRun(runDir: string): Promise<{ config: TaskConfig; vocab: Vocab; store: FileStore }> {
  const config = readRunConfig(SENTIMENT_SCHEMA, runDir);
  const store = new FileStore(runDir);
  if (!(await store.exists("vocab.json"))) throw new Error(`sentiment run ${runDir}: no vocab.json (not a sentiment run folder, or one interrupted before training began)`);
  let vocab: Vocab;
  try {
    vocab = Vocab.fromJSON(await readJson(store, "vocab.json"));
  } catch (err) {
    throw new Error(`sentiment run ${runDir}: vocab.json: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { config, vocab, store };
}

/** A trained sub-run's model (`lstm-seed0`, ...) from its final, else latest, checkpoint. */
export async function loadSentimentModel(runDir: string, name: string, config: TaskConfig, vocab: Vocab): Promise<{ model: SentimentClassifier; epoch: number }> {
  const kind = name.split("-")[0];
  const model = SENTIMENT_MODELS.find((m) => m === kind);
  if (model === undefined) throw new Error(`sentiment run ${runDir}: ${name} is not a recurrent model's run`);
  const ckpt = await latestCheckpoint(new FileStore(join(runDir, name)));
  if (ckpt === null) throw new Error(`sentiment run ${runDir}: ${name} has no checkpoint yet`);
  const m = buildSentimentModel(config, model, vocab);
  m.loadStateDict(ckpt.params);
  m.eval();
  return { model: m, epoch: ckpt.meta.epoch };
}

/** Test scores of every sub-run's final (else latest) checkpoint, and the mean per model. */
export async function evaluateSentiment(runDir: string): Promise<Record<string, number>> {
  const { config } = await openSentimentRun(runDir);
  const data = loadSentimentData(config);
  const out: Record<string, number> = {};
  const byModel = new Map<string, number[]>();
  for (const job of jobsOf(config)) {
    const ckpt = await latestCheckpoint(new FileStore(join(runDir, job.name)));
    if (ckpt === null) continue;
    const model = buildJobModel(config, job, data.vocab);
    model.loadStateDict(ckpt.params);
    const test = await score(model, data, "test", numberField(config, "batchSize"));
    out[`${job.name}.epoch`] = ckpt.meta.epoch;
    out[`${job.name}.test.accuracy`] = test.accuracy;
    out[`${job.name}.test.f1`] = test.f1;
    byModel.set(job.model, [...(byModel.get(job.model) ?? []), test.accuracy]);
  }
  if (Object.keys(out).length === 0) throw new Error(`sentiment run ${runDir} has no checkpoint yet`);
  for (const [model, accs] of byModel) out[`${model}.test.accuracy.mean`] = accs.reduce((a, b) => a + b, 0) / accs.length;
  return out;
}

