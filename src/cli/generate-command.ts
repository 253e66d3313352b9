/** `recurrent generate`: load a trained char LM, warm it up on a prefix, print what it writes. */
import { parseArgs } from "node:util";
import { Generator } from "../tensor/random.js";
import { predict } from "../tasks/charlm/generate.js";
import { loadCharLM } from "../tasks/charlm/run-files.js";
import { jsonLine } from "../train/progress.js";
import { choice, guardParse, nonEmpty, nonNegativeInt, nonNegativeNumber } from "./args.js";
import { BACKEND_NAMES, selectBackend } from "./backend.js";
import { UsageError } from "./errors.js";
import { GENERATE_HELP } from "./help.js";
import type { CliIO } from "./io.js";

const OPTIONS = {
  checkpoint: { type: "string" },
  prefix: { type: "string" },
  length: { type: "string" },
  temperature: { type: "string" },
  "top-k": { type: "string" },
  seed: { type: "string" },
  backend: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export const DEFAULT_PREFIX = "time traveller";

export function runGenerate(args: string[], io: CliIO): number {
  const { values: v } = guardParse("generate", () => parseArgs({ args, options: OPTIONS, allowPositionals: false, strict: true }), Object.keys(OPTIONS));
  if (v.help === true) {
    io.stdout.write(GENERATE_HELP);
    return 0;
  }
  const checkpoint = nonEmpty("--checkpoint", v.checkpoint);
  if (checkpoint === undefined) throw new UsageError(`--checkpoint RUN_DIR is required (a run folder written by recurrent train)`);
  const prefix = v.prefix ?? DEFAULT_PREFIX;
  if (prefix.length === 0) throw new UsageError(`--prefix must not be empty`);
  const length = nonNegativeInt("--length", v.length) ?? 50;
  const temperature = nonNegativeNumber("--temperature", v.temperature) ?? 0;
  const topK = nonNegativeInt("--top-k", v["top-k"]) ?? 0;
  const seed = nonNegativeInt("--seed", v.seed, 0xffffffff) ?? 0;
  const backend = choice("--backend", v.backend, BACKEND_NAMES);
  selectBackend(backend, (m) => io.stderr.write(`recurrent generate: ${m}\n`));

  const loaded = loadCharLM(checkpoint);
  if (loaded.unfinished) {
    io.stderr.write(`recurrent generate: note: ${loaded.runDir.path} has no final checkpoint; using ${loaded.checkpoint.path} (epoch ${loaded.checkpoint.meta.epoch})\n`);
  }
  const result = predict(loaded.model, loaded.vocab, prefix, {
    numPreds: length,
    temperature,
    topK,
    generator: new Generator(seed),
    onUnknown: (chars) =>
      io.stderr.write(
        `recurrent generate: warning: ${chars.map((c) => JSON.stringify(c)).join(", ")} ${chars.length === 1 ? "is" : "are"} not in the model's vocabulary ` +
          `(it knows ${describeVocab(loaded.vocab.idxToToken)}); read as <unk>\n`,
      ),
  });
  if (v.json === true) {
    io.stdout.write(jsonLine({ text: result.text, prefix: result.prefix, continuation: result.continuation, unknown: result.unknown, checkpoint: loaded.checkpoint.path, epoch: loaded.checkpoint.meta.epoch }));
  } else {
    io.stdout.write(`${result.text}\n`);
  }
  return 0;
}

/** "lowercase a-z and space" for the book's vocabulary, else the tokens themselves. */
function describeVocab(tokens: readonly string[]): string {
  const plain = tokens.filter((t) => t !== "<unk>");
  if (plain.every((t) => /^[a-z ]$/.test(t))) return "lowercase letters and space";
  return plain.map((t) => JSON.stringify(t)).join(" ");
}
