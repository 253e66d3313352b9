/**
 * `recurrent train TASK`: the task's schema (tasks/<task>/schema.ts) gives the flags, their
 * checks, --help and the resume check; the task's runner trains with progress on stdout.
 */
import { readJsonChecked } from "../io/read-json.js";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { resolveCharLMConfigFrom, type CharLMConfig } from "../tasks/charlm/config.js";
import { CHARLM_PROGRESS, trainCharLM, type TrainCharLMResult } from "../tasks/charlm/train.js";
import { readRunConfig } from "../tasks/charlm/run-files.js";
import { listTaskDefinitions } from "../tasks/registry.js";
import { OptionError, parseFlag, resumeConflict, type OptionValue, type TaskSchema } from "../tasks/schema.js";
import { Progress, progressMode } from "../train/progress.js";
import { RunDir } from "../tasks/charlm/run-dir.js";
import { choice, guardParse, nonEmpty } from "./args.js";
import { BACKEND_NAMES, selectBackend } from "./backend.js";
import { DEFAULT_TEXT, timestamp } from "./defaults.js";
import { UsageError } from "./errors.js";
import { trainHelp } from "./help.js";
import { interactive, type CliIO } from "./io.js";
import { trainTask } from "./task-train.js";
import { lookupTask, taskList } from "./tasks.js";
import { readTextFile } from "./text-file.js";

