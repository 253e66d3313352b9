/**
 * Training a character language model end to end on the shared training loop (train/fit.ts),
 * into a run folder: the task supplies the corpus and vocabulary, the model, SGD or Adam, its
 * step (step.ts) and its files (config.json, vocab.json); the loop's callbacks write
 * metrics.jsonl, perplexity.svg/.png and the checkpoints (every `checkpointEvery` epochs, the
 * last few kept, and final.*), and print progress.
 *
 * Resuming restores everything an uninterrupted run would still have in memory at the
 * checkpoint: weights, optimiser state, both RNG streams ("global" for the initialisation,
 * "sampler" for the minibatches), the epoch and the metrics. The sequential sampler's hidden
 * state needs no saving, since it restarts at zero every epoch. So a resumed run on the same
 * backend ends with bit-identical weights.
 */
import { existsSync } from "node:fs";
import { loadCorpus } from "../../data/text/corpus.js";
import { SeqDataLoader } from "../../data/text/loader.js";
import type { Vocab } from "../../data/text/vocab.js";
import { getBackend } from "../../backends/registry.js";
import { Adam } from "../../optim/adam.js";
import { SGD } from "../../optim/sgd.js";
import type { Optimizer } from "../../optim/optimizer.js";
import { Generator, manualSeed } from "../../tensor/random.js";
import { readCheckpointFrom, sha256Hex, type LoadedCheckpoint } from "../../train/checkpoint.js";
import { Checkpoint } from "../../train/callbacks/checkpoint.js";
import { MetricsLog } from "../../train/callbacks/metrics-log.js";
import { Plots } from "../../train/callbacks/plots.js";
import { ProgressCallback } from "../../train/callbacks/progress.js";
import { fitLoop } from "../../train/fit.js";
import { Progress, formatCount, type ProgressOptions } from "../../train/progress.js";
import { latestCheckpointRef } from "../../train/store/checkpoints.js";
import { FileStore } from "../../train/store/file-store.js";
import { configDifference as schemaDifference } from "../schema.js";
import { configToJson, describeModel, parseCharLMConfig, type CharLMConfig } from "./config.js";
import { toEpochMetrics, type EpochMetrics } from "./metrics.js";
import type { RNNLM } from "./model.js";
import { RunDir } from "./run-dir.js";
import { buildModel, checkVocabulary, readRunVocab, writeRunConfig, writeRunVocab } from "./run-files.js";
import { CHARLM_SCHEMA } from "./schema.js";
import { charLMLoopOptions } from "./loop.js";

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
  /** Where progress goes (build it with CHARLM_PROGRESS for the usual columns). Default: nothing is printed. */
  progress?: Progress;
  /** Periodic checkpoints kept on disk. Default 3. */
  keepCheckpoints?: number;
  /** Stops training at the next batch boundary; the run keeps its last checkpoint and can be resumed. Default none. */
  signal?: AbortSignal;
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
  /** Path of final.json (not written when the run was aborted). */
  finalPath: string;
  /** The signal stopped the run before its last epoch. */
  aborted: boolean;
}

/** The first field (other than the ones a resume may change, per the task's schema) in which two configs differ. */
export function configDifference(a: CharLMConfig, b: CharLMConfig): string | null {
  return schemaDifference(CHARLM_SCHEMA, { ...a }, { ...b });
}

function makeOptimizer(config: CharLMConfig, model: RNNLM): Optimizer {
  return config.optimizer === "adam" ? new Adam(model.parameters(), { lr: config.lr }) : new SGD(model.parameters(), { lr: config.lr });
}

/** The char LM's progress lines, "loss 3.1842  ppl 24.149  23,720 tok/s", as ProgressOptions columns and rate. */
export const CHARLM_PROGRESS = {
  columns: [
    { key: "loss", label: "loss", digits: 4 },
    { key: "perplexity", label: "ppl", digits: 3 },
  ],
  rate: { unit: "tokens", label: "tok" },
} as const satisfies Pick<ProgressOptions, "columns" | "rate">;

