/**
 * Additive (Bahdanau) attention, as *Dive into Deep Learning*'s `AdditiveAttention` (d2l 1.0,
 * section "Attention Scoring Functions", eq. 11.3.7), after Bahdanau, Cho & Bengio (2014):
 *
 *   a(q, k)  = w_vᵀ tanh(W_q q + W_k k)                  score of query q against key k
 *   α(q, k_j) = softmax_j(a(q, k_j)) over the valid keys   (masked softmax)
 *   out(q)   = Σ_j dropout(α(q, k_j)) v_j
 *
 * Shapes: queries (B, Q, Dq), keys (B, K, Dk), values (B, K, Dv) -> (B, Q, Dv). W_q (h, Dq),
 * W_k (h, Dk) and w_v (1, h) are bias-free Linear layers (`wQ`, `wK`, `wV`). The masked softmax
 * sets the scores of keys past each batch row's valid length to -1e6 before the softmax, as d2l's
 * `masked_softmax` does, so padded keys get weight exactly 0 (exp underflows) and no gradient.
 * Built from primitive ops, so its gradient is the tape's.
 */
import { add, tanh } from "../../autograd/ops/elementwise.js";
import { dropout } from "../../autograd/ops/dropout.js";
import { maskedFill } from "../../autograd/ops/indexing.js";
import { matmul } from "../../autograd/ops/matmul.js";
import { reshape, unsqueeze } from "../../autograd/ops/shape.js";
import { softmax } from "../../autograd/ops/softmax.js";
import { shapeStr } from "../../tensor/shape.js";
import { Tensor } from "../../tensor/tensor.js";
import { Module, requirePositiveInt, type LayerConfig } from "../module.js";
import { checkOptions, describeArg, type OptionSchema } from "../options.js";
import { Linear } from "./linear.js";

export interface AdditiveAttentionOptions {
  /** Query features Dq. Required. */
  querySize: number;
  /** Key features Dk. Required. */
  keySize: number;
  /** Width h of the hidden layer the scores come from. Required. */
  hiddenSize: number;
  /** Dropout on the attention weights, in training mode. Default 0. */
  dropout?: number;
}

const OPTIONS: OptionSchema = {
  querySize: { type: "integer", optional: false, doc: "query features Dq" },
  keySize: { type: "integer", optional: false, doc: "key features Dk" },
  hiddenSize: { type: "integer", optional: false, doc: "hidden width h of the scoring layer" },
  dropout: { type: "number", min: 0, max: 1, exclusiveMax: true, doc: "dropout on the attention weights, default 0" },
};

/** The score of a masked key: exp(-1e6 - max) is 0 in float32, as in d2l. */
const MASKED_SCORE = -1e6;

/** See the module comment. `forward(queries, keys, values, validLens?)`; the last weights stay in `attentionWeights`. */
export class AdditiveAttention extends Module {
  readonly wQ: Linear;
  readonly wK: Linear;
  readonly wV: Linear;
  readonly dropout: number;
  /** The weights (B, Q, K) of the last forward (before dropout); null before the first. */
  attentionWeights: Tensor | null = null;

  constructor(opts: AdditiveAttentionOptions) {
    super();
    checkOptions<AdditiveAttentionOptions>("AdditiveAttention", opts, OPTIONS);
    requirePositiveInt("AdditiveAttention", "querySize", opts.querySize);
    requirePositiveInt("AdditiveAttention", "keySize", opts.keySize);
    requirePositiveInt("AdditiveAttention", "hiddenSize", opts.hiddenSize);
    this.wQ = new Linear({ inFeatures: opts.querySize, outFeatures: opts.hiddenSize, bias: false });
    this.wK = new Linear({ inFeatures: opts.keySize, outFeatures: opts.hiddenSize, bias: false });
    this.wV = new Linear({ inFeatures: opts.hiddenSize, outFeatures: 1, bias: false });
    this.dropout = opts.dropout ?? 0;
  }

  override describe(): string {
    return `AdditiveAttention(hiddenSize=${this.wQ.outFeatures})`;
  }

  override getConfig(): LayerConfig {
    return { querySize: this.wQ.inFeatures, keySize: this.wK.inFeatures, hiddenSize: this.wQ.outFeatures, dropout: this.dropout };
  }

  /**
   * queries (B, Q, Dq), keys (B, K, Dk), values (B, K, Dv) -> (B, Q, Dv). `validLens` (B integers
   * in [1, K]) marks how many leading keys of each row are real; omitted, all K are.
   */
  forward(queries: Tensor, keys: Tensor, values: Tensor, validLens?: ArrayLike<number> | null): Tensor {
    const where = `${this.describe()}.forward`;
    const check = (name: string, t: unknown, last: number | null): Tensor => {
      if (!(t instanceof Tensor) || t.ndim !== 3) throw new Error(`${where}: ${name} must be a 3-D Tensor (B, ·, ·), got ${t instanceof Tensor ? shapeStr(t.shape) : describeArg(t)}`);
      if (last !== null && t.shape[2] !== last) throw new Error(`${where}: ${name} has shape ${shapeStr(t.shape)} but its last dim must be ${last}`);
      return t;
    };
    const q = check("queries", queries, this.wQ.inFeatures);
    const k = check("keys", keys, this.wK.inFeatures);
    const v = check("values", values, null);
    const [B, Q] = q.shape as [number, number, number];
    const K = k.shape[1]!;
    if (k.shape[0] !== B || v.shape[0] !== B || v.shape[1] !== K) {
      throw new Error(`${where}: queries ${shapeStr(q.shape)}, keys ${shapeStr(k.shape)} and values ${shapeStr(v.shape)} must share B, and keys and values K`);
    }
    // (B, Q, 1, h) + (B, 1, K, h): every query against every key in one broadcast add.
    const features = tanh(add(unsqueeze(this.wQ.forward(q), 2), unsqueeze(this.wK.forward(k), 1)));
    let scores = reshape(this.wV.forward(features), [B, Q, K]);
    if (validLens !== undefined && validLens !== null) scores = maskedFill(scores, keyMask(where, validLens, B, K), MASKED_SCORE);
    const weights = softmax(scores, -1);
    this.attentionWeights = weights;
    return matmul(this.dropout > 0 ? dropout(weights, this.dropout, this.training) : weights, v);
  }
}

/** (B, 1, K) with 1 at the keys past each row's valid length. */
function keyMask(where: string, validLens: ArrayLike<number>, B: number, K: number): Tensor {
  if (typeof validLens !== "object" || typeof validLens.length !== "number") throw new Error(`${where}: validLens must be an array of ${B} lengths, got ${describeArg(validLens)}`);
  if (validLens.length !== B) throw new Error(`${where}: validLens has ${validLens.length} entries but the batch has B = ${B}`);
  const mask = new Float32Array(B * K);
  for (let b = 0; b < B; b++) {
    const n = validLens[b]!;
    if (!(Number.isInteger(n) && n >= 1 && n <= K)) throw new Error(`${where}: validLens[${b}] must be an integer in [1, K = ${K}], got ${String(n)}`);
    mask.fill(1, b * K + n, (b + 1) * K);
  }
  return new Tensor(mask, [B, 1, K]);
}
