import type { Tensor } from "../tensor/tensor.js";

/**
 * One recorded operation on the tape. `backward` receives the gradient of each output
 * (null when that output did not reach the loss) and returns the gradient of each input
 * (null when the input needs none). Returned arrays are owned by the engine afterwards.
 */
export class Node {
  constructor(
    readonly name: string,
    readonly inputs: readonly Tensor[],
    readonly outputShapes: readonly (readonly number[])[],
    readonly backward: (gradOutputs: readonly (Float32Array | null)[]) => (Float32Array | null)[],
  ) {}
}