export async function trainCharLM(opts: TrainCharLMOptions): Promise<TrainCharLMResult> {
  const { config } = opts;
  const progress = opts.progress ?? new Progress({ mode: "quiet", out: { write: () => true }, ...CHARLM_PROGRESS });
  const keep = opts.keepCheckpoints ?? 3;
  const digest = sha256Hex(new TextEncoder().encode(opts.text));
  if (digest !== config.textSha256) {
    throw new Error(`trainCharLM: the text ${config.textPath} has changed since the run started (SHA-256 ${digest.slice(0, 12)}... vs ${config.textSha256.slice(0, 12)}...)`);
  }
  const { corpus, vocab: builtVocab } = loadCorpus(opts.text, { token: "char", maxTokens: config.maxTokens });
  const loader = new SeqDataLoader(corpus, { batchSize: config.batchSize, numSteps: config.numSteps, sampler: config.sampler });

  const dir = opts.resume === true ? RunDir.open(opts.runDir) : RunDir.create(opts.runDir);
  const store = new FileStore(dir.path);
  let vocab = builtVocab;
  if (opts.resume === true) {
    dir.removeTempFiles();
    // config.json is written first; a run killed before its vocab.json was written gets the
    // vocabulary again from the text (it is a function of the text and the config).
    if (!existsSync(dir.vocabPath)) writeRunVocab(dir, builtVocab);
    vocab = readRunVocab(dir);
    if (JSON.stringify(vocab.idxToToken) !== JSON.stringify(builtVocab.idxToToken)) {
      throw new Error(`trainCharLM: ${dir.vocabPath} does not match the vocabulary of the text ${config.textPath}`);
    }
  } else {
    writeRunConfig(dir, config);
    writeRunVocab(dir, vocab);
  }

  // Same order of draws as a new run, so a run resumed before its first checkpoint is that run.
  manualSeed(config.seed);
  const model = buildModel(config, vocab.length);
  const optimizer = makeOptimizer(config, model);
  // Seeded apart from the initialisation so the two streams are not the same numbers.
  const samplerRng = new Generator((config.seed + 1) >>> 0);
  const backend = getBackend().name;

  progress.event(
    "start",
    { runDir: dir.path, config: configToJson(config), backend, resume: opts.resume === true },
    `${opts.resume === true ? "resuming" : "training"} ${describeModel(config)} on ${config.textPath} ` +
      `(${formatCount(corpus.length)} characters, vocabulary of ${vocab.length}), ${config.numEpochs} epochs, ` +
      `${config.optimizer.toUpperCase()} lr ${config.lr}, ${backend} backend -> ${dir.path}`,
  );
  const latest = opts.resume === true ? await latestCheckpointRef(store) : null;
  let resumeFrom: LoadedCheckpoint | null = null;
  if (latest !== null) {
    const ckpt = await readCheckpointFrom(store, latest.name);
    const saved = parseCharLMConfig(ckpt.meta.config, `checkpoint ${ckpt.path}: config`);
    const diff = configDifference(saved, config);
    if (diff !== null) throw new Error(`checkpoint ${ckpt.path} was written with another config (${diff})`);
    checkVocabulary(vocab, ckpt, dir.vocabPath);
    // The optimiser's options are saved beside the config; they must say the same, or the run
    // would silently continue with other settings than the ones it reports.
    const savedLr = ckpt.optimizer.options["lr"];
    if (ckpt.optimizer.kind.toLowerCase() !== config.optimizer || savedLr !== config.lr) {
      throw new Error(
        `checkpoint ${ckpt.path}: its optimiser state (${ckpt.optimizer.kind}, lr ${String(savedLr)}) does not match its config (${config.optimizer}, lr ${config.lr}); the file was edited`,
      );
    }
    if (ckpt.meta.epoch > config.numEpochs) {
      throw new Error(`run ${dir.path} is already at epoch ${ckpt.meta.epoch}, past the ${config.numEpochs} epochs asked for`);
    }
    resumeFrom = ckpt;
  } else if (opts.resume === true) {
    progress.event("resume", { epoch: 0, checkpoint: null }, `no checkpoint in ${dir.path} yet; starting it from the beginning`);
  }

  const title = `Perplexity: ${describeModel(config)}`;
  const history = await fitLoop(model, {
    ...charLMLoopOptions(config, model, optimizer, loader, samplerRng, vocab),
    store,
    resumeFrom,
    ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
    callbacks: [
      {
        // Runs once the checkpoint has been restored: a resume that fails leaves the folder as it was.
        onTrainBegin: (loop) => {
          if (opts.resume !== true) return;
          if (resumeFrom !== null) {
            progress.event("resume", { epoch: loop.initialEpoch, checkpoint: resumeFrom.path }, `resuming ${dir.path} after epoch ${loop.initialEpoch} (${resumeFrom.path})`);
            if (resumeFrom.meta.backend !== backend) {
              progress.event(
                "note",
                { message: `backend changed from ${resumeFrom.meta.backend} to ${backend}` },
                `note: the checkpoint was written with the ${resumeFrom.meta.backend} backend and training continues with ${backend}; the result may differ in the last bits from an uninterrupted run`,
              );
            }
          }
          writeRunConfig(dir, config);
        },
      },
      new ProgressCallback(progress),
      new MetricsLog(),
      new Plots({ metrics: ["perplexity"], every: config.checkpointEvery, title: () => title }),
      new Checkpoint({
        every: config.checkpointEvery,
        keep,
        onSave: ({ name, epoch, kind }) => {
          if (kind === "periodic") progress.event("checkpoint", { epoch, path: store.locate(name) }, `checkpoint ${store.locate(name)}`);
        },
      }),
    ],
    describeError: (epoch, err) => {
      progress.end();
      const hint = /not finite/.test(String(err)) ? " (training diverged; try a smaller learning rate)" : "";
      return new Error(`epoch ${epoch}: ${err instanceof Error ? err.message : String(err)}${hint}`, { cause: err });
    },
  });
  const metrics = history.history.map((row) => toEpochMetrics(row));
  return { model, vocab, config, metrics, runDir: dir, startEpoch: history.initialEpoch, finalPath: dir.finalPath, aborted: history.aborted };
}
