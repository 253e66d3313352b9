/**
 * Bounded JSON parsing for files that come from outside (run configs, vocabularies, checkpoint
 * metadata). JSON.parse itself copes with any depth, but the code that walks the result
 * (validators, JSON.stringify in an error message) recurses, and a megabyte of `[` brackets
 * overflows its stack. Here depth is measured first, iteratively, and errors quote no more than
 * a short prefix of the input. Browser-safe (no Node imports).
 */

/** The default deepest nesting of objects and arrays accepted: far above any file the project writes (at most 4). */
export const DEFAULT_MAX_JSON_DEPTH = 64;

/** Every failure of `parseJsonChecked`: invalid UTF-8 or JSON, or nesting past the limit. */
export class JsonInputError extends Error {}

export interface JsonParseOptions {
  /** The deepest nesting of `{`/`[` accepted. Default DEFAULT_MAX_JSON_DEPTH (64). */
  maxDepth?: number;
}

/**
 * The deepest nesting of `{`/`[` in JSON text (brackets inside strings skipped), stopping as
 * soon as it passes `limit`. One pass, no recursion.
 */
export function jsonNestingDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** `s` cut to `n` characters with "..." when longer: for input quoted in messages. */
export function clip(s: string, n = 80): string {
  return s.length > n ? `${s.slice(0, n)}...` : s;
}

/**
 * Parses JSON text or UTF-8 bytes, refusing nesting deeper than `maxDepth` before parsing.
 * `what` names the input in errors (`vocabulary runs/x/vocab.json: ...`). Throws JsonInputError.
 */
export function parseJsonChecked(input: string | Uint8Array, what: string, options: JsonParseOptions = {}): unknown {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_JSON_DEPTH;
  const label = clip(what, 200);
  let text: string;
  if (typeof input === "string") text = input;
  else if (input instanceof Uint8Array) {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(input);
    } catch {
      throw new JsonInputError(`${label}: not valid UTF-8 text`);
    }
  } else throw new TypeError(`parseJsonChecked: input must be a string or a Uint8Array, got ${input === null ? "null" : typeof input}`);
  const depth = jsonNestingDepth(text, maxDepth);
  if (depth > maxDepth) throw new JsonInputError(`${label}: nests objects and arrays more than ${maxDepth} levels deep`);
  try {
    return JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new JsonInputError(`${label}: not valid JSON (${clip(why, 160)}; truncated or corrupt file)`);
  }
}
