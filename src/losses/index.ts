export { crossEntropy, nllLoss, type CrossEntropyOptions, type Reduction } from "./cross-entropy.js";
export { mseLoss } from "./mse.js";
