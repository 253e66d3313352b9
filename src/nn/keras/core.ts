/**
 * The recurrent layer inside every Keras-style layer: the shared recurrent base (stacking code,
 * lengths and masks, fused kernels) with Keras's cell variants and Keras's dropout. One layer,
 * one direction; `Bidirectional` wraps two of them.
 *
 * Dropout follows Keras 3 (Gal & Ghahramani 2016, variational dropout): per call, ONE input mask
 * (B, I) multiplies x at every time step, and ONE recurrent mask (B, H) multiplies h_{t-1} where
 * it enters the recurrent product W_hh·h_{t-1} at every step (not the GRU's carry z⊙h_{t-1},
 * nor the LSTM's c). Keras 2 and TF.js draw one mask per gate (implementation 1); we use Keras 3's
 * single masks, which implementation 2 of Keras 2 also uses. Masks are scaled by 1/(1-p) and
 * carry no gradient. Symbols: B batch, T time steps, I input size, H units.
 */
import { Tensor } from "../../tensor/tensor.js";
import { Generator, globalGenerator } from "../../tensor/random.js";
import { mul } from "../../autograd/ops/elementwise.js";
import type { LayerConfig } from "../module.js";
import type { CellName, CellState } from "../cells/spec.js";
import { RNNBase, type RecurrentOutput } from "../layers/rnn-base.js";
import { attachMask, maskOf } from "../utils/mask.js";
import type { SequenceOptions } from "../utils/sequence-options.js";
import type { ActivationName } from "../activations.js";

/** What the core needs beyond the sizes. */
export interface KerasCoreOptions {
  /** Name in messages, e.g. "KerasLSTM(units=8)". */
  name: string;
  cell: CellName;
  inputSize: number;
  hiddenSize: number;
  batchFirst: boolean;
  /** Learn b_ih. */
  bias: boolean;
  /** Learn b_hh too (Keras's GRU with resetAfter: its second bias row). */
  recurrentBias: boolean;
  activation: ActivationName;
  recurrentActivation: ActivationName;
  dropout: number;
  recurrentDropout: number;
  generator: Generator | null;
}

/** Draws a (rows, cols) inverted-dropout mask: 0 with probability p, else 1/(1-p). */
function dropoutMask(rows: number, cols: number, p: number, g: Generator): Float32Array {
  const mask = new Float32Array(rows * cols);
  const scale = 1 / (1 - p);
  for (let i = 0; i < mask.length; i++) mask[i] = g.uniform() < p ? 0 : scale;
  return mask;
}

/** One direction of one layer with Keras's variants; built by the Keras layers, not by users. */
export class KerasCore extends RNNBase {
  readonly #name: string;
  readonly activation: ActivationName;
  readonly recurrentActivation: ActivationName;
  readonly inputDropout: number;
  readonly recurrentDropout: number;
  readonly #generator: Generator | null;

  constructor(o: KerasCoreOptions) {
    super(o.name, o.cell, {
      inputSize: o.inputSize,
      hiddenSize: o.hiddenSize,
      batchFirst: o.batchFirst,
      bias: o.bias,
      recurrentBias: o.recurrentBias,
      activation: o.activation,
      // The plain RNN has no gates, so no gate nonlinearity to choose.
      ...(o.cell.startsWith("rnn_") ? {} : { recurrentActivation: o.recurrentActivation }),
    });
    this.#name = o.name;
    this.activation = o.activation;
    this.recurrentActivation = o.recurrentActivation;
    this.inputDropout = o.dropout;
    this.recurrentDropout = o.recurrentDropout;
    this.#generator = o.generator;
  }

  override describe(): string {
    return this.#name;
  }

  /** A core is rebuilt by its Keras layer, never from a config of its own. */
  override getConfig(): LayerConfig {
    throw new Error(`${this.#name}: the inner recurrent layer has no config of its own; save the Keras layer that holds it`);
  }

  /** [output, final state] from a typed state, as every recurrent layer. */
  forward(x: Tensor, state?: CellState | null, opts?: SequenceOptions): [Tensor, CellState] {
    return this.forwardState(x, state, opts);
  }

  private get generator(): Generator {
    return this.#generator ?? globalGenerator;
  }

  /** Applies the input dropout mask, one per sequence for all steps, then runs the base. */
  protected override run(x: Tensor, h0: Tensor | null, c0: Tensor | null, opts?: SequenceOptions): RecurrentOutput {
    if (this.training && this.inputDropout > 0 && x instanceof Tensor && x.ndim === 3) {
      const B = this.batchFirst ? x.shape[0]! : x.shape[1]!;
      const I = x.shape[2]!;
      const mask = new Tensor(dropoutMask(B, I, this.inputDropout, this.generator), this.batchFirst ? [B, 1, I] : [1, B, I]);
      const attached = maskOf(x);
      const dropped = mul(x, mask);
      // The product is a new tensor: carry over a mask that Masking or Embedding attached to x.
      x = attached === null ? dropped : attachMask(dropped, attached);
    }
    return super.run(x, h0, c0, opts);
  }

  /** The variational recurrent dropout mask (B, H) of this call, or null outside training. */
  protected override recurrentMaskFor(_layer: number, _direction: number, B: number): Tensor | null {
    if (!this.training || this.recurrentDropout === 0) return null;
    return new Tensor(dropoutMask(B, this.hiddenSize, this.recurrentDropout, this.generator), [B, this.hiddenSize]);
  }
}
