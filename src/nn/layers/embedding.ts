import type { Tensor } from "../../tensor/tensor.js";
import type { Shape } from "../../tensor/shape.js";
import { embedding } from "../../autograd/ops/embedding.js";
import { Module, requirePositiveInt } from "../module.js";
import { normalParam } from "../init.js";

export interface EmbeddingOptions {
  /** Vocabulary size V. */
  numEmbeddings: number;
  /** Vector width E. */
  embeddingDim: number;
}

/** A lookup table (V, E), initialised N(0, 1) as in PyTorch; parameter name `weight`. */
export class Embedding extends Module {
  readonly weight: Tensor;

  constructor(readonly opts: EmbeddingOptions) {
    super();
    requirePositiveInt("Embedding", "numEmbeddings", opts.numEmbeddings);
    requirePositiveInt("Embedding", "embeddingDim", opts.embeddingDim);
    this.weight = this.registerParameter("weight", normalParam([opts.numEmbeddings, opts.embeddingDim], 1));
  }

  describe(): string {
    return `Embedding(numEmbeddings=${this.opts.numEmbeddings}, embeddingDim=${this.opts.embeddingDim})`;
  }

  /** Looks up `indices`; the result has shape `shape` (default [indices.length]) + [E]. */
  forward(indices: ArrayLike<number>, shape?: Shape): Tensor {
    try {
      return embedding(this.weight, indices, shape);
    } catch (e) {
      throw new Error(`${this.describe()}.forward: ${(e as Error).message.replace(/^embedding: /, "")}`);
    }
  }
}
