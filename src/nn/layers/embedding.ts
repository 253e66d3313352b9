import { Tensor } from "../../tensor/tensor.js";
import type { Shape } from "../../tensor/shape.js";
import { embedding } from "../../autograd/ops/embedding.js";
import { Module, requirePositiveInt, type LayerConfig } from "../module.js";
import { checkOptions, type OptionSchema } from "../options.js";
import { normalParam } from "../init.js";

export interface EmbeddingOptions {
  /** Vocabulary size V. Required. */
  numEmbeddings: number;
  /** Vector width E. Required. */
  embeddingDim: number;
}

const EMBEDDING_OPTIONS: OptionSchema = {
  numEmbeddings: { type: "integer", optional: false, doc: "vocabulary size V" },
  embeddingDim: { type: "integer", optional: false, doc: "vector width E" },
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
    this.weight = this.registerParameter("weight", normalParam([opts.numEmbeddings, opts.embeddingDim], 1));
  }

  override describe(): string {
    return `Embedding(numEmbeddings=${this.opts.numEmbeddings}, embeddingDim=${this.opts.embeddingDim})`;
  }

  /** `{ numEmbeddings, embeddingDim }`: the options that rebuild this layer. */
  override getConfig(): LayerConfig {
    return { numEmbeddings: this.opts.numEmbeddings, embeddingDim: this.opts.embeddingDim };
  }

  /**
   * Looks up `indices`. A Tensor of ids keeps its shape: (...S) -> (...S, E). A plain array or
   * typed array gives shape `shape` (default [indices.length]) + [E].
   */
  forward(indices: Tensor | ArrayLike<number>, shape?: Shape): Tensor {
    try {
      if (indices instanceof Tensor) return embedding(this.weight, indices.data, shape ?? indices.shape);
      return embedding(this.weight, indices, shape);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      throw new Error(`${this.describe()}.forward: ${message.replace(/^embedding: /, "")}`);
    }
  }
}
