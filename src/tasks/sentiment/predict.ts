/**
 * `recurrent predict sentiment RUN "text"` and the run's view for `recurrent inspect`: both use
 * the recurrent sub-run with the best validation accuracy (results.json's `best`).
 */
import { noGrad } from "../../autograd/mode.js";
import { softmax } from "../../autograd/ops/softmax.js";
import { readJson } from "../../train/store/store.js";
import { isRecord } from "../../train/json-check.js";
import { Tensor } from "../../tensor/tensor.js";
import type { InspectInput } from "../task.js";
import { numberField } from "../seqmnist/config.js";
import { loadSentimentModel, openSentimentRun } from "./train.js";
import { SENTIMENT_LABELS, encodeSentence, tokenizeSentence } from "./text.js";

/** Longest text `predict` and `inspect` take, in characters. */
export const MAX_TEXT_CHARS = 5000;

export interface SentimentPrediction {
  label: string;
  /** Probability of that label. */
  probability: number;
  /** Probability of "positive". */
  positive: number;
  /** The sub-run that classified the text. */
  model: string;
  tokens: string[];
}

async function bestModel(runDir: string, text: string, where: string) {
  if (text.trim() === "") throw new Error(`${where}: the text is empty; give a sentence, e.g. "this phone is great"`);
  if (text.length > MAX_TEXT_CHARS) throw new Error(`${where}: the text has ${text.length} characters; at most ${MAX_TEXT_CHARS}`);
  const run = await openSentimentRun(runDir);
  if (!(await run.store.exists("results.json"))) throw new Error(`${where}: ${runDir} has no results.json yet; finish the run first (recurrent train sentiment --resume ${runDir})`);
  const results = await readJson(run.store, "results.json");
  const best = isRecord(results) && typeof results["best"] === "string" ? results["best"] : null;
  if (best === null) throw new Error(`${where}: ${runDir}/results.json names no recurrent model (the run trained none)`);
  const { model, epoch } = await loadSentimentModel(runDir, best, run.config, run.vocab);
  const ids = encodeSentence(run.vocab, text, numberField(run.config, "maxTokens"));
  return { model, epoch, best, ids, tokens: tokenizeSentence(text).slice(0, ids.length), vocab: run.vocab };
}

/** The best recurrent model's label and probability for `text`. */
export async function predictSentiment(runDir: string, text: string): Promise<{ text: string; json: SentimentPrediction }> {
  const { model, best, ids, tokens } = await bestModel(runDir, text, "predict sentiment");
  const probs = noGrad(() => softmax(model.forward(new Tensor(Float32Array.from(ids), [1, ids.length]), [ids.length]), 1)).data;
  const positive = probs[1]!;
  const label = positive > probs[0]! ? 1 : 0;
  const json: SentimentPrediction = { label: SENTIMENT_LABELS[label]!, probability: label === 1 ? positive : probs[0]!, positive, model: best, tokens: tokens.length === 0 ? ["<unk>"] : tokens };
  return { text: `${json.label}\t${json.probability.toFixed(3)}\t(${best})`, json };
}

/** The best model's recurrent layer and the text's embeddings (T, E), for `recurrent inspect`. */
export async function inspectSentiment(runDir: string, text: string): Promise<InspectInput> {
  const { model, best, epoch, ids, tokens } = await bestModel(runDir, text, "inspect sentiment");
  const x = noGrad(() => model.embedding.forward(new Tensor(Float32Array.from(ids), [ids.length])));
  return { layer: model.rnn, x, tokens: tokens.length === 0 ? ["<unk>"] : tokens, model: `${best} (best validation accuracy), epoch ${epoch}` };
}
