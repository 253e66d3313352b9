/** The browser-safe parts of the highway task: the networks, the option schema and the loss plot. */
export { DeepNet, DEEP_NET_KINDS, type DeepNetKind, type DeepNetOptions } from "./model.js";
export { HIGHWAY_SCHEMA, GATE_BIASES, parseDepths } from "./schema.js";
export { lossPlotOptions, renderLossPlot, type LossCurve } from "./plot.js";
