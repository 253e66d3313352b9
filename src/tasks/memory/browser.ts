/** The browser-safe parts of the long-range memory task: the adding problem, the model and the gradient-norm probe. */
export { addingProblem, TRIVIAL_MSE } from "./data.js";
export { MemoryModel, MEMORY_CELLS, type MemoryCell } from "./model.js";
export { hiddenGradNorms } from "./gradnorm.js";
export { MEMORY_SCHEMA, MEMORY_DEFAULTS } from "./schema.js";
