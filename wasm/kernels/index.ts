// Entry point of the kernel module: everything the TypeScript wrapper calls is exported here.
export { gemm, gemmPacked, gemmPrepacked, packAPanels, packAJoined, packedAFloats, gemmBlockDepth, packB, packedBFloats, gemmWorkFloats } from "./gemm";
export { gemv } from "./gemv";
export { colsumAccumulate, colsumWeighted } from "./reduce";
export { sigmoidArray, tanhArray, expArray, maskRows } from "./math";
export { lstmForwardStep, lstmBackwardStep, lstmForwardStepAct, lstmBackwardStepAct } from "./lstm";
export { gruForwardStep, gruBackwardStep, gruForwardStepAct, gruBackwardStepAct } from "./gru";
export { rnnForwardStep, rnnBackwardStep } from "./rnn";
export { gatherRows, scatterAddRows, transposeAdd } from "./gather";
export { peepholeForwardStep, peepholeBackwardStep } from "./peephole-lstm";
export { gruRbGates, gruRbOutput, gruRbBackwardOut, gruRbBackwardReset } from "./gru-reset-before";
export { layerNormRows, lnLstmForwardStep, lnLstmBackwardStep } from "./layernorm-lstm";
export { adamUpdate, sgdUpdate, rmspropUpdate } from "./optim";

/** First byte past the module's static data: the wrapper's arena starts here. */
export function heapBase(): usize {
  return __heap_base;
}
