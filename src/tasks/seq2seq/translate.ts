/**
 * Translating sentences with a trained model and scoring the translations: the book's four
 * examples (with d2l's BLEU, k = 2) and the held-out pairs (the mean of d2l's sentence BLEU with
 * k = 2, and Papineni's corpus BLEU-4 and BLEU-2).
 */
import { padOrTrim, preprocessTranslation, sentenceTokens, BOS, EOS, type TranslationArrays } from "../../data/text/translation.js";
import type { Vocab } from "../../data/text/vocab.js";
import { bleu, corpusBleu, type CorpusBleu } from "./bleu.js";
import type { Seq2SeqConfig } from "./data.js";
import { referenceTokens, type TranslationData } from "./data.js";
import { beamDecode, greedyDecode, greedyWithAttention, type SourceBatch } from "./decode.js";
import type { Seq2Seq } from "./model.js";

/** The book's examples (d2l 1.0, sections 10.7 and 11.4): English sources and French references. */
export const BOOK_EXAMPLES: readonly { en: string; fr: string }[] = [
  { en: "go .", fr: "va !" },
  { en: "i lost .", fr: "j'ai perdu ." },
  { en: "he's calm .", fr: "il est calme ." },
  { en: "i'm home .", fr: "je suis chez moi ." },
];

/** Longest sentence `translate` accepts, in characters. */
export const MAX_SENTENCE_CHARS = 2000;

/** English sentences as the encoder reads them (the book's preprocessing, cut or padded to numSteps). */
export function sourceBatch(sentences: readonly string[], source: Vocab, numSteps: number): SourceBatch {
  const ids = new Int32Array(sentences.length * numSteps);
  const lengths = new Int32Array(sentences.length);
  const pad = source.indexOf("<pad>");
  sentences.forEach((s, n) => {
    if (typeof s !== "string" || s.trim() === "") throw new Error(`translate: sentence ${n} must be a non-empty string, got ${JSON.stringify(s)}`);
    if (s.length > MAX_SENTENCE_CHARS) throw new Error(`translate: sentence ${n} has ${s.length} characters; at most ${MAX_SENTENCE_CHARS} are read`);
    const row = source.toIndices(padOrTrim(sentenceTokens(preprocessTranslation(s)), numSteps));
    ids.set(row, n * numSteps);
    lengths[n] = row.reduce((k, id) => k + (id !== pad ? 1 : 0), 0);
  });
  return { ids, lengths, numSteps };
}

/** Translations (target tokens, without "<eos>") of `src` with the config's beam (1: greedy). */
export function decodeBatch(model: Seq2Seq, src: SourceBatch, target: Vocab, config: Pick<Seq2SeqConfig, "numSteps" | "beam" | "lengthPenalty">): string[][] {
  const opts = { bos: target.indexOf(BOS), eos: target.indexOf(EOS), maxSteps: config.numSteps, beam: config.beam, lengthPenalty: config.lengthPenalty };
  const ids = config.beam === 1 ? greedyDecode(model, src, opts) : beamDecode(model, src, opts);
  return ids.map((row) => target.toTokens(row));
}

/** Translates English sentences with the run's vocabularies and decoding settings. */
export function translate(model: Seq2Seq, sentences: readonly string[], source: Vocab, target: Vocab, config: Pick<Seq2SeqConfig, "numSteps" | "beam" | "lengthPenalty">): string[][] {
  return decodeBatch(model, sourceBatch(sentences, source, config.numSteps), target, config);
}

export interface ExampleResult {
  source: string;
  reference: string;
  translation: string;
  /** d2l's BLEU with k = 2. */
  bleu: number;
}

/** The book's four examples, translated and scored as the book scores them. */
export function bookExamples(model: Seq2Seq, source: Vocab, target: Vocab, config: Seq2SeqConfig): ExampleResult[] {
  const out = translate(model, BOOK_EXAMPLES.map((e) => e.en), source, target, config);
  return BOOK_EXAMPLES.map((e, i) => ({ source: e.en, reference: e.fr, translation: out[i]!.join(" "), bleu: bleu(out[i]!, e.fr, 2) }));
}

export interface HeldOutScores {
  pairs: number;
  /** Mean over the held-out pairs of d2l's sentence BLEU, k = 2. */
  meanBleu2: number;
  /** Papineni's corpus BLEU-4 over the held-out pairs (one reference each). */
  corpus: CorpusBleu;
  /** The same with n-grams up to 2, which short sentences make the more telling number. */
  corpus2: CorpusBleu;
  /** Held-out pairs translated exactly (every token equal to the reference's). */
  exact: number;
  /** The first held-out translations, for reading. */
  samples: ExampleResult[];
}

/** Translates every held-out pair and scores it against its French sentence. */
export function scoreHeldOut(model: Seq2Seq, data: Pick<TranslationData, "target" | "heldOut" | "heldOutPairs">, config: Seq2SeqConfig, samples = 10): HeldOutScores {
  const arrays: TranslationArrays = data.heldOut;
  const preds = decodeBatch(model, { ids: arrays.source, lengths: arrays.sourceLengths, numSteps: arrays.numSteps }, data.target, config);
  const refs = data.heldOutPairs.map((p) => referenceTokens(p.target));
  let sum = 0;
  let exact = 0;
  preds.forEach((p, i) => {
    const r = refs[i]!;
    sum += bleu(p, r, 2);
    if (p.length === r.length && p.every((t, j) => t === r[j])) exact++;
  });
  return {
    pairs: preds.length,
    meanBleu2: preds.length === 0 ? 0 : sum / preds.length,
    corpus: corpusBleu(preds, refs, 4),
    corpus2: corpusBleu(preds, refs, 2),
    exact,
    samples: preds.slice(0, samples).map((p, i) => ({
      source: referenceTokens(data.heldOutPairs[i]!.source).join(" "),
      reference: refs[i]!.join(" "),
      translation: p.join(" "),
      bleu: bleu(p, refs[i]!, 2),
    })),
  };
}

/** Where one translation's attention went: output tokens (rows) against source tokens (columns). */
export interface AttentionMap {
  source: string[];
  output: string[];
  /** weights[i][j]: output token i's weight on source token j. */
  weights: number[][];
}

/** The greedy translation of `sentence` by an attention model, with its attention weights. */
export function attentionMap(model: Seq2Seq, sentence: string, source: Vocab, target: Vocab, numSteps: number): AttentionMap {
  const src = sourceBatch([sentence], source, numSteps);
  const r = greedyWithAttention(model, src, { bos: target.indexOf(BOS), eos: target.indexOf(EOS), maxSteps: numSteps });
  const output = target.toTokens(r.tokens);
  if (r.weights.length > output.length) output.push(EOS);
  return { source: source.toTokens(src.ids.subarray(0, src.lengths[0])), output, weights: r.weights };
}
