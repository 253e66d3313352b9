/**
 * A task's options, declared once: each option's config field, command-line flag, type, default,
 * doc line and whether `--resume` may change it. From this one list come the CLI's flags and
 * their checks, the `--help` text, the validation of a config read back from JSON, and the
 * resume check (the fields a resumed run must keep).
 */
import { describeValue, isRecord } from "../train/json-check.js";
import { clip } from "../io/json.js";

/** A value an option can hold. */
export type OptionValue = number | boolean | string;

interface OptionBase {
  /** Config field ("hiddenSize"). */
  name: string;
  /** Command-line flag ("--hidden"); omitted for fields no flag sets. */
  flag?: string;
  /** One line for --help. */
  doc: string;
  /** Whether a resumed run may change it (epochs, checkpoint cadence, where the data lives). */
  resumable: boolean;
  /** Heading it is listed under in --help ("Model", "Data", ...). */
  group: string;
  /** What --help shows as the default, when the plain value would mislead ("1 for sgd, 0.01 for adam"). */
  defaultDoc?: string;
}

/** An integer option with a least value (and a largest one, when there is one). */
export interface IntegerOption extends OptionBase {
  type: "integer";
  min: 0 | 1;
  max?: number;
  default?: number;
}

/** A finite number option that must be positive, or non-negative with `min: 0` (a dropout rate). */
export interface NumberOption extends OptionBase {
  type: "number";
  /** 0 lets the value be zero; absent, it must be above zero. */
  min?: 0;
  default?: number;
}

export interface BooleanOption extends OptionBase {
  type: "boolean";
  default?: boolean;
}

export interface StringOption extends OptionBase {
  type: "string";
  default?: string;
}

export interface ChoiceOption extends OptionBase {
  type: "choice";
  choices: readonly string[];
  default?: string;
  /** How --help writes the choices ("lstm|gru|rnn"); default: joined with "|". */
  metavar?: string;
}

export type OptionSpec = IntegerOption | NumberOption | BooleanOption | StringOption | ChoiceOption;

/** A task's declaration. */
export interface TaskSchema {
  /** Name on the command line ("charlm"). */
  task: string;
  /** One line for task lists. */
  summary: string;
  /** Paragraph under the usage line of --help. */
  description: string;
  options: readonly OptionSpec[];
}

/**
 * What a flag's value must be, in words ("a positive integer"). For an integer above its
 * largest value the words name that bound ("at most 4096"), the one the value broke.
 */
export function expectation(spec: OptionSpec, value?: unknown): string {
  switch (spec.type) {
    case "integer":
      if (spec.max !== undefined && typeof value === "number" && Number.isSafeInteger(value) && value > spec.max) return `at most ${spec.max}`;
      return spec.min === 1 ? "a positive integer" : "a non-negative integer";
    case "number":
      return spec.min === 0 ? "a non-negative number" : "a positive number";
    case "boolean":
      return "true or false";
    case "string":
      return "a non-empty string";
    case "choice":
      return `one of ${spec.choices.join(", ")}`;
  }
}

/** Error from parseFlag: the message names the flag, what it must be and what came. */
export class OptionError extends Error {}

/** Reads a flag's text as the option's value; undefined when the flag was not given. */
export function parseFlag(spec: OptionSpec, raw: string | boolean | undefined): OptionValue | undefined {
  if (raw === undefined) return undefined;
  const flag = spec.flag ?? spec.name;
  // `parsed` is the value read from the text, when there is one, so the message names the bound it broke.
  const fail = (parsed?: number): never => {
    throw new OptionError(`${flag} must be ${expectation(spec, parsed)}, got ${JSON.stringify(raw)}`);
  };
  if (spec.type === "boolean") return typeof raw === "boolean" ? raw : fail();
  if (typeof raw !== "string") return fail();
  switch (spec.type) {
    case "integer": {
      const v = /^\+?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
      if (!Number.isSafeInteger(v) || v < spec.min || (spec.max !== undefined && v > spec.max)) fail(v);
      return v;
    }
    case "number": {
      const v = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw.trim()) ? Number(raw) : NaN;
      if (!(Number.isFinite(v) && (spec.min === 0 ? v >= 0 : v > 0))) fail();
      return v;
    }
    case "string":
      if (raw.trim() === "") throw new OptionError(`${flag} must not be empty`);
      return raw;
    case "choice":
      return spec.choices.find((c) => c === raw) ?? fail();
  }
}

