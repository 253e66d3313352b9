// The public API of recurrent. Everything a user imports comes from here.
export { Tensor, type Operand } from "./tensor/tensor.js";
export { tensor, zeros, ones, full, randn, uniform, arange, oneHot, type TensorOptions, type RandomOptions, type NestedArray } from "./tensor/create.js";
export { type Shape, shapeStr } from "./tensor/shape.js";
export { manualSeed, Generator, globalGenerator, type GeneratorState } from "./tensor/random.js";

export { noGrad, isGradEnabled } from "./autograd/mode.js";
export { gradCheck, type GradCheckOptions, type GradCheckResult } from "./autograd/gradcheck.js";
export { add, sub, mul, div, neg, exp, log, sigmoid, tanh, relu, sqrt, abs, hardSigmoid } from "./autograd/ops/elementwise.js";
export { sum, mean } from "./autograd/ops/reduce.js";
export { matmul, type MatmulOptions } from "./autograd/ops/matmul.js";
export { reshape, transpose, permute, slice, select, concat, stack, split, unsqueeze, squeeze } from "./autograd/ops/shape.js";
export { softmax, logSoftmax } from "./autograd/ops/softmax.js";
export { embedding } from "./autograd/ops/embedding.js";
export { dropout } from "./autograd/ops/dropout.js";

export { type Backend, type CellMode, type RecurrentForwardArgs, type RecurrentBackwardArgs, type RecurrentCache } from "./backends/backend.js";
export {
  getBackend,
  setBackend,
  registerBackend,
  backendNames,
  referenceBackend,
  createWasmBackend,
  loadWasmBackend,
  wasmSimdSupported,
  relaxedSimdSupported,
  WasmBackend,
  type WasmBackendOptions,
} from "./backends/index.js";

export { Module, type StateDict } from "./nn/module.js";
export { Linear, type LinearOptions } from "./nn/layers/linear.js";
export { Embedding, type EmbeddingOptions } from "./nn/layers/embedding.js";
export { Dropout } from "./nn/layers/dropout.js";
export { Highway, type HighwayOptions, type HighwayActivation } from "./nn/layers/highway.js";
export { AdditiveAttention, type AdditiveAttentionOptions } from "./nn/layers/attention.js";
export { RNNBase, type RNNBaseOptions, type RecurrentOutput } from "./nn/layers/rnn-base.js";
export { RNN, GRU, LSTM, type RNNOptions, type LSTMOptions } from "./nn/layers/rnn.js";
export { RNNCell, GRUCell, LSTMCell, CellBase, type CellOptions } from "./nn/cells/cell.js";

