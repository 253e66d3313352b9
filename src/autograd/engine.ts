import type { Tensor } from "../tensor/tensor.js";
import type { OptionSchema } from "../nn/options.js";
import { Node, freedGraphMessage } from "./node.js";
import { recycle } from "../tensor/pool.js";

/** Options of a backward pass. */
export interface BackwardOptions {
  /**
   * Keep what the graph's nodes saved, so the same graph can be differentiated again (gradients
   * then accumulate once more). Default false: the nodes that ran free their saved values.
   */
  retainGraph?: boolean;
}

/** The run-time schema of {@link BackwardOptions}. */
export const BACKWARD_OPTIONS: OptionSchema = {
  retainGraph: { type: "boolean", doc: "keep the graph's saved values for another backward pass (default false)" },
};

/**
 * Reverse-mode sweep from `root`. Nodes run in reverse topological order, so every node
 * sees the full sum of its output gradients before it runs. Leaf tensors with
 * requiresGrad accumulate into `.grad` (+=), as in PyTorch.
 *
 * A backward function may hand the same array to several inputs (add passes its incoming
 * gradient straight through). The first slot that receives an array takes ownership; any
 * later receiver of the same array gets a copy, so in-place accumulation never aliases.
 *
 * A node consumes its output gradients: once it has run, an output gradient it passed on (as an
 * input gradient, or a view of one) belongs to the receiver without a copy, and one it did not
 * pass on goes back to the buffer pool (src/tensor/pool.ts) if it came from there.
 *
 * Unless `retainGraph`, every node that ran is released afterwards (PyTorch frees saved tensors
 * the same way). A pass that would reach a released node throws before it changes any gradient,
 * so a failed second call leaves `.grad` as the first one left it.
 */
export function runBackward(root: Tensor, seed: Float32Array, { retainGraph = false }: BackwardOptions = {}): void {
  const owned = new Set<Float32Array>();
  const own = (g: Float32Array): Float32Array => {
    if (owned.has(g)) return g.slice();
    owned.add(g);
    return g;
  };
  if (root.gradFn === null) {
    root.accumulateGrad(own(seed));
    return;
  }
  const order = topoOrder(root.gradFn);
  const freed = order.find((n) => n.released);
  if (freed !== undefined) throw new Error(freedGraphMessage(freed.name));
  const ran: Node[] = [];
  const pending = new Map<Node, (Float32Array | null)[]>();
  pending.set(root.gradFn, outputSlots(root.gradFn));
  addInto(pending.get(root.gradFn)!, root.outputIndex, own(seed));

  for (const node of order) {
    const gradOutputs = pending.get(node);
    pending.delete(node);
    if (gradOutputs === undefined || gradOutputs.every((g) => g === null)) continue;
    const gradInputs = node.backward(gradOutputs);
    ran.push(node);
    for (const g of gradOutputs) {
      if (g === null) continue;
      owned.delete(g);
      if (!gradInputs.some((gi) => gi != null && gi.buffer === g.buffer)) recycle(g);
    }
    node.inputs.forEach((input, k) => {
      const g = gradInputs[k];
      if (g === null || g === undefined || !input.requiresGrad) return;
      if (input.gradFn === null) {
        input.accumulateGrad(own(g));
        return;
      }
      let slots = pending.get(input.gradFn);
      if (slots === undefined) {
        slots = outputSlots(input.gradFn);
        pending.set(input.gradFn, slots);
      }
      addInto(slots, input.outputIndex, g, own);
    });
  }
  if (!retainGraph) for (const node of ran) node.release();
}

function outputSlots(node: Node): (Float32Array | null)[] {
  return node.outputShapes.map(() => null);
}

function addInto(
  slots: (Float32Array | null)[],
  index: number,
  g: Float32Array,
  own: (g: Float32Array) => Float32Array = (x) => x,
): void {
  const cur = slots[index];
  if (cur === null || cur === undefined) {
    slots[index] = own(g);
    return;
  }
  for (let i = 0; i < cur.length; i++) cur[i]! += g[i]!;
}

/** Nodes reachable from root, each listed after every node that consumes its outputs. */
function topoOrder(root: Node): Node[] {
  const visited = new Set<Node>();
  const post: Node[] = [];
  // Iterative DFS: deep unrolled sequences would overflow the JS stack with recursion.
  const stack: [Node, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [node, i] = top;
    if (i < node.inputs.length) {
      top[1] = i + 1;
      const child = node.inputs[i]!.gradFn;
      if (child !== null && !visited.has(child)) {
        visited.add(child);
        stack.push([child, 0]);
      }
    } else {
      stack.pop();
      post.push(node);
    }
  }
  return post.reverse();
}
