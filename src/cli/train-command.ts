/** `recurrent train charlm`: flags to a CharLMConfig, then trainCharLM with progress on stdout. */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { SAMPLER_KINDS } from "../tasks/charlm/config.js";
import {
  CELL_KINDS,
  OPTIMIZER_KINDS,
  resolveCharLMConfig,
  type CharLMConfig,
} from "../tasks/charlm/config.js";
import { trainCharLM, type TrainCharLMResult } from "../tasks/charlm/train.js";
import { readRunConfig } from "../tasks/charlm/run-files.js";
import { Progress, progressMode } from "../train/progress.js";
import { RunDir } from "../train/run-dir.js";
import { choice, guardParse, nonEmpty, nonNegativeInt, positiveInt, positiveNumber } from "./args.js";
import { BACKEND_NAMES, selectBackend } from "./backend.js";
import { DEFAULT_TEXT, timestamp } from "./defaults.js";
import { UsageError } from "./errors.js";
import { TRAIN_HELP } from "./help.js";
import type { CliIO } from "./io.js";
import { readTextFile } from "./text-file.js";

const OPTIONS = {
  cell: { type: "string" },
  hidden: { type: "string" },
  layers: { type: "string" },
  bidirectional: { type: "boolean" },
  embed: { type: "string" },
  text: { type: "string" },
  "max-tokens": { type: "string" },
  batch: { type: "string" },
  steps: { type: "string" },
  sampler: { type: "string" },
  epochs: { type: "string" },
  optimizer: { type: "string" },
  lr: { type: "string" },
  clip: { type: "string" },
  seed: { type: "string" },
  out: { type: "string" },
  resume: { type: "string" },
  "checkpoint-every": { type: "string" },
  backend: { type: "string" },
  json: { type: "boolean" },
  quiet: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Config fields set by flags, each with the flag that sets it (for messages). */
type FlagFields = Partial<Omit<CharLMConfig, "textPath" | "textSha256">>;
const FLAG_OF: Record<keyof FlagFields, string> = {
  cell: "--cell",
  hiddenSize: "--hidden",
  numLayers: "--layers",
  bidirectional: "--bidirectional",
  embedSize: "--embed",
  batchSize: "--batch",
  numSteps: "--steps",
  numEpochs: "--epochs",
  lr: "--lr",
  clip: "--clip",
  sampler: "--sampler",
  maxTokens: "--max-tokens",
  optimizer: "--optimizer",
  seed: "--seed",
  checkpointEvery: "--checkpoint-every",
};

/** What a run needs besides the config: where it goes and how it reports. */
export interface TrainRunSettings {
  json?: boolean;
  quiet?: boolean;
  backend?: (typeof BACKEND_NAMES)[number];
  /** The backend of the checkpoint being resumed, used when --backend is not given. */
  preferredBackend?: (typeof BACKEND_NAMES)[number];
  /** Leave the closing summary to the caller (`start` prints its own, with generated text). */
  noSummary?: boolean;
}

export function runTrain(args: string[], io: CliIO): number {
  const { values: v, positionals } = guardParse("train", () => parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true }));
  if (v.help === true) {
    io.stdout.write(TRAIN_HELP);
    return 0;
  }
  const task = positionals[0];
  if (task === undefined) throw new UsageError(`which task? the one there is: recurrent train charlm (see recurrent train --help)`);
  if (task !== "charlm") throw new UsageError(`unknown task ${JSON.stringify(task)}; the one there is: charlm`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])} (see recurrent train --help)`);

  const fields: FlagFields = {
    cell: choice("--cell", v.cell, CELL_KINDS),
    hiddenSize: positiveInt("--hidden", v.hidden),
    numLayers: positiveInt("--layers", v.layers),
    bidirectional: v.bidirectional,
    embedSize: nonNegativeInt("--embed", v.embed),
    batchSize: positiveInt("--batch", v.batch),
    numSteps: positiveInt("--steps", v.steps),
    numEpochs: positiveInt("--epochs", v.epochs),
    lr: positiveNumber("--lr", v.lr),
    clip: positiveNumber("--clip", v.clip),
    sampler: choice("--sampler", v.sampler, SAMPLER_KINDS),
    maxTokens: nonNegativeInt("--max-tokens", v["max-tokens"]),
    optimizer: choice("--optimizer", v.optimizer, OPTIMIZER_KINDS),
    seed: nonNegativeInt("--seed", v.seed, 0xffffffff),
    checkpointEvery: positiveInt("--checkpoint-every", v["checkpoint-every"]),
  };
  const backend = choice("--backend", v.backend, BACKEND_NAMES);
  const text = nonEmpty("--text", v.text);
  const out = nonEmpty("--out", v.out);
  const resumeDir = nonEmpty("--resume", v.resume);
  const settings: TrainRunSettings = { json: v.json, quiet: v.quiet, backend };

  if (resumeDir !== undefined) {
    if (out !== undefined && resolve(out) !== resolve(resumeDir)) {
      throw new UsageError(`--out ${out} and --resume ${resumeDir} name different folders; a resumed run stays in its folder`);
    }
    resumeCharLM(resumeDir, fields, text, settings, io);
    return 0;
  }
  const runDir = out ?? join("runs", `charlm-${fields.cell ?? "lstm"}-${timestamp()}`);
  startCharLM(runDir, fields, text ?? DEFAULT_TEXT, settings, io);
  return 0;
}

/** Trains a new run in `runDir` (which must not hold files); shared with `recurrent start`. */
export function startCharLM(runDir: string, fields: FlagFields, textPath: string, settings: TrainRunSettings, io: CliIO): TrainCharLMResult {
  refuseExistingRun(runDir);
  const file = readTextFile(textPath);
  const config = resolveCharLMConfig({ ...fields, textPath: resolve(textPath), textSha256: file.sha256 });
  return execute(runDir, config, file.text, false, settings, io);
}

function resumeCharLM(runDir: string, fields: FlagFields, textPath: string | undefined, settings: TrainRunSettings, io: CliIO): TrainCharLMResult {
  const saved = readRunConfig(RunDir.open(runDir));
  for (const key of Object.keys(fields) as (keyof FlagFields)[]) {
    const value = fields[key];
    if (value === undefined || key === "numEpochs" || key === "checkpointEvery") continue;
    if (value !== saved[key]) {
      throw new UsageError(
        `${FLAG_OF[key]} ${String(value)} differs from the run's ${String(saved[key])}; a resumed run keeps its settings (only --epochs, --checkpoint-every and --text may change)`,
      );
    }
  }
  const config: CharLMConfig = {
    ...saved,
    numEpochs: fields.numEpochs ?? saved.numEpochs,
    checkpointEvery: fields.checkpointEvery ?? saved.checkpointEvery,
    textPath: textPath !== undefined ? resolve(textPath) : saved.textPath,
  };
  const file = readTextFile(config.textPath);
  return execute(runDir, config, file.text, true, { ...settings, preferredBackend: savedBackend(runDir) }, io);
}

