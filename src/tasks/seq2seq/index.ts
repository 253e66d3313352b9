/**
 * English–French translation (`recurrent train seq2seq`): d2l's GRU encoder–decoder, with or
 * without Bahdanau attention, greedy and beam-search decoding, BLEU as the book defines it.
 */
export { SEQ2SEQ_TASK, loadSeq2Seq, readSeq2SeqConfig, type LoadedSeq2Seq } from "./task.js";
export * from "./browser.js";
export { resolveSeq2SeqConfig, loadTranslationData, heldOutIndices, referenceTokens, FRA_ENG_TXT, type Seq2SeqConfig, type TranslationData } from "./data.js";
export { BOOK_EXAMPLES, translate, sourceBatch, bookExamples, scoreHeldOut, attentionMap, type AttentionMap, type ExampleResult, type HeldOutScores } from "./translate.js";
export {
  trainSeq2Seq,
  buildSeq2Seq,
  seq2seqStep,
  translationBatch,
  translationLoader,
  writeSeq2SeqResults,
  summarizeSeq2Seq,
  type TrainSeq2SeqOptions,
  type TrainSeq2SeqResult,
  type TranslationBatch,
  type Seq2SeqResults,
} from "./train.js";
