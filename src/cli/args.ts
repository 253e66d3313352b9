/**
 * Flag parsing on top of node:util parseArgs (strict: unknown flags are errors), with value
 * checks whose errors read `--hidden must be a positive integer, got "0"`.
 */
import { didYouMean } from "../nn/options.js";
import { UsageError } from "./errors.js";

/**
 * Runs a parseArgs call, turning its errors into one-line UsageErrors that point at `--help`;
 * `known` (the long flags without "--") lets an unknown flag be answered with the likely one.
 */
export function guardParse<T>(command: string, parse: () => T, known: readonly string[] = []): T {
  try {
    return parse();
  } catch (err) {
    throw new UsageError(describeParseError(command, err, known));
  }
}

function describeParseError(command: string, err: unknown, known: readonly string[]): string {
  const code = err instanceof Error && "code" in err ? err.code : undefined;
  const message = err instanceof Error ? err.message : String(err);
  const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
  const help = `(see recurrent ${command} --help)`;
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
      const near = flag === undefined ? null : didYouMean(flag.replace(/^-+/, ""), known);
      return `unknown option ${flag ?? message}${near === null ? "" : ` (did you mean --${near}?)`} ${help}`;
    }
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      if (/does not take an argument/.test(message)) return `${flag ?? "an option"} takes no value ${help}`;
      if (/ambiguous/.test(message)) return `${flag ?? "an option"} needs a value; for a value starting with "-" write ${flag ?? "--flag"}=VALUE`;
      return `${flag ?? "an option"} needs a value ${help}`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL": {
      const arg = /Unexpected argument '([^']*)'/.exec(message)?.[1];
      return `unexpected argument ${arg !== undefined ? JSON.stringify(arg) : ""} ${help}`.replace("  ", " ");
    }
    default:
      return `${(message.split("\n")[0] ?? message).split(". ")[0]} ${help}`;
  }
}

/** A positive integer flag; undefined when the flag was not given. */
export function positiveInt(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const v = /^\+?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(v) || v <= 0) throw new UsageError(`${flag} must be a positive integer, got ${JSON.stringify(raw)}`);
  return v;
}

/** A non-negative integer flag; undefined when not given. */
export function nonNegativeInt(flag: string, raw: string | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (raw === undefined) return undefined;
  const v = /^\+?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(v) || v < 0 || v > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? "a non-negative integer" : `an integer in [0, ${max}]`;
    throw new UsageError(`${flag} must be ${range}, got ${JSON.stringify(raw)}`);
  }
  return v;
}

function finiteNumber(raw: string): number {
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw.trim()) ? Number(raw) : NaN;
}

/** A positive finite number flag; undefined when not given. */
export function positiveNumber(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const v = finiteNumber(raw);
  if (!(Number.isFinite(v) && v > 0)) throw new UsageError(`${flag} must be a positive number, got ${JSON.stringify(raw)}`);
  return v;
}

/** A finite number >= 0; undefined when not given. */
export function nonNegativeNumber(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const v = finiteNumber(raw);
  if (!(Number.isFinite(v) && v >= 0)) throw new UsageError(`${flag} must be a number >= 0, got ${JSON.stringify(raw)}`);
  return v;
}

/** One of a fixed set of words; undefined when not given. */
export function choice<T extends string>(flag: string, raw: string | undefined, choices: readonly T[]): T | undefined {
  if (raw === undefined) return undefined;
  const found = choices.find((c) => c === raw);
  if (found === undefined) throw new UsageError(`${flag} must be one of ${choices.join(", ")}, got ${JSON.stringify(raw)}`);
  return found;
}

/** A non-empty string flag; undefined when not given. */
export function nonEmpty(flag: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.trim() === "") throw new UsageError(`${flag} must not be empty`);
  return raw;
}
