/**
 * The char LM as a `TaskDefinition`: the same training (trainCharLM), run folder and flags as
 * before, behind the contract every task shares, plus an evaluation (perplexity of the trained
 * model over its text, state carried as in training) and generation as `predict`.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadCorpus } from "../../data/text/corpus.js";
import { SeqDataLoader } from "../../data/text/loader.js";
import { statePolicyFor } from "../../data/text/state-policy.js";
import { evaluateBatches } from "../../train/evaluate-batches.js";
import { Perplexity } from "../../train/metric.js";
import { sha256Hex } from "../../train/checkpoint.js";
import { Generator } from "../../tensor/random.js";
import type { TaskConfig, TaskDefinition, TaskRunContext, TaskRunResult } from "../task.js";
import { resolveCharLMConfigFrom, type CharLMConfig } from "./config.js";
import { predict } from "./generate.js";
import { inspectCharLM } from "./inspect.js";
import { loadCharLM, readRunConfig } from "./run-files.js";
import { RunDir } from "./run-dir.js";
import { CHARLM_DERIVED_FIELDS, CHARLM_SCHEMA } from "./schema.js";
import { charLMStep } from "./step.js";
import { CHARLM_PROGRESS, trainCharLM } from "./train.js";

/** The Time Machine as shipped in the package's data/ folder. */
export const CHARLM_DEFAULT_TEXT = fileURLToPath(new URL("../../../data/timemachine.txt", import.meta.url));

function readText(path: string): { text: string; sha256: string } {
  const text = readFileSync(path, "utf8");
  return { text, sha256: sha256Hex(new TextEncoder().encode(text)) };
}

async function train(config: TaskConfig, ctx: TaskRunContext): Promise<TaskRunResult> {
  const textPath = resolve(String(config["textPath"] ?? CHARLM_DEFAULT_TEXT));
  const file = readText(textPath);
  // A resumed run keeps the hash it started with, so an edited text is refused by trainCharLM.
  const sha = ctx.resume && typeof config["textSha256"] === "string" ? config["textSha256"] : file.sha256;
  const full: CharLMConfig = resolveCharLMConfigFrom({ ...config, textPath, textSha256: sha });
  const result = await trainCharLM({ config: full, text: file.text, runDir: ctx.runDir, resume: ctx.resume, progress: ctx.progress, ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}) });
  const last = result.metrics[result.metrics.length - 1];
  return {
    runDir: result.runDir.path,
    aborted: result.aborted,
    summary: last === undefined ? {} : { epoch: last.epoch, perplexity: last.perplexity },
    files: { checkpoint: result.finalPath, plot: result.runDir.plotSvgPath, metrics: result.runDir.metricsPath },
  };
}

/** Perplexity of the run's final (else latest) checkpoint over its training text, in one sequential pass. */
async function evaluate(runDir: string): Promise<Record<string, number>> {
  const loaded = loadCharLM(runDir);
  const { config } = loaded;
  const { corpus } = loadCorpus(readText(config.textPath).text, { token: "char", maxTokens: config.maxTokens });
  const loader = new SeqDataLoader(corpus, { batchSize: config.batchSize, numSteps: config.numSteps, sampler: "sequential" });
  const rng = new Generator(0);
  const { logs } = await evaluateBatches(loaded.model, { epoch: () => loader.epoch(rng), numBatches: () => loader.numBatches() }, charLMStep(loaded.model, statePolicyFor("sequential")), [new Perplexity()], "", undefined);
  return { epoch: loaded.checkpoint.meta.epoch, loss: logs["loss"] ?? NaN, perplexity: logs["perplexity"] ?? NaN };
}

export const CHARLM_TASK: TaskDefinition = {
  schema: CHARLM_SCHEMA,
  train,
  evaluate,
  async predict(runDir, input) {
    const loaded = loadCharLM(runDir);
    const result = predict(loaded.model, loaded.vocab, input, { numPreds: 50 });
    return { text: result.text, json: { text: result.text, prefix: result.prefix, continuation: result.continuation, epoch: loaded.checkpoint.meta.epoch } };
  },
  progress: CHARLM_PROGRESS,
  predictInput: "a prefix to continue (50 characters are added, greedily)",
  readConfig: (runDir) => ({ ...readRunConfig(RunDir.open(runDir)) }),
  derivedFields: CHARLM_DERIVED_FIELDS,
  runName: (config) => String(config["cell"] ?? "lstm"),
  inspect: (runDir, text) => inspectCharLM(runDir, text),
};

