/**
 * Text preprocessing and tokenization as in Dive into Deep Learning (d2l), chapter
 * "Recurrent Neural Networks", PyTorch edition: `read_time_machine` and `tokenize`.
 */

/** How a line is cut into tokens: single characters (spaces included) or whitespace-separated words. */
export type TokenKind = "char" | "word";

/**
 * Splits `text` into lines and keeps only ASCII letters, lowercased; every run of other characters
 * becomes one space, and the line is trimmed. This is d2l's
 * `re.sub('[^A-Za-z]+', ' ', line).strip().lower()` applied to each line of `f.readlines()`.
 *
 * Lines are split the way Python's text mode reads them (universal newlines: `\n`, `\r\n` and `\r`),
 * and, as with `readlines()`, a final newline does not start an extra line. Lines that end up empty
 * are kept as "" so line numbers match d2l's.
 */
export function preprocessLines(text: string): string[] {
  if (typeof text !== "string") throw new Error(`preprocessLines: text must be a string, got ${typeof text}`);
  const lines = text.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.map((line) => line.replace(/[^A-Za-z]+/g, " ").trim().toLowerCase());
}

/**
 * The characters Python's `str.split()` splits on (`str.isspace()`); JS `\s` differs from it in
 * U+001C..U+001F, U+0085 and U+FEFF.
 */
const PY_WHITESPACE = /[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/**
 * Cuts each line into tokens, like d2l's `tokenize`: `list(line)` for "char" and `line.split()` for
 * "word". An empty line therefore gives no tokens in either mode (Python's `"".split()` is `[]`).
 */
export function tokenize(lines: readonly string[], token: TokenKind): string[][] {
  if (!Array.isArray(lines)) throw new Error(`tokenize: lines must be an array of strings, got ${typeof lines}`);
  if (token !== "char" && token !== "word") {
    throw new Error(`tokenize: token must be "char" or "word", got ${JSON.stringify(token)}`);
  }
  return lines.map((line, i) => {
    if (typeof line !== "string") throw new Error(`tokenize: lines[${i}] must be a string, got ${typeof line}`);
    if (token === "char") return Array.from(line);
    return line.split(PY_WHITESPACE).filter((w) => w.length > 0);
  });
}
