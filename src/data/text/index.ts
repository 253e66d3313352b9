/** Text data: preprocessing, tokens, vocabulary, corpus and the two minibatch samplers of d2l. */
export { preprocessLines, tokenize, type TokenKind } from "./preprocess.js";
export { Vocab, UNK, type VocabOptions, type VocabJSON } from "./vocab.js";
export { loadCorpus, type LoadCorpusOptions, type Corpus } from "./corpus.js";
export {
  seqDataIterRandom,
  seqDataIterSequential,
  randomBatchCount,
  sequentialBatchCount,
  type Batch,
  type BatchIterator,
} from "./samplers.js";
export { SeqDataLoader, type SeqDataLoaderOptions, type SamplerKind } from "./loader.js";
export { statePolicyFor, nextState, type StatePolicy } from "./state-policy.js";
