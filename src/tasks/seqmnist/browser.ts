/** The browser-safe parts of the seqmnist task: model, classes, option schema, image tensors. */
export { SEQMNIST_SCHEMA } from "./schema.js";
export { SeqClassifier, SEQ_CELLS, type SeqCell, type SeqClassifierOptions } from "./model.js";
export { FASHION_CLASSES, FASHION_MNIST_DIR } from "./classes.js";
export { imageDataset, splitTail, type ImageLayout } from "./tensors.js";
