/**
 * What a task is to the CLI, the tests and the playground: its option schema and three entry
 * points. A task is one folder under src/tasks/ (data, model, evaluation) whose `index` exports a
 * `TaskDefinition`; training goes through the shared loop (`fit`), run stores, callbacks and plots,
 * never through code of the task's own.
 */
import type { Progress, ProgressOptions } from "../train/progress.js";
import type { OptionValue, TaskSchema } from "./schema.js";
import type { RNNBase } from "../nn/layers/rnn-base.js";
import type { Tensor } from "../tensor/tensor.js";

/** A task's config: every schema option by its field name, checked and with defaults filled. */
export type TaskConfig = Record<string, OptionValue>;

/** Everything a run gets from its caller. */
export interface TaskRunContext {
  /** The run folder: new and empty for a new run, the run's own folder for a resume. */
  runDir: string;
  /** Continue the run in `runDir` from its latest checkpoint. */
  resume: boolean;
  /** Where progress goes (bar, lines, JSON lines, or nothing). */
  progress: Progress;
  /** Stops training at the next batch boundary; the run stays resumable. */
  signal?: AbortSignal;
  /** One-line notes for the person running it (stderr in the CLI). */
  log: (message: string) => void;
}

/** What a finished (or interrupted) run reports. */
export interface TaskRunResult {
  runDir: string;
  /** The run stopped early on the signal; `--resume` continues it. */
  aborted: boolean;
  /** The numbers to print and to report: `{ "test.accuracy": 0.87, "baseline.mae": 1.2, ... }`. */
  summary: Record<string, number>;
  /** Files worth naming to the user: `{ checkpoint: ".../final.json", plot: ".../loss.svg" }`. */
  files: Record<string, string>;
}

/** One task: `recurrent train <task>`, `recurrent evaluate <task>`, `recurrent predict <task>`. */
export interface TaskDefinition {
  schema: TaskSchema;
  /**
   * Trains a new run, or resumes one. `config` is already checked against the schema: defaults
   * filled for a new run; for a resume, the saved config with the resumable options changed.
   */
  train(config: TaskConfig, ctx: TaskRunContext): Promise<TaskRunResult>;
  /** Scores a run's latest (or final) checkpoint on the task's held-out data. */
  evaluate(runDir: string, ctx: Pick<TaskRunContext, "log">): Promise<Record<string, number>>;
  /** Runs the trained model on an input the task defines (a text, a file); `text` is printed, `json` is for `--json`. */
  predict?(runDir: string, input: string, ctx: Pick<TaskRunContext, "log">): Promise<{ text: string; json: unknown }>;
  /** Columns and throughput unit of the progress lines; default: the loss, in samples. */
  progress?: Pick<ProgressOptions, "columns" | "rate">;
  /** What `predict`'s INPUT is, for `recurrent predict TASK --help` ("a text to continue"). Default: "the input". */
  predictInput?: string;
  /**
   * Reads back the config a run was trained with, for the resume check. Default: the run
   * folder's config.json, checked against the schema.
   */
  readConfig?(runDir: string): TaskConfig;
  /** Config fields the task derives itself (a data hash), allowed in config.json besides the schema's. Default none. */
  derivedFields?: readonly string[];
  /** Part of the default run-folder name after the task's ("lstm" gives runs/TASK-lstm-DATE-TIME). Default none. */
  runName?(config: TaskConfig): string;
  /**
   * A trained run's recurrent layer and a text as that layer's input, for `recurrent inspect`
   * (gate heatmaps). Absent for tasks whose input is not text.
   */
  inspect?(runDir: string, text: string): Promise<InspectInput>;
}

/** What `recurrent inspect` traces: the layer, one sequence (T, I) as it reaches it, and a label per step. */
export interface InspectInput {
  layer: RNNBase;
  /** (T, I): the text after the model's own input layers (one-hot, embedding), in eval mode. */
  x: Tensor;
  /** The step labels: characters, words. */
  tokens: string[];
  /** Which model of the run was traced, in words ("lstm-seed0 of 15 runs, epoch 8"). */
  model: string;
}
