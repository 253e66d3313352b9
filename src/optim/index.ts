export type { ParamLike, GradHolder } from "./param.js";
export type { OptimizerState, OptionValue } from "./state.js";
export { Optimizer, type BaseResolvedOptions } from "./optimizer.js";
export { SGD, type SGDOptions, type SGDResolvedOptions } from "./sgd.js";
export { AdamFamily, type AdamOptions, type AdamResolvedOptions } from "./adam-core.js";
export { Adam } from "./adam.js";
export { AdamW, type AdamWOptions } from "./adamw.js";
export { RMSprop, type RMSpropOptions, type RMSpropResolvedOptions } from "./rmsprop.js";
export { clipGradNorm, clipGradValue, type ClipGradNormOptions } from "./clip.js";
