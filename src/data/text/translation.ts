/**
 * Sentence pairs for machine translation, prepared as *Dive into Deep Learning* (d2l 1.0,
 * PyTorch edition, section "Machine Translation and the Dataset", class `MTFraEng`) prepares the
 * Tatoeba English–French pairs:
 *
 * 1. `_preprocess`: non-breaking spaces (U+202F, U+00A0) become spaces, the text is lowercased,
 *    and a space is inserted before each of `, . ! ?` not already preceded by a space.
 * 2. `_tokenize`: each `source<TAB>target` line becomes two token lists, split on single spaces
 *    with empty tokens dropped, each followed by "<eos>". Lines without exactly one tab are skipped.
 * 3. `_build_arrays`: each token list is cut or padded with "<pad>" to `numSteps` tokens; target
 *    lists get "<bos>" in front (so they are numSteps + 1 long); the decoder reads target[0..T-1]
 *    and is scored on target[1..T]. A source's valid length counts its tokens that are not "<pad>".
 *
 * The vocabularies hold every token seen at least `minFreq` (2) times. d2l sorts its table
 * alphabetically while this library's `Vocab` puts "<unk>" first, then the reserved tokens, then
 * the rest by frequency: the same set of tokens, other indices (indices are arbitrary labels, so
 * nothing else changes). The reserved tokens are the special tokens d2l's token lists contain:
 * "<pad>" and "<eos>" in the source, and "<bos>" as well in the target.
 */
import { Vocab, type VocabOptions } from "./vocab.js";

export const PAD = "<pad>";
export const BOS = "<bos>";
export const EOS = "<eos>";

/** Special tokens of the source vocabulary (d2l's source lists hold these two). */
export const SOURCE_RESERVED: readonly string[] = [PAD, EOS];
/** Special tokens of the target vocabulary. */
export const TARGET_RESERVED: readonly string[] = [PAD, BOS, EOS];

/** One sentence pair, as token lists (each ending in "<eos>", before cutting and padding). */
export interface TokenPair {
  source: string[];
  target: string[];
}

/** d2l's `_preprocess`: see the module comment (step 1). */
export function preprocessTranslation(text: string): string {
  if (typeof text !== "string") throw new Error(`preprocessTranslation: text must be a string, got ${typeof text}`);
  const lower = text.replace(/[\u202f\xa0]/g, " ").toLowerCase();
  let out = "";
  for (let i = 0; i < lower.length; i++) {
    const ch = lower[i]!;
    // d2l tests text[i - 1] of the text before lowercasing; the two agree wherever lowercasing keeps the length.
    out += i > 0 && ",.!?".includes(ch) && lower[i - 1] !== " " ? ` ${ch}` : ch;
  }
  return out;
}

/** Tokens of one preprocessed sentence: split on single spaces, empty ones dropped, then "<eos>". */
export function sentenceTokens(sentence: string): string[] {
  return `${sentence} ${EOS}`.split(" ").filter((t) => t !== "");
}

/**
 * d2l's `_tokenize` on preprocessed text: the pairs of the first `maxPairs` lines that hold one tab
 * (all when omitted). d2l's own loop stops after line index `max_examples`, one line later than
 * its name says; callers here ask for the count they mean.
 */
export function tokenizePairs(text: string, maxPairs?: number): TokenPair[] {
  if (maxPairs !== undefined && !(Number.isInteger(maxPairs) && maxPairs >= 0)) throw new Error(`tokenizePairs: maxPairs must be a non-negative integer, got ${String(maxPairs)}`);
  const pairs: TokenPair[] = [];
  for (const line of text.split("\n")) {
    if (maxPairs !== undefined && pairs.length >= maxPairs) break;
    const parts = line.split("\t");
    if (parts.length !== 2) continue;
    pairs.push({ source: sentenceTokens(parts[0]!), target: sentenceTokens(parts[1]!) });
  }
  return pairs;
}

/** `tokens` cut to `steps` or padded with "<pad>" to it (d2l's `pad_or_trim`). */
export function padOrTrim(tokens: readonly string[], steps: number): string[] {
  return tokens.length >= steps ? tokens.slice(0, steps) : [...tokens, ...new Array<string>(steps - tokens.length).fill(PAD)];
}

/** The source and target vocabularies of `pairs` (their padded forms, as d2l counts them). */
export function translationVocabs(pairs: readonly TokenPair[], numSteps: number, minFreq = 2): { source: Vocab; target: Vocab } {
  const opts = (reservedTokens: readonly string[]): VocabOptions => ({ minFreq, reservedTokens });
  return {
    source: new Vocab(pairs.map((p) => padOrTrim(p.source, numSteps)), opts(SOURCE_RESERVED)),
    target: new Vocab(pairs.map((p) => [BOS, ...padOrTrim(p.target, numSteps)]), opts(TARGET_RESERVED)),
  };
}

/** Pairs as index arrays, time-major-ready: every row is numSteps ids. */
export interface TranslationArrays {
  /** Pairs N. */
  count: number;
  /** Steps T per row. */
  numSteps: number;
  /** Source ids (N, T), row-major. */
  source: Int32Array;
  /** Non-"<pad>" source tokens per row (N). */
  sourceLengths: Int32Array;
  /** Decoder inputs (N, T): "<bos>" then the target without its last step. */
  decoderInput: Int32Array;
  /** Decoder labels (N, T): the target shifted by one; "<pad>" where there is nothing to score. */
  labels: Int32Array;
}

/** d2l's `_build_arrays` with given vocabularies: see the module comment (step 3). */
export function translationArrays(pairs: readonly TokenPair[], source: Vocab, target: Vocab, numSteps: number): TranslationArrays {
  if (!(Number.isInteger(numSteps) && numSteps >= 1)) throw new Error(`translationArrays: numSteps must be a positive integer, got ${String(numSteps)}`);
  const N = pairs.length;
  const T = numSteps;
  const out: TranslationArrays = {
    count: N,
    numSteps: T,
    source: new Int32Array(N * T),
    sourceLengths: new Int32Array(N),
    decoderInput: new Int32Array(N * T),
    labels: new Int32Array(N * T),
  };
  const srcPad = source.indexOf(PAD);
  pairs.forEach((p, n) => {
    const src = source.toIndices(padOrTrim(p.source, T));
    out.source.set(src, n * T);
    out.sourceLengths[n] = src.reduce((k, id) => k + (id !== srcPad ? 1 : 0), 0);
    const tgt = target.toIndices([BOS, ...padOrTrim(p.target, T)]);
    out.decoderInput.set(tgt.subarray(0, T), n * T);
    out.labels.set(tgt.subarray(1), n * T);
  });
  return out;
}
