/**
 * A text turned into one long sequence of token indices, as d2l's `load_corpus_time_machine`
 * (chapter "Text Preprocessing", PyTorch edition), but for any text rather than one fixed file.
 */
import { preprocessLines, tokenize, type TokenKind } from "./preprocess.js";
import { Vocab } from "./vocab.js";

/** Options of `loadCorpus`. */
export interface LoadCorpusOptions {
  /** Token kind: "char" (letters and space) or "word". Default "char", as d2l. */
  token?: TokenKind;
  /** Keep only the first maxTokens indices when > 0; 0 or negative keeps all. Integer; default -1. */
  maxTokens?: number;
  /** Table to use instead of one built from this text (e.g. the training vocab for a test text). Default: built here. */
  vocab?: Vocab;
}

/** The corpus as indices into `vocab`, and the vocab. */
export interface Corpus {
  /** Token indices of all lines, concatenated with no separator between lines. */
  corpus: Int32Array;
  vocab: Vocab;
}

/**
 * Preprocesses `text` (see `preprocessLines`), tokenizes it, builds a Vocab unless one is given,
 * and maps every token to its index: `[vocab[token] for line in tokens for token in line]`.
 */
export function loadCorpus(text: string, options: LoadCorpusOptions = {}): Corpus {
  if (typeof text !== "string") throw new Error(`loadCorpus: text must be a string, got ${typeof text}`);
  const kind = options.token ?? "char";
  const maxTokens = options.maxTokens ?? -1;
  if (kind !== "char" && kind !== "word") {
    throw new Error(`loadCorpus: token must be "char" or "word", got ${JSON.stringify(kind)}`);
  }
  if (!Number.isInteger(maxTokens)) throw new Error(`loadCorpus: maxTokens must be an integer, got ${String(maxTokens)}`);
  if (options.vocab !== undefined && !(options.vocab instanceof Vocab)) {
    throw new Error(`loadCorpus: vocab must be a Vocab, got ${typeof options.vocab}`);
  }
  if (!/[A-Za-z]/.test(text)) {
    throw new Error(
      `loadCorpus: text must contain at least one letter A-Z or a-z (all other characters are dropped), ` +
        `got ${text.length === 0 ? "an empty text" : `${text.length} characters and no letter`}`,
    );
  }

  const tokens = tokenize(preprocessLines(text), kind);
  const vocab = options.vocab ?? new Vocab(tokens);
  let total = 0;
  for (const line of tokens) total += line.length;
  const n = maxTokens > 0 ? Math.min(maxTokens, total) : total;
  const corpus = new Int32Array(n);
  let k = 0;
  outer: for (const line of tokens) {
    for (const t of line) {
      if (k === n) break outer;
      corpus[k++] = vocab.indexOf(t);
    }
  }
  return { corpus, vocab };
}
