import type { Tensor } from "../tensor/tensor.js";

/** A node's backward function: gradients of the outputs in, gradients of the inputs out. */
export type BackwardFn = (gradOutputs: readonly (Float32Array | null)[]) => (Float32Array | null)[];

/**
 * One recorded operation on the tape. `backward` receives the gradient of each output
 * (null when that output did not reach the loss) and returns the gradient of each input
 * (null when the input needs none). Returned arrays are owned by the engine afterwards.
 *
 * The backward function is a closure over what the forward saved (inputs' values, caches of
 * gate activations). After a backward pass that did not ask to retain the graph, the engine
 * calls `release()`, dropping the closure so those buffers can be collected, as PyTorch frees
 * saved tensors; running the node again is then an error.
 */
export class Node {
  private fn: BackwardFn | null;

  constructor(
    readonly name: string,
    readonly inputs: readonly Tensor[],
    readonly outputShapes: readonly (readonly number[])[],
    backward: BackwardFn,
  ) {
    this.fn = backward;
  }

  /** True once a backward pass has freed what this node saved. */
  get released(): boolean {
    return this.fn === null;
  }

  /** Runs the backward function; throws if it was released. */
  backward(gradOutputs: readonly (Float32Array | null)[]): (Float32Array | null)[] {
    if (this.fn === null) throw new Error(freedGraphMessage(this.name));
    return this.fn(gradOutputs);
  }

  /** Drops what the forward saved; later backward passes through this node throw. */
  release(): void {
    this.fn = null;
  }
}

/** The error for a second backward pass through a graph whose saved values were freed. */
export function freedGraphMessage(nodeName: string): string {
  return (
    `backward: this graph was already differentiated and its saved values were freed (reached the ${nodeName} node again); ` +
    "call backward({ retainGraph: true }) the first time to differentiate it again, or recompute the forward pass"
  );
}
