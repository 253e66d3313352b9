/**
 * The three Keras recurrent layers. Each only names its kind; everything else is KerasRecurrent.
 */
import type { LayerConfig } from "../module.js";
import { KerasRecurrent } from "./recurrent.js";
import { kerasConfigOptions, type KerasRecurrentOptions } from "./options.js";

/** Keras's options of SimpleRNN: KerasRecurrentOptions without the gate options. */
export type KerasSimpleRNNOptions = Omit<KerasRecurrentOptions, "recurrentActivation" | "unitForgetBias" | "resetAfter">;
/** Keras's options of LSTM (with unitForgetBias). */
export type KerasLSTMOptions = Omit<KerasRecurrentOptions, "resetAfter">;
/** Keras's options of GRU (with resetAfter). */
export type KerasGRUOptions = Omit<KerasRecurrentOptions, "unitForgetBias">;

/** Keras's SimpleRNN: h_t = activation(x_t·kernel + h_{t-1}·recurrent_kernel + bias). */
export class KerasSimpleRNN extends KerasRecurrent {
  constructor(opts: KerasSimpleRNNOptions) {
    super("simpleRNN", opts);
  }
  /** From `getConfig()` output or a Keras/TF.js layer config (snake_case keys, `name`, `batch_input_shape`, … accepted). */
  static fromConfig(config: LayerConfig): KerasSimpleRNN {
    return new KerasSimpleRNN(kerasConfigOptions<KerasSimpleRNNOptions>(config));
  }
}

/**
 * Keras's LSTM, gate order i|f|c|o in Keras's weights (i|f|g|o inside):
 * i = σ(x·K_i + h·R_i + b_i), f = σ(x·K_f + h·R_f + b_f), c̃ = act(x·K_c + h·R_c + b_c),
 * o = σ(x·K_o + h·R_o + b_o), c' = f⊙c + i⊙c̃, h' = o⊙act(c'), with σ = recurrentActivation.
 */
export class KerasLSTM extends KerasRecurrent {
  constructor(opts: KerasLSTMOptions) {
    super("lstm", opts);
  }
  /** From `getConfig()` output or a Keras/TF.js layer config (snake_case keys, `name`, `batch_input_shape`, … accepted). */
  static fromConfig(config: LayerConfig): KerasLSTM {
    return new KerasLSTM(kerasConfigOptions<KerasLSTMOptions>(config));
  }
}

/**
 * Keras's GRU, gate order z|r|h in Keras's weights (r|z|n inside). resetAfter (default):
 * h̃ = act(x·K_h + b_h + r⊙(h·R_h + b'_h)), two bias rows; otherwise h̃ = act(x·K_h + (r⊙h)·R_h + b_h).
 * Both: h' = z⊙h + (1 − z)⊙h̃.
 */
export class KerasGRU extends KerasRecurrent {
  constructor(opts: KerasGRUOptions) {
    super("gru", opts);
  }
  /** From `getConfig()` output or a Keras/TF.js layer config (snake_case keys, `name`, `batch_input_shape`, … accepted). */
  static fromConfig(config: LayerConfig): KerasGRU {
    return new KerasGRU(kerasConfigOptions<KerasGRUOptions>(config));
  }
}