function execute(runDir: string, config: CharLMConfig, text: string, resume: boolean, settings: TrainRunSettings, io: CliIO): TrainCharLMResult {
  const mode = progressMode({ json: settings.json, quiet: settings.quiet, isTTY: io.stdout.isTTY });
  const progress = new Progress({ mode, out: io.stdout });
  selectBackend(settings.backend, (m) => io.stderr.write(`recurrent train: ${m}\n`), settings.preferredBackend);
  const result = trainCharLM({ config, text, runDir, resume, progress });
  const last = result.metrics[result.metrics.length - 1];
  const ppl = last?.perplexity ?? NaN;
  const fields = {
    runDir: result.runDir.path,
    epochs: config.numEpochs,
    perplexity: ppl,
    tokensPerSecond: last?.tokensPerSecond ?? NaN,
    checkpoint: result.finalPath,
    plot: result.runDir.plotSvgPath,
  };
  if (settings.noSummary === true) return result;
  if (mode === "quiet") io.stdout.write(`perplexity ${ppl.toFixed(3)}  run ${result.runDir.path}\n`);
  progress.event(
    "done",
    fields,
    `done: perplexity ${ppl.toFixed(3)} after ${config.numEpochs} epochs\n` +
      `  checkpoint ${result.finalPath}\n  plot       ${result.runDir.plotSvgPath} (and .png)\n  metrics    ${result.runDir.metricsPath}`,
  );
  return result;
}

/** A folder that already holds files is another run's: refuse it before anything is written. */
function refuseExistingRun(runDir: string): void {
  if (!existsSync(runDir)) return;
  if (!statSync(runDir).isDirectory()) throw new UsageError(`--out ${runDir} is a file, not a folder`);
  if (readdirSync(runDir).length > 0) {
    throw new UsageError(`--out ${runDir} already holds files (an earlier run?); continue it with --resume ${runDir}, or choose another --out`);
  }
}

/** The backend that wrote the run's latest checkpoint, so a resumed run continues on the same kernels. */
function savedBackend(runDir: string): (typeof BACKEND_NAMES)[number] | undefined {
  try {
    const latest = RunDir.open(runDir).latest();
    if (latest === null) return undefined;
    const meta: unknown = JSON.parse(readFileSync(latest.path, "utf8"));
    const name = typeof meta === "object" && meta !== null && "backend" in meta ? meta.backend : undefined;
    return BACKEND_NAMES.find((b) => b === name);
  } catch {
    // A broken checkpoint is reported, with its name, when training reads it.
    return undefined;
  }
}
