/** The translation task as a `TaskDefinition`: `recurrent train|evaluate|predict seq2seq`. */
import { join } from "node:path";
import { Vocab } from "../../data/text/vocab.js";
import { readJsonChecked } from "../../io/read-json.js";
import type { TaskDefinition } from "../task.js";
import { checkpointToScore, readRunConfig } from "../run-folder.js";
import { loadTranslationData, resolveSeq2SeqConfig, type Seq2SeqConfig } from "./data.js";
import type { Seq2Seq } from "./model.js";
import { SEQ2SEQ_SCHEMA } from "./schema.js";
import { buildSeq2Seq, SOURCE_VOCAB_FILE, summarizeSeq2Seq, TARGET_VOCAB_FILE, trainSeq2Seq } from "./train.js";
import { bookExamples, scoreHeldOut, translate } from "./translate.js";

/** Largest vocabulary file read back (a vocabulary of the whole corpus is far smaller). */
const MAX_VOCAB_BYTES = 64 * 1024 * 1024;

/** The run's config.json, checked. */
export function readSeq2SeqConfig(runDir: string): Seq2SeqConfig {
  return resolveSeq2SeqConfig(readRunConfig(SEQ2SEQ_SCHEMA, runDir), join(runDir, "config.json"));
}

/** A trained run: its model (final checkpoint, else the latest periodic one), vocabularies and config. */
export interface LoadedSeq2Seq {
  model: Seq2Seq;
  source: Vocab;
  target: Vocab;
  config: Seq2SeqConfig;
  epoch: number;
}

export async function loadSeq2Seq(runDir: string): Promise<LoadedSeq2Seq> {
  const config = readSeq2SeqConfig(runDir);
  const source = Vocab.fromJSON(readJsonChecked(join(runDir, SOURCE_VOCAB_FILE), "source vocabulary", { maxBytes: MAX_VOCAB_BYTES }));
  const target = Vocab.fromJSON(readJsonChecked(join(runDir, TARGET_VOCAB_FILE), "target vocabulary", { maxBytes: MAX_VOCAB_BYTES }));
  const ckpt = await checkpointToScore(runDir);
  const model = buildSeq2Seq(config, source, target);
  try {
    model.loadStateDict(ckpt.params);
  } catch (err) {
    throw new Error(`seq2seq run ${runDir}: checkpoint ${ckpt.path} does not fit the model its config and vocabularies describe (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  model.eval();
  return { model, source, target, config, epoch: ckpt.meta.epoch };
}

function sameTable(a: Vocab, b: Vocab): boolean {
  return a.length === b.length && a.idxToToken.every((t, i) => t === b.idxToToken[i]);
}

export const SEQ2SEQ_TASK: TaskDefinition = {
  schema: SEQ2SEQ_SCHEMA,
  async train(values, ctx) {
    const config = resolveSeq2SeqConfig(values);
    const r = await trainSeq2Seq({ config, runDir: ctx.runDir, resume: ctx.resume, progress: ctx.progress, ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}) });
    if (r.results !== null) for (const e of r.results.examples) ctx.log(`${e.source} => ${e.translation}  (BLEU ${e.bleu.toFixed(3)})`);
    return {
      runDir: ctx.runDir,
      aborted: r.aborted,
      summary: r.results === null ? {} : { loss: r.loss, val_loss: r.valLoss, ...summarizeSeq2Seq(r.results), seconds: r.seconds },
      files: { checkpoint: join(ctx.runDir, "final.json"), plot: join(ctx.runDir, "loss.svg"), results: join(ctx.runDir, "results.json") },
    };
  },
  async evaluate(runDir) {
    const { model, source, target, config, epoch } = await loadSeq2Seq(runDir);
    const data = loadTranslationData(config);
    if (!sameTable(data.source, source) || !sameTable(data.target, target)) {
      throw new Error(`evaluate seq2seq: the vocabularies of ${config.dataPath} differ from the run's ${SOURCE_VOCAB_FILE}/${TARGET_VOCAB_FILE}; was the data file changed?`);
    }
    const examples = bookExamples(model, source, target, config);
    return summarizeSeq2Seq({ epoch, beam: config.beam, lengthPenalty: config.lengthPenalty, heldOut: scoreHeldOut(model, data, config), examples });
  },
  async predict(runDir, input) {
    const { model, source, target, config } = await loadSeq2Seq(runDir);
    const sentences = input.split("\n").filter((s) => s.trim() !== "");
    if (sentences.length === 0) throw new Error(`predict seq2seq: INPUT must be an English sentence (or several, one per line), got ${JSON.stringify(input)}`);
    if (sentences.length > 1000) throw new Error(`predict seq2seq: INPUT holds ${sentences.length} sentences; at most 1000 are translated at once`);
    const out = translate(model, sentences, source, target, config);
    const rows = sentences.map((s, i) => ({ source: s, translation: out[i]!.join(" ") }));
    return { text: rows.map((r) => r.translation).join("\n"), json: { beam: config.beam, translations: rows } };
  },
  progress: { columns: [{ key: "loss", label: "loss", digits: 4 }, { key: "val_loss", label: "val", digits: 4 }], rate: { unit: "tokens", label: "tok" } },
  predictInput: "English sentence(s) to translate, one per line (the run's --beam decides greedy or beam search)",
  readConfig: (runDir) => ({ ...readSeq2SeqConfig(runDir) }),
  runName: (config) => (config["attention"] === true ? "attention" : "gru"),
};
