/** The long-range memory experiment: the adding problem for tanh RNN, LSTM and GRU, gradient norms over time, and the exploding case. */
export { MEMORY_TASK, readMemoryConfig, summarizeMemory } from "./task.js";
export { trainMemory, memoryRuns, buildMemoryModel, type MemoryRunSpec, type MemoryRunResult, type MemoryResults, type TrainMemoryOptions } from "./train.js";
export { resolveMemoryConfig, type MemoryConfig } from "./config.js";
export { MEMORY_SCHEMA, MEMORY_DEFAULTS } from "./schema.js";
export { addingProblem, TRIVIAL_MSE } from "./data.js";
export { MemoryModel, MEMORY_CELLS, type MemoryCell } from "./model.js";
export { hiddenGradNorms } from "./gradnorm.js";
export { writeMemoryPlots } from "./plots.js";