/** Checks one config value read back from JSON; errors read `${where}: ${name} must be ..., got ...`. */
export function checkValue(spec: OptionSpec, value: unknown, where: string): OptionValue {
  const fail = (): never => {
    throw new Error(`${where}: ${spec.name} must be ${expectation(spec, value)}, got ${describeValue(value)}`);
  };
  switch (spec.type) {
    case "integer":
      return typeof value === "number" && Number.isSafeInteger(value) && value >= spec.min && (spec.max === undefined || value <= spec.max) ? value : fail();
    case "number":
      return typeof value === "number" && Number.isFinite(value) && (spec.min === 0 ? value >= 0 : value > 0) ? value : fail();
    case "boolean":
      return typeof value === "boolean" ? value : fail();
    case "string":
      return typeof value === "string" && value !== "" ? value : fail();
    case "choice":
      return spec.choices.find((c) => c === value) ?? fail();
  }
}

/**
 * Checks a config object against the schema: no unknown fields (besides `extra` ones the task
 * derives itself, such as a data hash), every option present and valid. Returns the checked values.
 */
export function checkConfig(schema: TaskSchema, json: unknown, where: string, extra: readonly string[] = []): Record<string, OptionValue> {
  if (!isRecord(json)) throw new Error(`${where}: config must be an object, got ${describeValue(json)}`);
  const known = new Set([...schema.options.map((o) => o.name), ...extra]);
  for (const k of Object.keys(json)) if (!known.has(k)) throw new Error(`${where}: unknown config field "${clip(k)}"`);
  const out: Record<string, OptionValue> = {};
  for (const spec of schema.options) out[spec.name] = checkValue(spec, json[spec.name], where);
  return out;
}

/** The first field, other than the resumable ones, in which two configs differ: "hiddenSize 10 vs 12"; null when none. */
export function configDifference(schema: TaskSchema, a: Record<string, unknown>, b: Record<string, unknown>): string | null {
  const resumable = new Set(schema.options.filter((o) => o.resumable).map((o) => o.name));
  for (const key of Object.keys(a)) {
    if (resumable.has(key)) continue;
    if (a[key] !== b[key]) return `${key} ${JSON.stringify(a[key])} vs ${JSON.stringify(b[key])}`;
  }
  return null;
}

/** "--epochs, --checkpoint-every and --text": the flags a resumed run may change. */
export function resumableFlags(schema: TaskSchema): string {
  const flags = schema.options.filter((o) => o.resumable && o.flag !== undefined).map((o) => o.flag ?? "");
  return flags.length <= 1 ? (flags[0] ?? "none") : `${flags.slice(0, -1).join(", ")} and ${flags[flags.length - 1]}`;
}

/**
 * The resume check: each flag given for a resumed run must equal the run's saved value unless
 * the option is resumable. Returns an error message for the first that differs, else null.
 */
export function resumeConflict(schema: TaskSchema, given: Record<string, OptionValue | undefined>, saved: Record<string, unknown>): string | null {
  for (const spec of schema.options) {
    const value = given[spec.name];
    if (value === undefined || spec.resumable) continue;
    if (value !== saved[spec.name]) {
      return `${spec.flag ?? spec.name} ${String(value)} differs from the run's ${String(saved[spec.name])}; a resumed run keeps its settings (only ${resumableFlags(schema)} may change)`;
    }
  }
  return null;
}

/**
 * The `--help` lines of the options, grouped under their headings in order of first appearance;
 * `extra` lines are added at the end of their group (a group of their own when the schema has none).
 */
export function optionsHelp(schema: TaskSchema, extra: Record<string, readonly string[]> = {}): string {
  const groups = new Map<string, OptionSpec[]>();
  for (const o of schema.options) {
    if (o.flag === undefined) continue;
    groups.set(o.group, [...(groups.get(o.group) ?? []), o]);
  }
  const lines: string[] = [];
  for (const [group, specs] of groups) {
    lines.push(group);
    for (const o of specs) {
      const meta = o.type === "boolean" ? "" : o.type === "choice" ? ` ${o.metavar ?? o.choices.join("|")}` : o.type === "string" ? " PATH" : o.type === "number" ? " X" : " N";
      const dflt = o.defaultDoc ?? (o.default === undefined || o.type === "boolean" ? undefined : String(o.default));
      const doc = dflt === undefined ? o.doc : `${o.doc} (default ${dflt})`;
      const head = `  ${o.flag}${meta}`;
      lines.push(head.length < 29 ? `${head.padEnd(29)}${doc}` : `${head}\n${" ".repeat(29)}${doc}`);
    }
    lines.push(...(extra[group] ?? []), "");
  }
  for (const [group, more] of Object.entries(extra)) if (!groups.has(group)) lines.push(group, ...more, "");
  return `${lines.join("\n")}\n`;
}
