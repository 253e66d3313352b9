/**
 * Training a character language model end to end, into a run folder (see train/run-dir.ts):
 * corpus and vocabulary from the text, the model, SGD or Adam, `trainEpoch` per epoch, the
 * metrics log after every epoch, a checkpoint every `checkpointEvery` epochs (the last few kept)
 * and at the end, and the perplexity plot.
 *
 * Resuming restores everything an uninterrupted run would still have in memory at the
 * checkpoint: weights, optimiser state, both RNG streams, the epoch and the metrics. The
 * sequential sampler's hidden state needs no saving, since it restarts at zero every epoch. So
 * a resumed run on the same backend ends with bit-identical weights.
 */
import { loadCorpus } from "../../data/text/corpus.js";
import { SeqDataLoader } from "../../data/text/loader.js";
import type { Vocab } from "../../data/text/vocab.js";
import { getBackend } from "../../backends/registry.js";
import { Adam } from "../../optim/adam.js";
import { SGD } from "../../optim/sgd.js";
import type { Optimizer } from "../../optim/optimizer.js";
import { Generator, globalGenerator, manualSeed } from "../../tensor/random.js";
import { readCheckpoint, sha256Hex, writeCheckpoint } from "../../train/checkpoint.js";
import type { EpochMetrics } from "../../train/metrics.js";
import { writeMetricsLog } from "../../train/metrics-log.js";
import { writePerplexityPlots } from "../../train/plot.js";
import { Progress, formatCount } from "../../train/progress.js";
import { RunDir } from "../../train/run-dir.js";
import { configToJson, describeModel, parseCharLMConfig, type CharLMConfig } from "./config.js";
import { trainEpoch } from "./epoch.js";
import type { RNNLM } from "./model.js";
import { buildModel, loadWeights, readRunVocab, writeRunConfig, writeRunVocab } from "./run-files.js";

export interface TrainCharLMOptions {
  /** The run's configuration (see resolveCharLMConfig, or readRunConfig for a resumed run). */
  config: CharLMConfig;
  /** The training text; its SHA-256 must equal config.textSha256. */
  text: string;
  /** The run folder. */
  runDir: string;
  /**
   * Continue the run in `runDir` from its latest checkpoint (from scratch, inside that folder,
   * when it has none yet) instead of starting a new run in an empty folder. Default false.
   */
  resume?: boolean;
  /** Where progress goes. Default: nothing is printed. */
  progress?: Progress;
  /** Periodic checkpoints kept on disk. Default 3. */
  keepCheckpoints?: number;
}

export interface TrainCharLMResult {
  model: RNNLM;
  vocab: Vocab;
  config: CharLMConfig;
  /** Metrics of every epoch of the run, resumed ones included. */
  metrics: EpochMetrics[];
  runDir: RunDir;
  /** Epochs that were already done when this call started (0 for a new run). */
  startEpoch: number;
  /** Path of final.json. */
  finalPath: string;
}

/** Config fields a resumed run may change: how long to train and how often to checkpoint (and where the text now lives). */
const MAY_CHANGE_ON_RESUME = new Set<keyof CharLMConfig>(["numEpochs", "checkpointEvery", "textPath"]);

/** The first field (other than the ones a resume may change) in which two configs differ. */
export function configDifference(a: CharLMConfig, b: CharLMConfig): string | null {
  for (const key of Object.keys(a) as (keyof CharLMConfig)[]) {
    if (MAY_CHANGE_ON_RESUME.has(key)) continue;
    if (a[key] !== b[key]) return `${key} ${JSON.stringify(a[key])} vs ${JSON.stringify(b[key])}`;
  }
  return null;
}

function makeOptimizer(config: CharLMConfig, model: RNNLM): Optimizer {
  return config.optimizer === "adam" ? new Adam(model.parameters(), { lr: config.lr }) : new SGD(model.parameters(), { lr: config.lr });
}

