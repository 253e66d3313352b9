/**
 * `recurrent train TASK` for any registered task: the schema's flags (already parsed by
 * train-command.ts) become the config, defaults filled; a new run gets an empty folder, a
 * resumed one keeps its saved config except for the resumable options; the task's `train` does
 * the rest through the shared loop, and its summary is printed at the end.
 */
import { join } from "node:path";
import { readJsonChecked } from "../io/read-json.js";
import { checkConfig, resumeConflict, type OptionValue } from "../tasks/schema.js";
import type { TaskConfig, TaskDefinition } from "../tasks/task.js";
import { Progress, progressMode } from "../train/progress.js";
import { selectBackend } from "./backend.js";
import { timestamp } from "./defaults.js";
import { UsageError } from "./errors.js";
import { interactive, type CliIO } from "./io.js";
import { refuseExistingRun, savedBackend, type TrainRunSettings } from "./train-command.js";

/** What `recurrent train TASK` was asked for. */
export interface TaskTrainRequest {
  /** Flag values by config field; undefined where a flag was not given. */
  given: Record<string, OptionValue | undefined>;
  out: string | undefined;
  resumeDir: string | undefined;
  settings: TrainRunSettings;
}

/** The schema's defaults overlaid with the given values (fields with neither stay absent). */
export function configWithDefaults(def: TaskDefinition, given: Record<string, OptionValue | undefined>): TaskConfig {
  const config: TaskConfig = {};
  for (const spec of def.schema.options) {
    const value = given[spec.name] ?? spec.default;
    if (value !== undefined) config[spec.name] = value;
  }
  return config;
}

/** The config a run folder was trained with (config.json checked against the schema, unless the task reads it itself). */
export function savedConfig(def: TaskDefinition, runDir: string): TaskConfig {
  if (def.readConfig !== undefined) return def.readConfig(runDir);
  const path = join(runDir, "config.json");
  const json = readJsonChecked(path, "run config");
  return checkConfig(def.schema, json, path, def.derivedFields ?? []);
}

/** Trains (or resumes) a run of `def`; resolves to the exit code (130 when interrupted). */
export async function trainTask(def: TaskDefinition, req: TaskTrainRequest, io: CliIO): Promise<number> {
  const task = def.schema.task;
  let config: TaskConfig;
  let runDir: string;
  if (req.resumeDir !== undefined) {
    runDir = req.resumeDir;
    const saved = savedConfig(def, runDir);
    const conflict = resumeConflict(def.schema, req.given, saved);
    if (conflict !== null) throw new UsageError(conflict);
    config = { ...saved };
    for (const spec of def.schema.options) {
      const value = req.given[spec.name];
      if (spec.resumable && value !== undefined) config[spec.name] = value;
    }
  } else {
    config = configWithDefaults(def, req.given);
    const name = def.runName?.(config);
    runDir = req.out ?? join("runs", `${task}${name === undefined ? "" : `-${name}`}-${timestamp()}`);
    refuseExistingRun(runDir);
  }
  const mode = progressMode({ json: req.settings.json, quiet: req.settings.quiet, isTTY: interactive(io) });
  const progress = new Progress({ mode, out: io.stdout, ...(def.progress ?? {}) });
  const note = (m: string): void => {
    io.stderr.write(`recurrent train: ${m}\n`);
  };
  const preferred = req.resumeDir !== undefined ? savedBackend(runDir) : undefined;
  selectBackend(req.settings.backend, note, preferred);
  const signal = io.interruptible?.();
  const result = await def.train(config, { runDir, resume: req.resumeDir !== undefined, progress, log: note, ...(signal !== undefined ? { signal } : {}) });
  if (result.aborted) {
    io.stderr.write(`recurrent train: interrupted; continue with: recurrent train ${task} --resume ${result.runDir}\n`);
    return 130;
  }
  const numbers = Object.entries(result.summary).map(([k, v]) => `  ${k.padEnd(28)} ${formatNumber(v)}`);
  const files = Object.entries(result.files).map(([k, v]) => `  ${k.padEnd(28)} ${v}`);
  const text = [`done: ${result.runDir}`, ...numbers, ...files].join("\n");
  if (mode === "quiet") io.stdout.write(`${text}\n`);
  progress.event("done", { runDir: result.runDir, summary: result.summary, files: result.files }, text);
  return 0;
}

/** 4 significant decimals for small numbers, fewer for large ones. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(2) : v.toPrecision(4);
}