export { crossEntropy, nllLoss, mseLoss, type CrossEntropyOptions, type Reduction } from "./losses/index.js";
export * from "./optim/index.js";
export * from "./data/text/index.js";
export * from "./viz/index.js";
export { serializeSafetensors, parseSafetensors, type SafeTensor, type SafeDType, type ParsedSafetensors } from "./io/safetensors.js";
export * from "./tasks/charlm/browser.js";
export { isLayer, type Layer, type LayerOutput, type LayerConfig, type JsonValue, type StateDictEntry } from "./nn/module.js";
export { type DropoutOptions } from "./nn/layers/dropout.js";
export { type BackwardOptions } from "./autograd/engine.js";
export { Sequential } from "./models/sequential.js";
export { registerLayer, layerFromConfig, layerToConfig, registeredLayerNames, getRegisteredLayer, type LayerClass, type LayerSpec } from "./models/registry.js";
export { serializeModel, deserializeModel, MODEL_FORMAT, MODEL_FORMAT_VERSION, type SerializedModel, type SerializedModelNames } from "./models/save.js";
export { type CellName, type CellSpec, type CellState, type CellStates, type CellParams, type CellStep, type CellReference, type ParamSpec, type ParamInit, type CellDims } from "./nn/cells/spec.js";
export { registerCell, getCell, hasCell, cellNames } from "./nn/cells/registry.js";
export { type HCState, type HCStateInput, type HStateInput } from "./nn/cells/state.js";
export { RecurrentLayer, type RecurrentLayerOptions } from "./nn/layers/rnn.js";
export { RecurrentCell, type RecurrentCellOptions, type RNNCellOptions } from "./nn/cells/cell.js";
export { setCellLog, type CellLog } from "./nn/layers/recurrent-op.js";
export { defineCell, type CellDefinition, type CellParamDefinition } from "./nn/cells/define.js";
export { PeepholeLSTM, LayerNormLSTM } from "./nn/layers/rnn.js";
export { PeepholeLSTMCell, LayerNormLSTMCell } from "./nn/cells/cell.js";
export { gather, scatterAdd, maskedFill, where } from "./autograd/ops/indexing.js";
export { argmax, argmin, topk } from "./autograd/ops/sorting.js";
export { expand, repeat, tile } from "./autograd/ops/tile.js";
export { maximum, minimum, clamp } from "./autograd/ops/minmax.js";
export { cumsum, logsumexp } from "./autograd/ops/cumulative.js";
export { elu, selu, softplus, softsign, relu6, hardSigmoidKeras3, silu, gelu, geluTanh, erfScalar, SELU_ALPHA, SELU_SCALE } from "./autograd/ops/elementwise.js";
export * as activations from "./nn/activations.js";
export { getActivation, activationNames, activationName, ACTIVATIONS, type Activation, type ActivationName } from "./nn/activations.js";
export * as initializers from "./nn/initializers.js";
export { getInitializer, initializerNames, serializeInitializer, computeFans, type Initializer } from "./nn/initializers.js";
export * as regularizers from "./nn/regularizers.js";
export { getRegularizer, regularizerNames, serializeRegularizer, regularizationPenalty, type Regularizer } from "./nn/regularizers.js";
export * as constraints from "./nn/constraints.js";
export { getConstraint, constraintNames, serializeConstraint, type Constraint } from "./nn/constraints.js";
export { type SerializedObject, type SerializedInput } from "./nn/keras-config.js";
export { SafetensorsError, MAX_HEADER_BYTES, MAX_TENSORS, MAX_HEADER_DEPTH, MAX_SHAPE_DIMS, MAX_NAME_LENGTH } from "./io/safetensors.js";
export { MAX_ELEMENTS, MAX_DIMS } from "./tensor/shape.js";
export { parseJsonChecked, jsonNestingDepth, JsonInputError, DEFAULT_MAX_JSON_DEPTH, type JsonParseOptions } from "./io/json.js";
export { MAX_LR } from "./optim/validate.js";
export * from "./train/browser.js";
export * from "./optim/schedules.js";
export * from "./data/index.js";
export * from "./tasks/browser.js";
export { type SequenceOptions, type MaskInput, type LengthsInput } from "./nn/utils/sequence-options.js";
export { attachMask, maskOf } from "./nn/utils/mask.js";
export { Bidirectional, type BidirectionalOptions, type BidirectionalState, type MergeMode, type MergedOutput } from "./nn/layers/bidirectional.js";
export { Masking, type MaskingOptions } from "./nn/layers/masking.js";
export { padSequences, padSequence, type PadSequencesOptions, type PadSequenceOptions, type SequenceStep } from "./nn/utils/padding.js";
export { exportOnnx, type OnnxExportOptions } from "./io/interop/onnx/export.js";
export { importOnnx, type OnnxImportOptions } from "./io/interop/onnx/import.js";
export { OnnxError, ONNX_MAX_BYTES, ONNX_LIMITS, decodeOnnxModel, encodeOnnxModel, type OnnxModel, type OnnxGraph, type OnnxNode, type OnnxTensor, type OnnxAttribute, type OnnxValueInfo, type OnnxDecodeOptions } from "./io/interop/onnx/proto.js";
export { GATE_ORDERS, GATE_LABELS, GATE_FORMATS, gatePermutation, permuteGateRows, permuteGateColumns, isGateCell, type GateCell, type GateFormat } from "./io/interop/gate-order.js";
export * from "./io/interop/index.js";
export { registerTaskDefinition, getTaskDefinition, listTaskDefinitions } from "./tasks/registry.js";
export type { TaskDefinition, TaskRunContext, TaskRunResult, TaskConfig } from "./tasks/task.js";
export * from "./data/series/index.js";
export * from "./data/idx/index.js";
export * from "./tasks/seqmnist/browser.js";
export * from "./tasks/highway/browser.js";
export * as layers from "./nn/keras/index.js";
export { KerasSimpleRNN, KerasLSTM, KerasGRU, type KerasSimpleRNNOptions, type KerasLSTMOptions, type KerasGRUOptions } from "./nn/keras/layers.js";
export { KerasRecurrent, type KerasRecurrentOutput, type KerasStateInput, type KerasCallResult } from "./nn/keras/recurrent.js";
export { KerasBidirectional, type KerasBidirectionalOptions } from "./nn/keras/bidirectional.js";
export { KerasDense, type KerasDenseOptions } from "./nn/keras/dense.js";
export { type KerasRecurrentOptions, type InitializerInput, type RegularizerInput, type ConstraintInput } from "./nn/keras/options.js";
export { kerasKernelToPytorch, pytorchWeightToKeras, convertGateBias, type KerasCell } from "./io/interop/gate-order.js";
export { regularizationLoss, applyConstraints } from "./train/layer-hooks.js";
export { type CellActivations, type CellVariant } from "./nn/cells/spec.js";
export * from "./tasks/memory/browser.js";
export * from "./tasks/forecast/browser.js";
export { traceGates, topUnitsByVariance, rowVariances, TRACE_MAX_STEPS, type GateTrace, type DirectionTrace, type TraceSeries } from "./nn/trace.js";
export { type CellTrace } from "./nn/cells/spec.js";
export * from "./tasks/sentiment/browser.js";
export type { InspectInput } from "./tasks/task.js";
export * from "./tasks/seq2seq/browser.js";
export { preprocessTranslation, sentenceTokens, tokenizePairs, padOrTrim, translationVocabs, translationArrays, type TokenPair, type TranslationArrays } from "./data/text/translation.js";
/** What a backend implements to offer fused optimiser updates (`Backend.optimizer`). */
export type { OptimizerKernels, AdamTensors, AdamScalars, SGDTensors, SGDScalars, RMSpropTensors, RMSpropScalars } from "./backends/optim-kernels.js";