/** Flags every task has: where the run goes and how it reports. */
const RUN_OPTIONS = {
  out: { type: "string" },
  resume: { type: "string" },
  backend: { type: "string" },
  json: { type: "boolean" },
  quiet: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** node:util parseArgs options for a task: its schema's flags and the run flags. */
export function parseOptions(schema: TaskSchema): NonNullable<ParseArgsConfig["options"]> {
  const options: NonNullable<ParseArgsConfig["options"]> = { ...RUN_OPTIONS };
  for (const spec of schema.options) {
    if (spec.flag !== undefined) options[spec.flag.replace(/^--/, "")] = { type: spec.type === "boolean" ? "boolean" : "string" };
  }
  return options;
}

/** Config values by field from the parsed flags (undefined where a flag was not given); bad values are usage errors. */
export function optionValues(schema: TaskSchema, values: Record<string, string | boolean | (string | boolean)[] | undefined>): Record<string, OptionValue | undefined> {
  const out: Record<string, OptionValue | undefined> = {};
  for (const spec of schema.options) {
    if (spec.flag === undefined) continue;
    const raw = values[spec.flag.replace(/^--/, "")];
    try {
      out[spec.name] = parseFlag(spec, Array.isArray(raw) ? raw[raw.length - 1] : raw);
    } catch (err) {
      if (err instanceof OptionError) throw new UsageError(err.message);
      throw err;
    }
  }
  return out;
}

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

/** Values of the char LM's flags by config field. */
export type CharLMFlagValues = Record<string, OptionValue | undefined>;

export async function runTrain(args: string[], io: CliIO): Promise<number> {
  const first = args[0];
  const named = first !== undefined && !first.startsWith("-") ? first : undefined;
  const found = named === undefined ? listTaskDefinitions()[0] : lookupTask(named);
  if (found === undefined) throw new UsageError(`no task is registered`);
  if (typeof found === "string") throw new UsageError(found);
  const schema = found.schema;
  const flags = parseOptions(schema);
  const { values: v, positionals } = guardParse("train", () => parseArgs({ args, options: flags, allowPositionals: true, strict: true }), Object.keys(flags));
  if (v["help"] === true) {
    io.stdout.write(trainHelp(schema, listTaskDefinitions().map((t) => t.schema)));
    return 0;
  }
  if (positionals[0] === undefined) throw new UsageError(`which task? ${taskList("recurrent train ")} (see recurrent train --help)`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])} (see recurrent train --help)`);
  const given = optionValues(schema, v);
  const str = (k: string): string | undefined => {
    const x = v[k];
    return typeof x === "string" ? x : undefined;
  };
  const bool = (k: string): boolean | undefined => (v[k] === true ? true : undefined);
  const backend = choice("--backend", str("backend"), BACKEND_NAMES);
  const out = nonEmpty("--out", str("out"));
  const resumeDir = nonEmpty("--resume", str("resume"));
  const settings: TrainRunSettings = { json: bool("json"), quiet: bool("quiet"), backend };

  if (resumeDir !== undefined && out !== undefined && resolve(out) !== resolve(resumeDir)) {
    throw new UsageError(`--out ${out} and --resume ${resumeDir} name different folders; a resumed run stays in its folder`);
  }
  // The char LM keeps its own runner: `recurrent start` shares it, and its output is the book's.
  if (schema.task !== "charlm") return trainTask(found, { given, out, resumeDir, settings }, io);
  if (resumeDir !== undefined) return exitCode(await resumeCharLM(schema, resumeDir, given, settings, io), io);
  const runDir = out ?? join("runs", `charlm-${String(given["cell"] ?? "lstm")}-${timestamp()}`);
  return exitCode(await startCharLM(runDir, given, settings, io), io);
}

/** 0 for a finished run; 130 (as for SIGINT) for one that was interrupted, with how to continue it. */
function exitCode(result: TrainCharLMResult, io: CliIO): number {
  if (!result.aborted) return 0;
  const done = result.metrics[result.metrics.length - 1]?.epoch ?? 0;
  io.stderr.write(`recurrent train: interrupted during epoch ${done + 1}; continue with: recurrent train charlm --resume ${result.runDir.path}\n`);
  return 130;
}

/** Trains a new run in `runDir` (which must not hold files); shared with `recurrent start`. */
export async function startCharLM(runDir: string, given: CharLMFlagValues, settings: TrainRunSettings, io: CliIO): Promise<TrainCharLMResult> {
  refuseExistingRun(runDir);
  const textPath = String(given["textPath"] ?? DEFAULT_TEXT);
  const file = readTextFile(textPath);
  const config = resolveCharLMConfigFrom({ ...given, textPath: resolve(textPath), textSha256: file.sha256 });
  return execute(runDir, config, file.text, false, settings, io);
}

async function resumeCharLM(schema: TaskSchema, runDir: string, given: CharLMFlagValues, settings: TrainRunSettings, io: CliIO): Promise<TrainCharLMResult> {
  const saved = readRunConfig(RunDir.open(runDir));
  const conflict = resumeConflict(schema, given, { ...saved });
  if (conflict !== null) throw new UsageError(conflict);
  const changed: Record<string, unknown> = {};
  for (const spec of schema.options) if (spec.resumable && given[spec.name] !== undefined) changed[spec.name] = given[spec.name];
  const config = resolveCharLMConfigFrom({ ...saved, ...changed, textPath: resolve(String(changed["textPath"] ?? saved.textPath)) });
  const file = readTextFile(config.textPath);
  return execute(runDir, config, file.text, true, { ...settings, preferredBackend: savedBackend(runDir) }, io);
}

async function execute(runDir: string, config: CharLMConfig, text: string, resume: boolean, settings: TrainRunSettings, io: CliIO): Promise<TrainCharLMResult> {
  const mode = progressMode({ json: settings.json, quiet: settings.quiet, isTTY: interactive(io) });
  const progress = new Progress({ mode, out: io.stdout, ...CHARLM_PROGRESS });
  selectBackend(settings.backend, (m) => io.stderr.write(`recurrent train: ${m}\n`), settings.preferredBackend);
  const signal = io.interruptible?.();
  const result = await trainCharLM({ config, text, runDir, resume, progress, ...(signal !== undefined ? { signal } : {}) });
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
  if (settings.noSummary === true || result.aborted) return result;
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
export function refuseExistingRun(runDir: string): void {
  if (!existsSync(runDir)) return;
  if (!statSync(runDir).isDirectory()) throw new UsageError(`--out ${runDir} is a file, not a folder`);
  if (readdirSync(runDir).length > 0) {
    throw new UsageError(`--out ${runDir} already holds files (an earlier run?); continue it with --resume ${runDir}, or choose another --out`);
  }
}

/** The backend that wrote the run's latest checkpoint, so a resumed run continues on the same kernels. */
export function savedBackend(runDir: string): (typeof BACKEND_NAMES)[number] | undefined {
  try {
    const latest = RunDir.open(runDir).latest();
    if (latest === null) return undefined;
    const meta: unknown = readJsonChecked(latest.path, "checkpoint metadata");
    const name = typeof meta === "object" && meta !== null && "backend" in meta ? meta.backend : undefined;
    return BACKEND_NAMES.find((b) => b === name);
  } catch {
    // A broken checkpoint is reported, with its name, when training reads it.
    return undefined;
  }
}
