/**
 * `recurrent start` (what `npm start` runs): the book's experiment, shortened to a few minutes.
 * Trains the default LSTM, then prints the final perplexity, one greedy line for each of the
 * book's two prefixes, and where the plot and the checkpoint are.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { predict } from "../tasks/charlm/generate.js";
import { choice, guardParse, nonEmpty, positiveInt } from "./args.js";
import { BACKEND_NAMES, selectBackend } from "./backend.js";
import { DEFAULT_TEXT, startEpochs, timestamp } from "./defaults.js";
import { START_HELP } from "./help.js";
import type { CliIO } from "./io.js";
import { startCharLM } from "./train-command.js";

const OPTIONS = {
  epochs: { type: "string" },
  out: { type: "string" },
  backend: { type: "string" },
  quiet: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** The prefixes of the book's `predict_ch8` demonstrations. */
export const START_PREFIXES = ["time traveller", "traveller"] as const;

export async function runStart(args: string[], io: CliIO): Promise<number> {
  const { values: v } = guardParse("start", () => parseArgs({ args, options: OPTIONS, allowPositionals: false, strict: true }), Object.keys(OPTIONS));
  if (v.help === true) {
    io.stdout.write(START_HELP);
    return 0;
  }
  const epochsFlag = positiveInt("--epochs", v.epochs);
  const requested = choice("--backend", v.backend, BACKEND_NAMES);
  const runDir = nonEmpty("--out", v.out) ?? join("runs", `start-${timestamp()}`);
  // The backend decides how many epochs fit in a few minutes, so it is chosen first.
  const backend = selectBackend(requested, (m) => io.stderr.write(`recurrent start: ${m}\n`));
  const numEpochs = epochsFlag ?? startEpochs(backend);
  const started = performance.now();
  const result = await startCharLM(runDir, { numEpochs, textPath: DEFAULT_TEXT }, { quiet: v.quiet, backend: BACKEND_NAMES.find((b) => b === backend), noSummary: true }, io);
  const seconds = (performance.now() - started) / 1000;
  const last = result.metrics[result.metrics.length - 1];
  const lines = [
    "",
    `final perplexity ${last === undefined ? "?" : last.perplexity.toFixed(3)} after ${numEpochs} epochs (${seconds.toFixed(0)} s); the book's 500 epochs reach about 1.05`,
    ...START_PREFIXES.map((p) => `  ${predict(result.model, result.vocab, p, { numPreds: 50 }).text}`),
    `plot:       ${result.runDir.plotSvgPath} (and .png)`,
    `checkpoint: ${result.finalPath}`,
    `more text:  recurrent generate --checkpoint ${result.runDir.path} --prefix "the time machine" --temperature 0.8`,
    "",
  ];
  io.stdout.write(lines.join("\n"));
  return 0;
}
