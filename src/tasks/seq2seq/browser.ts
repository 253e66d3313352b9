/** The browser-safe parts of the seq2seq task: option schema, model, decoding, BLEU. */
export { SEQ2SEQ_SCHEMA, SEQ2SEQ_DEFAULTS, SEQ2SEQ_SPLITS } from "./schema.js";
export { Seq2Seq, Seq2SeqEncoder, Seq2SeqDecoder, Seq2SeqAttentionDecoder, type Seq2SeqOptions, type Encoded, type DecoderState, type Seq2SeqDecoderModule } from "./model.js";
export { greedyDecode, beamDecode, greedyWithAttention, takeRows, type DecodeOptions, type SourceBatch } from "./decode.js";
export { bleu, corpusBleu, type CorpusBleu } from "./bleu.js";
