/** `recurrent export RUN_DIR --format onnx|pytorch|tfjs --out PATH`: a char-LM run's model in another framework's files. */
import { parseArgs } from "node:util";
import { exportCharLMRun, RUN_FORMATS } from "../io/interop/charlm/run.js";
import { jsonLine } from "../train/progress.js";
import { choice, guardParse, nonEmpty } from "./args.js";
import { UsageError } from "./errors.js";
import type { CliIO } from "./io.js";

const OPTIONS = {
  format: { type: "string" },
  out: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export const EXPORT_HELP = `Usage: recurrent export RUN_DIR --format onnx|pytorch|tfjs --out PATH

Writes a char LM run's model (its final checkpoint, else its latest) for another framework,
with charlm.json beside it (the vocabulary and the run's config) so that recurrent import
brings it back as a run.

  --format pytorch           PATH is a folder: model.safetensors (the state dict under d2l's
                             names), model.py (the nn.Module and load_model()), charlm.json and
                             train_ddp.py (the run's training under torchrun / DDP)
  --format onnx              PATH is the .onnx file (input: token ids (T, B), or one-hot
                             vectors (T, B, V) for a model without an embedding; initial states
                             in, final states out); PATH's stem + .charlm.json beside it
  --format tfjs              PATH is a folder: model.json and group1-shard1of1.bin (a Keras
                             Sequential reading (B, T); TF.js's loadLayersModel takes it except
                             for a GRU, which it cannot load), charlm.json
  --out PATH                 where to write (required)
  --json                     print {"files": [...]} instead of the list of files
  -h, --help                 this text
`;

export function runExport(args: string[], io: CliIO): number {
  const { values: v, positionals } = guardParse("export", () => parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true }), Object.keys(OPTIONS));
  if (v.help === true) {
    io.stdout.write(EXPORT_HELP);
    return 0;
  }
  const runDir = positionals[0];
  if (runDir === undefined) throw new UsageError(`which run? recurrent export RUN_DIR --format onnx|pytorch|tfjs --out PATH (see recurrent export --help)`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])} (see recurrent export --help)`);
  const format = choice("--format", v.format, RUN_FORMATS);
  if (format === undefined) throw new UsageError(`--format ${RUN_FORMATS.join("|")} is required`);
  const out = nonEmpty("--out", v.out);
  if (out === undefined) throw new UsageError(`--out PATH is required (${format === "onnx" ? "the .onnx file" : "a folder"})`);
  const files = exportCharLMRun(runDir, format, out, (message) => io.stderr.write(`recurrent export: warning: ${message}\n`));
  io.stdout.write(v.json === true ? jsonLine({ format, files }) : `${files.map((f) => `wrote ${f}`).join("\n")}\n`);
  return 0;
}
