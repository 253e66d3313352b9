/**
 * The tasks `recurrent train` knows, by name. A task is one folder under src/tasks/ with its
 * schema (schema.ts); adding it here is its one registration line.
 */
import { CHARLM_SCHEMA } from "./charlm/schema.js";
import type { TaskSchema } from "./schema.js";
import type { TaskDefinition } from "./task.js";

const tasks = new Map<string, TaskSchema>();

/** Adds a task; its name must be new. */
export function registerTask(schema: TaskSchema): void {
  if (tasks.has(schema.task)) throw new Error(`registerTask: a task named "${schema.task}" is already registered`);
  tasks.set(schema.task, schema);
}

/** The schema of task `name`, or undefined. */
export function getTask(name: string): TaskSchema | undefined {
  return tasks.get(name);
}

/** Every registered task, in registration order. */
export function listTasks(): TaskSchema[] {
  return [...tasks.values()];
}

registerTask(CHARLM_SCHEMA);

const definitions = new Map<string, TaskDefinition>();

/**
 * Adds a runnable task (what `recurrent train/evaluate/predict TASK` run); its name must be new.
 * Kept apart from the schemas above because a definition's code may need the file system: the
 * Node side (src/cli/tasks.ts) registers them, a browser bundle only sees the schemas.
 */
export function registerTaskDefinition(def: TaskDefinition): void {
  const name = def.schema.task;
  if (definitions.has(name)) throw new Error(`registerTaskDefinition: a task named "${name}" is already registered`);
  definitions.set(name, def);
}

/** The runnable task `name`, or undefined. */
export function getTaskDefinition(name: string): TaskDefinition | undefined {
  return definitions.get(name);
}

/** Every runnable task, in registration order. */
export function listTaskDefinitions(): TaskDefinition[] {
  return [...definitions.values()];
}