export function trainCharLM(opts: TrainCharLMOptions): TrainCharLMResult {
  const { config } = opts;
  const progress = opts.progress ?? new Progress({ mode: "quiet", out: { write: () => true } });
  const keep = opts.keepCheckpoints ?? 3;
  const digest = sha256Hex(new TextEncoder().encode(opts.text));
  if (digest !== config.textSha256) {
    throw new Error(`trainCharLM: the text ${config.textPath} has changed since the run started (SHA-256 ${digest.slice(0, 12)}... vs ${config.textSha256.slice(0, 12)}...)`);
  }
  const { corpus, vocab: builtVocab } = loadCorpus(opts.text, { token: "char", maxTokens: config.maxTokens });
  const loader = new SeqDataLoader(corpus, { batchSize: config.batchSize, numSteps: config.numSteps, sampler: config.sampler });

  const dir = opts.resume === true ? RunDir.open(opts.runDir) : RunDir.create(opts.runDir);
  let vocab = builtVocab;
  if (opts.resume === true) {
    dir.removeTempFiles();
    vocab = readRunVocab(dir);
    if (JSON.stringify(vocab.idxToToken) !== JSON.stringify(builtVocab.idxToToken)) {
      throw new Error(`trainCharLM: ${dir.vocabPath} does not match the vocabulary of the text ${config.textPath}`);
    }
  } else {
    writeRunVocab(dir, vocab);
    writeRunConfig(dir, config);
  }

  // Same order of draws as a new run, so a run resumed before its first checkpoint is that run.
  manualSeed(config.seed);
  const model = buildModel(config, vocab.length);
  const optimizer = makeOptimizer(config, model);
  // Seeded apart from the initialisation so the two streams are not the same numbers.
  const samplerRng = new Generator((config.seed + 1) >>> 0);
  let metrics: EpochMetrics[] = [];
  let startEpoch = 0;
  const backend = getBackend().name;

  progress.event(
    "start",
    { runDir: dir.path, config: configToJson(config), backend, resume: opts.resume === true },
    `${opts.resume === true ? "resuming" : "training"} ${describeModel(config)} on ${config.textPath} ` +
      `(${formatCount(corpus.length)} characters, vocabulary of ${vocab.length}), ${config.numEpochs} epochs, ` +
      `${config.optimizer.toUpperCase()} lr ${config.lr}, ${backend} backend -> ${dir.path}`,
  );
  const latest = opts.resume === true ? dir.latest() : null;
  if (latest !== null) {
    const ckpt = readCheckpoint(latest.path);
    const saved = parseCharLMConfig(ckpt.meta.config, `checkpoint ${latest.path}: config`);
    const diff = configDifference(saved, config);
    if (diff !== null) throw new Error(`checkpoint ${latest.path} was written with another config (${diff})`);
    if (ckpt.meta.epoch > config.numEpochs) {
      throw new Error(`run ${dir.path} is already at epoch ${ckpt.meta.epoch}, past the ${config.numEpochs} epochs asked for`);
    }
    loadWeights(model, ckpt);
    try {
      optimizer.loadStateDict(ckpt.optimizer);
    } catch (err) {
      throw new Error(`checkpoint ${latest.path}: optimizer state does not fit: ${err instanceof Error ? err.message : String(err)}`);
    }
    globalGenerator.setState(ckpt.meta.rng.global);
    samplerRng.setState(ckpt.meta.rng.sampler);
    metrics = ckpt.meta.metrics;
    startEpoch = ckpt.meta.epoch;
    progress.event("resume", { epoch: startEpoch, checkpoint: latest.path }, `resuming ${dir.path} after epoch ${startEpoch} (${latest.path})`);
    if (ckpt.meta.backend !== backend) {
      progress.event(
        "note",
        { message: `backend changed from ${ckpt.meta.backend} to ${backend}` },
        `note: the checkpoint was written with the ${ckpt.meta.backend} backend and training continues with ${backend}; the result may differ in the last bits from an uninterrupted run`,
      );
    }
  } else if (opts.resume === true) {
    progress.event("resume", { epoch: 0, checkpoint: null }, `no checkpoint in ${dir.path} yet; starting it from the beginning`);
  }
  // Only now that the checkpoint has loaded: a resume that fails leaves the folder as it was.
  if (opts.resume === true) writeRunConfig(dir, config);

  const title = `Perplexity: ${describeModel(config)}`;
  const save = (stemDir: string, stem: string, epoch: number): string =>
    writeCheckpoint(stemDir, stem, {
      epoch,
      config: configToJson(config),
      params: model.stateDict(),
      optimizer: optimizer.stateDict(),
      rng: { global: globalGenerator.getState(), sampler: samplerRng.getState() },
      metrics,
      backend,
    });

  progress.begin(config.numEpochs, startEpoch);
  for (let epoch = startEpoch + 1; epoch <= config.numEpochs; epoch++) {
    progress.epochStart(epoch, loader.numBatches());
    let m: EpochMetrics;
    try {
      m = trainEpoch({
        model,
        loader,
        optimizer,
        clip: config.clip,
        rng: samplerRng,
        epoch,
        onBatch: (done, totals) => progress.batch(done, totals.perplexity(), totals.tokens),
      });
    } catch (err) {
      progress.end();
      const hint = /not finite/.test(String(err)) ? " (training diverged; try a smaller learning rate)" : "";
      throw new Error(`epoch ${epoch}: ${err instanceof Error ? err.message : String(err)}${hint}`, { cause: err });
    }
    metrics.push(m);
    progress.epochEnd(m);
    writeMetricsLog(dir.metricsPath, metrics);
    if (epoch === config.numEpochs) break;
    if (epoch % config.checkpointEvery === 0) {
      const path = save(dir.checkpointsDir, RunDir.periodicStem(epoch), epoch);
      dir.prune(keep);
      writePerplexityPlots(dir.plotSvgPath, dir.plotPngPath, metrics, title);
      progress.event("checkpoint", { epoch, path }, `checkpoint ${path}`);
    }
  }
  progress.end();
  // A run resumed from its own final checkpoint with nothing left to do rewrites the same state.
  writeMetricsLog(dir.metricsPath, metrics);
  const finalPath = save(dir.path, "final", config.numEpochs);
  writePerplexityPlots(dir.plotSvgPath, dir.plotPngPath, metrics, title);
  dir.prune(keep);
  return { model, vocab, config, metrics, runDir: dir, startEpoch, finalPath };
}
