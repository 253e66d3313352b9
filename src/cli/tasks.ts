/**
 * The tasks the command line runs: one registration line per task (its `TaskDefinition`, from
 * the task folder's index). Imported for its side effect by the commands that need tasks.
 */
import { didYouMean } from "../nn/options.js";
import { CHARLM_TASK } from "../tasks/charlm/task.js";
import { FORECAST_TASK } from "../tasks/forecast/index.js";
import { MEMORY_TASK } from "../tasks/memory/index.js";
import { SEQMNIST_TASK } from "../tasks/seqmnist/index.js";
import { HIGHWAY_TASK } from "../tasks/highway/index.js";
import { SENTIMENT_TASK } from "../tasks/sentiment/index.js";
import { SEQ2SEQ_TASK } from "../tasks/seq2seq/index.js";
import { getTaskDefinition, listTaskDefinitions, registerTaskDefinition } from "../tasks/registry.js";
import type { TaskDefinition } from "../tasks/task.js";

const BUILT_IN: readonly TaskDefinition[] = [CHARLM_TASK, FORECAST_TASK, MEMORY_TASK, SEQMNIST_TASK, HIGHWAY_TASK, SENTIMENT_TASK, SEQ2SEQ_TASK];
for (const def of BUILT_IN) if (getTaskDefinition(def.schema.task) === undefined) registerTaskDefinition(def);

/** "the one there is: charlm" or "the tasks are: charlm, forecast"; `prefix` goes before each name. */
export function taskList(prefix = ""): string {
  const names = listTaskDefinitions().map((t) => `${prefix}${t.schema.task}`);
  return names.length === 1 ? `the one there is: ${names[0]}` : `the tasks are: ${names.join(", ")}`;
}

/** The task named on the command line, or a usage message naming the tasks (and the likely one). */
export function lookupTask(name: string): TaskDefinition | string {
  const def = getTaskDefinition(name);
  if (def !== undefined) return def;
  const near = didYouMean(name, listTaskDefinitions().map((t) => t.schema.task));
  return `unknown task ${JSON.stringify(name)}${near === null ? "" : ` (did you mean ${near}?)`}; ${taskList()}`;
}
