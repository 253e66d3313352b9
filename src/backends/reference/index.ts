import type { Backend } from "../backend.js";
import { gemmReference } from "./gemm.js";
import { recurrentBackwardReference, recurrentForwardReference, runsFusedReference } from "./recurrent.js";

/** The pure-TypeScript backend: the specification every faster backend is tested against. */
export const referenceBackend: Backend = {
  name: "reference",
  runsFused: runsFusedReference,
  gemm: gemmReference,
  recurrentForward: recurrentForwardReference,
  recurrentBackward: recurrentBackwardReference,
};
