/**
 * The tasks `recurrent train` knows, by name. A task is one folder under src/tasks/ with its
 * schema (schema.ts); adding it here is its one registration line.
 */
import { CHARLM_SCHEMA } from "./charlm/schema.js";
import type { TaskSchema } from "./schema.js";

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
