/**
 * `recurrent import PATH --out RUN_DIR`: a PyTorch or ONNX char LM (from recurrent export, a
 * train_ddp.py run, or trained elsewhere with the same shape) as a new run folder that
 * generate and train --resume take. The training flags of `recurrent train charlm` (other than
 * the model's, which the weights fix) set the run's config over the sidecar's.
 */
import { parseArgs } from "node:util";
import { importCharLMRun, IMPORT_FORMATS } from "../io/interop/charlm/run.js";
import { CELL_LABELS, CHARLM_SCHEMA } from "../tasks/charlm/schema.js";
import { optionsHelp, type TaskSchema } from "../tasks/schema.js";
import { jsonLine } from "../train/progress.js";
import { choice, guardParse, nonEmpty } from "./args.js";
import { UsageError } from "./errors.js";
import type { CliIO } from "./io.js";
import { optionValues, parseOptions } from "./train-command.js";

/** The char LM's flags that an import may set: all but the model's (and the text, which is --text here too). */
const SETTINGS: TaskSchema = {
  ...CHARLM_SCHEMA,
  options: CHARLM_SCHEMA.options
    .filter((o) => o.group !== "Model")
    .map((o) => (o.name === "textPath" ? { ...o, doc: "the text the model was trained on", defaultDoc: "the path charlm.json records" } : o)),
};

const OPTIONS = {
  ...parseOptions(SETTINGS),
  format: { type: "string" },
  vocab: { type: "string" },
  out: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export const IMPORT_HELP = `Usage: recurrent import PATH --out RUN_DIR [options]

Reads a char LM (an optional Embedding, one LSTM/GRU/RNN stack, a Linear to the vocabulary) from
PyTorch, ONNX, TF.js or Keras files into a new run folder that generate and train --resume take
as a native run (its final checkpoint is the imported weights at epoch 0, with a fresh
optimiser). PATH is a file (.safetensors, .pt, .pth, .onnx, model.json, .keras, .h5) or a folder
holding model.safetensors, model.json or one .onnx/.pt/.pth file. The vocabulary and the run's
settings come from the charlm.json that recurrent export and train_ddp.py write beside the
weights (the flags below change them; the defaults shown apply without one); without one, give
the text (and --vocab when the model's vocabulary is not the one the text gives).

  --out RUN_DIR              the new run folder; must not hold files (required)
  --format pytorch|onnx|tfjs|keras
                             the file's format (default: from its name, else its first bytes)
  --vocab PATH               a vocab.json giving the token of each logit (default: charlm.json's,
                             else built from the text)

${optionsHelp(SETTINGS)}  --json                     print {"runDir": ..., ...} instead of a summary
  -h, --help                 this text
`;

export function runImport(args: string[], io: CliIO): number {
  const parsed = guardParse("import", () => parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true }), Object.keys(OPTIONS));
  const v: Record<string, string | boolean | (string | boolean)[] | undefined> = parsed.values;
  const positionals = parsed.positionals;
  if (v["help"] === true) {
    io.stdout.write(IMPORT_HELP);
    return 0;
  }
  const path = positionals[0];
  if (path === undefined) throw new UsageError(`which model? recurrent import PATH --out RUN_DIR (see recurrent import --help)`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])} (see recurrent import --help)`);
  const str = (k: string): string | undefined => {
    const x = v[k];
    return typeof x === "string" ? x : undefined;
  };
  const out = nonEmpty("--out", str("out"));
  if (out === undefined) throw new UsageError(`--out RUN_DIR is required (a new run folder)`);
  const format = choice("--format", str("format"), IMPORT_FORMATS);
  const vocabPath = nonEmpty("--vocab", str("vocab"));
  const { textPath, ...settings } = optionValues(SETTINGS, v);
  const r = importCharLMRun(path, {
    out,
    ...(format !== undefined ? { format } : {}),
    ...(typeof textPath === "string" ? { textPath } : {}),
    ...(vocabPath !== undefined ? { vocabPath } : {}),
    settings,
  });
  const a = r.architecture;
  if (v["json"] === true) {
    io.stdout.write(jsonLine({ runDir: r.runDir, modelFile: r.modelFile, format: r.format, architecture: a, vocabFrom: r.vocabFrom, checkpoint: r.checkpoint }));
  } else {
    io.stdout.write(
      `imported ${r.format} model ${r.modelFile}: ${CELL_LABELS[a.cell]}, ${a.numLayers} layer${a.numLayers === 1 ? "" : "s"}, ${a.hiddenSize} hidden` +
        `${a.bidirectional ? ", bidirectional" : ""}${a.embedSize > 0 ? `, embedding ${a.embedSize}` : ""}, vocabulary of ${a.vocabSize} (from ${r.vocabFrom})\n` +
        `  run folder ${r.runDir}\n  generate   recurrent generate --checkpoint ${r.runDir}\n  train on   recurrent train charlm --resume ${r.runDir}\n`,
    );
  }
  return 0;
}
