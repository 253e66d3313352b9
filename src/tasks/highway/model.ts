/**
 * The networks of the Highway Networks paper's depth experiment (Srivastava, Greff and
 * Schmidhuber, "Training Very Deep Networks", 2015, figure 1), for flat 784-pixel inputs:
 *
 *   plain   x -> relu(Linear(784, w)) -> (depth - 2) x relu(Linear(w, w)) -> Linear(w, 10)
 *   highway x -> relu(Linear(784, w)) -> Highway(w, depth - 2 layers)     -> Linear(w, 10)
 *
 * so `depth` counts every layer with weights, the first (input) and last (classifier) included.
 * Thin layers, as the paper: w = 71 plain units or 50 highway blocks, which gives the two kinds
 * about the same number of parameters per layer (71² ≈ 2·50²).
 *
 * Initialisation: every layer's weight matrix W (plain layers, the highway transforms H, the input
 * and classifier layers) is He-normal, N(0, 2/fan_in), as the paper's plain nets (He et al.,
 * 2015), biases zero; the transform-gate weights keep the Highway layer's U(±1/√w) and the gate
 * biases b_T are set to `gateBias` (negative: each layer starts close to carrying its input
 * through). In measured runs of a 100-layer highway stack under Adam (docs/tasks/highway.md),
 * b_T = -2 blew up (training loss 21 after one epoch, 836 after six) and -3 spiked to 1.4e5 in
 * epoch 4, while -4 trained smoothly; hence the task's default of -4.
 */
import { Highway } from "../../nn/layers/highway.js";
import { Linear } from "../../nn/layers/linear.js";
import { Module, type LayerConfig } from "../../nn/module.js";
import { relu } from "../../autograd/ops/elementwise.js";
import { globalGenerator } from "../../tensor/random.js";
import type { Tensor } from "../../tensor/tensor.js";

export type DeepNetKind = "plain" | "highway";
export const DEEP_NET_KINDS: readonly DeepNetKind[] = ["plain", "highway"];

export interface DeepNetOptions {
  kind: DeepNetKind;
  /** Layers with weights, input and classifier included; at least 3. */
  depth: number;
  /** Units per hidden layer. */
  width: number;
  /** Features of the input. */
  inputSize: number;
  numClasses: number;
  /** Initial transform-gate bias of the highway layers (ignored for plain nets). Default -2. */
  gateBias?: number;
}

/** Fills a weight matrix (out, in) with N(0, 2/in) draws from the global generator, and its bias with zeros. */
function heInit(weight: Tensor, bias: Tensor | null): void {
  const fanIn = weight.shape[1]!;
  const std = Math.sqrt(2 / fanIn);
  const w = weight.data;
  for (let i = 0; i < w.length; i++) w[i] = std * globalGenerator.normal();
  bias?.data.fill(0);
}

export class DeepNet extends Module {
  readonly input: Linear;
  readonly hidden: Linear[] = [];
  readonly highway: Highway | null;
  readonly output: Linear;

  constructor(readonly opts: DeepNetOptions) {
    super();
    const { kind, depth, width } = opts;
    if (kind !== "plain" && kind !== "highway") throw new Error(`DeepNet: kind must be "plain" or "highway", got ${JSON.stringify(kind)}`);
    if (!Number.isInteger(depth) || depth < 3) throw new Error(`DeepNet: depth must be an integer of at least 3 (input, one hidden, output layer), got ${depth}`);
    this.input = new Linear({ inFeatures: opts.inputSize, outFeatures: width });
    heInit(this.input.weight, this.input.bias);
    if (kind === "plain") {
      this.highway = null;
      for (let k = 0; k < depth - 2; k++) {
        const layer = this.registerModule(`hidden.${k}`, new Linear({ inFeatures: width, outFeatures: width }));
        heInit(layer.weight, layer.bias);
        this.hidden.push(layer);
      }
    } else {
      this.highway = new Highway({ size: width, numLayers: depth - 2, activation: "relu", transformBias: opts.gateBias ?? -2 });
      for (const layer of this.highway.layers) heInit(layer.weight_h, layer.bias_h);
    }
    this.output = new Linear({ inFeatures: width, outFeatures: opts.numClasses });
    heInit(this.output.weight, this.output.bias);
  }

  override describe(): string {
    return `DeepNet(${this.opts.kind}, depth=${this.opts.depth}, width=${this.opts.width})`;
  }

  override getConfig(): LayerConfig {
    const { kind, depth, width, inputSize, numClasses } = this.opts;
    return { kind, depth, width, inputSize, numClasses, gateBias: this.opts.gateBias ?? -2 };
  }

  /** x (B, inputSize) -> logits (B, numClasses). */
  forward(x: Tensor): Tensor {
    let h = relu(this.input.forward(x));
    if (this.highway !== null) h = this.highway.forward(h);
    for (const layer of this.hidden) h = relu(layer.forward(h));
    return this.output.forward(h);
  }
}
