import type { Backend, RecurrentCache } from "../backend.js";
import { gemmReference } from "./gemm.js";
import { recurrentBackwardReference, recurrentForwardReference, runsFusedReference } from "./recurrent.js";
import { packedBackward, packedForward, releasePacked, type SequenceKernels } from "../packed.js";

/** The whole-sequence reference kernels as the packed driver (lengths and masks) calls them per step. */
const steps: SequenceKernels = {
  forward: recurrentForwardReference,
  backward: recurrentBackwardReference,
  release: (c: RecurrentCache) => void releasePacked(steps, c),
};

/** The pure-TypeScript backend: the specification every faster backend is tested against. */
export const referenceBackend: Backend = {
  name: "reference",
  runsFused: runsFusedReference,
  gemm: gemmReference,
  recurrentForward: (a) => (a.batchSizes != null ? packedForward(steps, "reference", a) : recurrentForwardReference(a)),
  recurrentBackward: (a) => (a.batchSizes != null ? packedBackward(steps, "reference", a) : recurrentBackwardReference(a)),
  // Reference caches are plain arrays the garbage collector frees; packed ones drop their steps.
  releaseCache: (c) => void releasePacked(steps, c),
};
