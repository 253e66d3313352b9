/**
 * A Keras model whose outputs are its last recurrent layer's output and final states
 * (`return_state = True` on the last layer of a functional chain). A Sequential passes one
 * tensor on, so the chain before that layer stays a Sequential and the last layer is rebuilt
 * with `returnState`: `forward(x)` returns [output, h] (SimpleRNN, GRU), [output, h, c] (LSTM),
 * or for a Bidirectional [output, ...forward states, ...backward states], Keras's order.
 */
import type { Tensor } from "../../../tensor/tensor.js";
import { Module, isLayer } from "../../../nn/module.js";
import { Sequential } from "../../../models/sequential.js";
import { layerFromConfig, layerToConfig } from "../../../models/registry.js";
import { KerasRecurrent } from "../../../nn/keras/recurrent.js";
import { KerasBidirectional } from "../../../nn/keras/bidirectional.js";
import type { LayerConfig } from "../../../nn/module.js";

type StatefulLayer = KerasRecurrent | KerasBidirectional;

/** The chain before the last layer, then the last layer returning its states. */
export class KerasChainWithStates extends Module {
  readonly body: Sequential;
  readonly last: StatefulLayer;

  constructor(body: Sequential, last: StatefulLayer) {
    super();
    this.body = this.registerModule("body", body);
    this.last = this.registerModule("last", last);
  }

  override describe(): string {
    return `KerasChainWithStates(${this.body.describe()}, ${this.last.describe()})`;
  }

  /** [output, ...states], as Keras's model returns them. */
  forward(x: Tensor): Tensor[] {
    const y = this.body.forward(x);
    const out = this.last.forward(y);
    return Array.isArray(out) ? [...out] : [out];
  }
}

function withReturnState(config: LayerConfig): LayerConfig {
  return { ...config, returnState: true };
}

/**
 * `model` (a Sequential built from the chain) with its last layer rebuilt to return its states,
 * the weights copied over; `where` names the file in errors.
 */
export function returningStates(model: Sequential, where: string): KerasChainWithStates {
  const layers = model.children().filter(isLayer);
  const built = layers[layers.length - 1];
  if (!(built instanceof KerasRecurrent) && !(built instanceof KerasBidirectional)) throw new Error(`${where}: only a recurrent layer returns states`);
  const spec = layerToConfig(built);
  const config: LayerConfig =
    built instanceof KerasBidirectional
      ? { ...spec.config, layer: { ...(spec.config["layer"] as LayerConfig), config: withReturnState((spec.config["layer"] as { config: LayerConfig }).config) }, backwardLayer: { ...(spec.config["backwardLayer"] as LayerConfig), config: withReturnState((spec.config["backwardLayer"] as { config: LayerConfig }).config) } }
      : withReturnState(spec.config);
  const fresh = layerFromConfig({ className: spec.className, config });
  if (!(fresh instanceof KerasRecurrent) && !(fresh instanceof KerasBidirectional)) throw new Error(`${where}: the rebuilt layer is not recurrent`);
  fresh.loadStateDict(built.stateDict());
  return new KerasChainWithStates(new Sequential(layers.slice(0, -1)), fresh);
}
