/**
 * The Keras-flavoured layer surface: `layers.simpleRNN / lstm / gru / bidirectional / dense`,
 * factories over the classes `KerasSimpleRNN`, `KerasLSTM`, `KerasGRU`, `KerasBidirectional`,
 * `KerasDense`. Use them in `Sequential` beside the library's other layers (Embedding with
 * maskZero, Masking).
 */
import { KerasSimpleRNN, KerasLSTM, KerasGRU, type KerasSimpleRNNOptions, type KerasLSTMOptions, type KerasGRUOptions } from "./layers.js";
import { KerasBidirectional, type KerasBidirectionalOptions } from "./bidirectional.js";
import { KerasDense, type KerasDenseOptions } from "./dense.js";
import type { KerasRecurrent } from "./recurrent.js";

/** `layers.simpleRNN({ units })`: Keras's SimpleRNN. */
export const simpleRNN = (opts: KerasSimpleRNNOptions): KerasSimpleRNN => new KerasSimpleRNN(opts);
/** `layers.lstm({ units })`: Keras's LSTM. */
export const lstm = (opts: KerasLSTMOptions): KerasLSTM => new KerasLSTM(opts);
/** `layers.gru({ units })`: Keras's GRU (resetAfter true by default). */
export const gru = (opts: KerasGRUOptions): KerasGRU => new KerasGRU(opts);
/** `layers.bidirectional(layers.lstm({ units }), { mergeMode })`: Keras's Bidirectional. */
export const bidirectional = (layer: KerasRecurrent, opts?: KerasBidirectionalOptions): KerasBidirectional => new KerasBidirectional(layer, opts);
/** `layers.dense({ units, activation })`: Keras's Dense. */
export const dense = (opts: KerasDenseOptions): KerasDense => new KerasDense(opts);
