/** Reading the training text with errors a person can act on. */
import { readFileChecked } from "../io/atomic.js";
import { sha256Hex } from "../train/checkpoint.js";

export interface TextFile {
  /** The text, decoded as UTF-8. */
  text: string;
  /** SHA-256 of the text's UTF-8 bytes, as trainCharLM checks it. */
  sha256: string;
}

export function readTextFile(path: string): TextFile {
  const bytes = readFileChecked(path, "text file");
  const text = new TextDecoder("utf-8").decode(bytes);
  if (text.trim() === "") throw new Error(`text file ${path} is empty`);
  return { text, sha256: sha256Hex(new TextEncoder().encode(text)) };
}
