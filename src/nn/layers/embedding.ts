import { Tensor } from "../../tensor/tensor.js";
import { shapeStr, sizeOf, type Shape } from "../../tensor/shape.js";
import { embedding } from "../../autograd/ops/embedding.js";
import { concat, reshape } from "../../autograd/ops/shape.js";
import { Module, requirePositiveInt, type LayerConfig } from "../module.js";
import { checkOptions, type OptionSchema } from "../options.js";
import { normalParam } from "../init.js";
import { attachMask } from "../utils/mask.js";
import { gatherRows } from "../utils/gather-rows.js";

export interface EmbeddingOptions {
  /** Vocabulary size V. Required. */
  numEmbeddings: number;
  /** Vector width E. Required. */
  embeddingDim: number;
  /**
   * Keras's `mask_zero`: id 0 is padding. The output carries a keep mask (ids != 0) of the ids'
   * shape, which a recurrent layer reading it uses (masked steps keep the state). Default false.
   */
  maskZero?: boolean;
  /**
   * PyTorch's `padding_idx`: this row starts at zeros and gets no gradient, so it stays as set.
   * Negative values count from the end (V + paddingIdx). Default: none.
   */
  paddingIdx?: number;
}

const EMBEDDING_OPTIONS: OptionSchema = {
  numEmbeddings: { type: "integer", optional: false, doc: "vocabulary size V" },
  embeddingDim: { type: "integer", optional: false, doc: "vector width E" },
  maskZero: { type: "boolean", doc: "id 0 is padding and masked, default false" },
  paddingIdx: { type: "integer", doc: "row with zero gradient, initialised to zeros; default none" },
};

/**
 * A lookup table (V, E), initialised N(0, 1) as in PyTorch; parameter name `weight`.
 * `forward(indices: Tensor | ArrayLike<number>, shape?): Tensor`: a Tensor of integer ids of
 * shape S gives (...S, E), so the layer can open a `Sequential`.
 */
export class Embedding extends Module {
  readonly weight: Tensor;
  readonly opts: EmbeddingOptions;

  constructor(opts: EmbeddingOptions) {
    super();
    checkOptions<EmbeddingOptions>("Embedding", opts, EMBEDDING_OPTIONS);
    requirePositiveInt("Embedding", "numEmbeddings", opts.numEmbeddings);
    requirePositiveInt("Embedding", "embeddingDim", opts.embeddingDim);
    this.opts = { numEmbeddings: opts.numEmbeddings, embeddingDim: opts.embeddingDim };
    this.maskZero = opts.maskZero ?? false;
    const V = opts.numEmbeddings;
    if (opts.paddingIdx !== undefined && (opts.paddingIdx >= V || opts.paddingIdx < -V)) {
      throw new Error(`Embedding: paddingIdx must be in [-${V}, ${V}) (numEmbeddings = ${V}), got ${opts.paddingIdx}`);
    }
    this.paddingIdx = opts.paddingIdx === undefined ? null : opts.paddingIdx < 0 ? V + opts.paddingIdx : opts.paddingIdx;
    this.weight = this.registerParameter("weight", normalParam([V, opts.embeddingDim], 1));
    if (this.paddingIdx !== null) this.weight.data.fill(0, this.paddingIdx * opts.embeddingDim, (this.paddingIdx + 1) * opts.embeddingDim);
  }

  /** Id 0 is padding: outputs carry a keep mask. */
  readonly maskZero: boolean;
  /** The row that gets no gradient (normalised to [0, V)), or null. */
  readonly paddingIdx: number | null;

  override describe(): string {
    return `Embedding(numEmbeddings=${this.opts.numEmbeddings}, embeddingDim=${this.opts.embeddingDim})`;
  }

  /** `{ numEmbeddings, embeddingDim }`: the options that rebuild this layer. */
  override getConfig(): LayerConfig {
    const config: LayerConfig = { numEmbeddings: this.opts.numEmbeddings, embeddingDim: this.opts.embeddingDim };
    if (this.maskZero) config["maskZero"] = true;
    if (this.paddingIdx !== null) config["paddingIdx"] = this.paddingIdx;
    return config;
  }

  /**
   * Looks up `indices`. A Tensor of ids keeps its shape: (...S) -> (...S, E). A plain array or
   * typed array gives shape `shape` (default [indices.length]) + [E].
   */
  forward(indices: Tensor | ArrayLike<number>, shape?: Shape): Tensor {
    try {
      const ids = indices instanceof Tensor ? indices.data : indices;
      const s = shape ?? (indices instanceof Tensor ? indices.shape : [ids.length]);
      const out = this.paddingIdx === null ? embedding(this.weight, ids, s) : this.lookupFrozen(ids, s);
      if (!this.maskZero) return out;
      const keep = Float32Array.from(ids, (v) => (v === 0 ? 0 : 1));
      return attachMask(out, new Tensor(keep, s));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      throw new Error(`${this.describe()}.forward: ${message.replace(/^embedding: /, "")}`);
    }
  }

  /** The lookup with the padding row cut off from the gradient (its output rows still read it). */
  private lookupFrozen(ids: ArrayLike<number>, shape: Shape): Tensor {
    const V = this.opts.numEmbeddings;
    const E = this.opts.embeddingDim;
    const pad = this.paddingIdx!;
    if (sizeOf(shape) !== ids.length) throw new Error(`${ids.length} indices do not fill shape ${shapeStr(shape)}`);
    for (let i = 0; i < ids.length; i++) {
      const v = ids[i]!;
      if (!Number.isInteger(v) || v < 0 || v >= V) throw new Error(`index ${v} at position ${i} is outside [0, ${V})`);
    }
    // Rows come from [trainable rows; a copy of the padding row], so the padding row gets no gradient.
    const index = Int32Array.from(ids, (v) => (v === pad ? V : v));
    const frozen = new Tensor(this.weight.data.slice(pad * E, (pad + 1) * E), [1, E]);
    const source = concat([this.weight, frozen], 0); // (V + 1, E)
    return reshape(gatherRows(source, index), [...shape, E]);
  }
}
