/**
 * The gates of a char LM's first recurrent layer (forward direction) over a typed text, from the
 * library's `traceGates`: per character and hidden unit, the cell's gates in PyTorch's order
 * (the LSTMs i|f|g|o, GRU r|z|n), the cell state c where the cell has one, and h. The text is
 * encoded as the model reads it (one-hot, or its embedding) and run as one sequence (B = 1).
 *
 *   LSTM  i = σ(W_ii x + b_ii + W_hi h + b_hi)   f, o likewise with σ;  g = tanh(...)
 *         c' = f ⊙ c + i ⊙ g                     h' = o ⊙ tanh(c')
 *   GRU   r = σ(W_ir x + b_ir + W_hr h + b_hr)   z likewise
 *         n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))   h' = (1 − z) ⊙ n + z ⊙ h
 *   RNN   h' = tanh(W_ih x + b_ih + W_hh h + b_hh)
 *   Peephole LSTM: as LSTM with p_i ⊙ c and p_f ⊙ c added inside i and f, p_o ⊙ c' inside o
 *   Layer-norm LSTM: a = LN_i(W_i x) + LN_h(W_h h) split into i|f|g|o;  c' = LN_c(f ⊙ c + i ⊙ g)
 *                    (the traced c is the normalised one, the state the next step reads)
 */
import { noGrad, oneHot, traceGates as traceLayer, type RNNLM, type Tensor, type Vocab } from "recurrent";
import type { InspectResult, UnitTrace } from "../lm/protocol.js";

/** The traces each cell shows, in order (the layer trace's series names). */
export const TRACE_NAMES: Record<RNNLM["cell"], readonly string[]> = {
  lstm: ["i", "f", "g", "o", "c", "h"],
  peephole_lstm: ["i", "f", "g", "o", "c", "h"],
  layernorm_lstm: ["i", "f", "g", "o", "c", "h"],
  gru: ["r", "z", "n", "h"],
  rnn: ["h"],
};

/** Most characters traced at once: the heatmaps stay readable and the work stays small. */
export const MAX_TRACE_CHARS = 400;

/** Per character, the gates and states of layer 1, forward direction; see the module comment. */
export function traceGates(model: RNNLM, vocab: Vocab, text: string): Omit<InspectResult, "trained"> {
  const chars = Array.from(text);
  if (chars.length === 0) throw new Error("traceGates: type some text first");
  if (chars.length > MAX_TRACE_CHARS) throw new Error(`traceGates: text must be at most ${MAX_TRACE_CHARS} characters, got ${chars.length}`);
  const T = chars.length;
  const H = model.hiddenSize;
  const ids = Int32Array.from(chars, (ch) => vocab.indexOf(ch));
  const x: Tensor = noGrad(() => (model.embedding !== null ? model.embedding.forward(ids, [T]) : oneHot(ids, model.vocabSize, [T]))); // (T, E or V)
  const trace = traceLayer(model.rnn, x);
  const first = trace.directions.find((d) => d.layer === 0 && d.direction === "forward");
  if (first === undefined) throw new Error(`traceGates: the trace of ${trace.layer} has no first layer`);
  const traces: UnitTrace[] = TRACE_NAMES[model.cell].map((name) => {
    const s = first.series.find((x) => x.name === name);
    if (s === undefined) throw new Error(`traceGates: the trace of ${trace.layer} has no ${name} (it has ${first.series.map((x) => x.name).join(", ")})`);
    // values[unit][step] to step-major rows, as the heatmaps draw them.
    const values = new Float32Array(T * H);
    s.values.forEach((row, j) => row.forEach((v, t) => (values[t * H + j] = v)));
    return { name, values };
  });
  return { chars, hiddenSize: H, cell: model.cell, traces };
}
