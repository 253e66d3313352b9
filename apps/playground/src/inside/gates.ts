/**
 * The gates of a char LM's first recurrent layer (forward direction) over a typed text, step by
 * step, from the layer's own weights and the cell equations of src/nn/cells (PyTorch's gate
 * order: LSTM i|f|g|o, GRU r|z|n). Plain loops over one row (B = 1): the point is to show each
 * number, not speed. A library-wide gate tracer can replace this module; the page needs only
 * `traceGates`.
 *
 *   LSTM  i = σ(W_ii x + b_ii + W_hi h + b_hi)   f, o likewise with σ;  g = tanh(...)
 *         c' = f ⊙ c + i ⊙ g                     h' = o ⊙ tanh(c')
 *   GRU   r = σ(W_ir x + b_ir + W_hr h + b_hr)   z likewise
 *         n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))   h' = (1 − z) ⊙ n + z ⊙ h
 *   RNN   h' = tanh(W_ih x + b_ih + W_hh h + b_hh)
 */
import type { RNNLM, Tensor, Vocab } from "recurrent";
import type { GateTrace, InspectResult } from "../lm/protocol.js";

/** The traces each cell shows, in order. */
export const TRACE_NAMES: Record<RNNLM["cell"], readonly string[]> = {
  lstm: ["i", "f", "g", "o", "c", "h"],
  gru: ["r", "z", "n", "h"],
  rnn: ["h"],
};

/** Most characters traced at once: the heatmaps stay readable and the work stays small. */
export const MAX_TRACE_CHARS = 400;

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

function param(dict: Record<string, Tensor>, name: string): Float32Array {
  const t = dict[name];
  if (t === undefined) throw new Error(`traceGates: the model has no parameter ${name}`);
  return t.data;
}

/** Per character, the gates and states of layer 0; see the module comment. */
export function traceGates(model: RNNLM, vocab: Vocab, text: string): Omit<InspectResult, "trained"> {
  const chars = Array.from(text);
  if (chars.length === 0) throw new Error("traceGates: type some text first");
  if (chars.length > MAX_TRACE_CHARS) throw new Error(`traceGates: text must be at most ${MAX_TRACE_CHARS} characters, got ${chars.length}`);
  const dict = model.stateDict();
  const H = model.hiddenSize;
  const Wih = param(dict, "rnn.weight_ih_l0");
  const Whh = param(dict, "rnn.weight_hh_l0");
  const bih = param(dict, "rnn.bias_ih_l0");
  const bhh = param(dict, "rnn.bias_hh_l0");
  const G = bih.length;
  const I = Wih.length / G;
  const emb = model.embedding === null ? null : param(dict, "embedding.weight");
  const names = TRACE_NAMES[model.cell];
  const traces: GateTrace[] = names.map((name) => ({ name, values: new Float32Array(chars.length * H) }));
  const put = (name: string, t: number, j: number, v: number): void => {
    traces[names.indexOf(name)]!.values[t * H + j] = v;
  };
  let h = new Float64Array(H);
  let c = new Float64Array(H);
  const xh = new Float64Array(G); // W_ih x + b_ih, (G)
  const hh = new Float64Array(G); // W_hh h + b_hh, (G)
  for (let t = 0; t < chars.length; t++) {
    const id = vocab.indexOf(chars[t]!);
    for (let g = 0; g < G; g++) {
      let s = bih[g]!;
      if (emb === null) s += Wih[g * I + id]!; // one-hot input: one column of W_ih
      else for (let k = 0; k < I; k++) s += Wih[g * I + k]! * emb[id * I + k]!;
      xh[g] = s;
      let r = bhh[g]!;
      for (let k = 0; k < H; k++) r += Whh[g * H + k]! * h[k]!;
      hh[g] = r;
    }
    const nh = new Float64Array(H);
    const nc = new Float64Array(H);
    for (let j = 0; j < H; j++) {
      if (model.cell === "lstm") {
        const i = sigmoid(xh[j]! + hh[j]!);
        const f = sigmoid(xh[H + j]! + hh[H + j]!);
        const g = Math.tanh(xh[2 * H + j]! + hh[2 * H + j]!);
        const o = sigmoid(xh[3 * H + j]! + hh[3 * H + j]!);
        nc[j] = f * c[j]! + i * g;
        nh[j] = o * Math.tanh(nc[j]!);
        put("i", t, j, i);
        put("f", t, j, f);
        put("g", t, j, g);
        put("o", t, j, o);
        put("c", t, j, nc[j]!);
      } else if (model.cell === "gru") {
        const r = sigmoid(xh[j]! + hh[j]!);
        const z = sigmoid(xh[H + j]! + hh[H + j]!);
        const n = Math.tanh(xh[2 * H + j]! + r * hh[2 * H + j]!);
        nh[j] = (1 - z) * n + z * h[j]!;
        put("r", t, j, r);
        put("z", t, j, z);
        put("n", t, j, n);
      } else {
        nh[j] = Math.tanh(xh[j]! + hh[j]!);
      }
      put("h", t, j, nh[j]!);
    }
    h = nh;
    c = nc;
  }
  return { chars, hiddenSize: H, cell: model.cell, traces };
}
