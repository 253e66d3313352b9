/**
 * A char-LM run for `recurrent inspect`: the text's characters, as the model reads them (one-hot
 * vectors, or embedding rows when the run has an embedding), and the model's recurrent layer.
 * Characters the vocabulary lacks are read as <unk>, as generation does.
 */
import { noGrad } from "../../autograd/mode.js";
import { oneHot } from "../../tensor/create.js";
import type { InspectInput } from "../task.js";
import { loadCharLM } from "./run-files.js";

/** Longest text inspected, in characters. */
export const INSPECT_MAX_CHARS = 2000;

export async function inspectCharLM(runDir: string, text: string): Promise<InspectInput> {
  if (text.length === 0) throw new Error("inspect charlm: the text is empty");
  const chars = [...text];
  if (chars.length > INSPECT_MAX_CHARS) throw new Error(`inspect charlm: the text has ${chars.length} characters; at most ${INSPECT_MAX_CHARS}`);
  const loaded = loadCharLM(runDir);
  const { model, vocab } = loaded;
  model.eval();
  const ids = vocab.toIndices(chars);
  const x = noGrad(() => (model.embedding !== null ? model.embedding.forward(ids, [ids.length]) : oneHot(ids, model.vocabSize, [ids.length])));
  const epoch = loaded.checkpoint.meta.epoch;
  return { layer: model.rnn, x, tokens: chars, model: `${model.describe()}, epoch ${epoch}${loaded.unfinished ? " (no final checkpoint yet)" : ""}` };
}
