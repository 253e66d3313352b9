/** General data: datasets, the DataLoader, collate functions and splits (text data lives in data/text). */
export { TensorDataset, SequenceDataset, Subset, type Dataset, type TensorExample, type SequenceExample } from "./dataset.js";
export { stackCollate, padCollate, type TensorBatch, type PaddedBatch, type PadCollateOptions } from "./collate.js";
export { DataLoader, tensorLoader, splitDataset, type DataLoaderOptions } from "./loader.js";
