/**
 * Typed reads of a checked task config (`checkConfig` gives `Record<string, OptionValue>`): each
 * field by the type its schema declares, with an error naming the field when a caller built the
 * record by hand and got one wrong.
 */
import type { TaskConfig } from "../task.js";

/** Field `name` of `config` as a number. */
export function numberField(config: TaskConfig, name: string): number {
  const v = config[name];
  if (typeof v !== "number") throw new Error(`config: ${name} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

/** Field `name` of `config` as a string. */
export function stringField(config: TaskConfig, name: string): string {
  const v = config[name];
  if (typeof v !== "string") throw new Error(`config: ${name} must be a string, got ${JSON.stringify(v)}`);
  return v;
}

/** Field `name` of `config` as a boolean. */
export function booleanField(config: TaskConfig, name: string): boolean {
  const v = config[name];
  if (typeof v !== "boolean") throw new Error(`config: ${name} must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

/** Field `name` of `config` as one of `choices`. */
export function choiceField<T extends string>(config: TaskConfig, name: string, choices: readonly T[]): T {
  const v = config[name];
  const found = choices.find((c) => c === v);
  if (found === undefined) throw new Error(`config: ${name} must be one of ${choices.join(", ")}, got ${JSON.stringify(v)}`);
  return found;
}
