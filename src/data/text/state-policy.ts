/**
 * How a recurrent state crosses the boundary between two batches of an epoch: a batching policy
 * that belongs to the sampler, not to the training loop.
 *
 * - "carry" (sequential sampler): row r of a batch continues row r of the previous one in the
 *   text, so the previous batch's final state is carried, detached so that backward stops at the
 *   boundary (truncated backpropagation through time);
 * - "reset" (random sampler): batches are unrelated pieces of text, so every batch starts from a
 *   fresh state.
 *
 * Either way the first batch of an epoch starts fresh (the loop passes a null state to it).
 */
import type { SamplerKind } from "./loader.js";

export type StatePolicy = "carry" | "reset";

/** The policy a sampler implies. */
export function statePolicyFor(sampler: SamplerKind): StatePolicy {
  return sampler === "sequential" ? "carry" : "reset";
}

/** The state a batch starts from: fresh at an epoch's start or under "reset", else the previous one detached. */
export function nextState<S>(policy: StatePolicy, previous: S | null, fresh: () => S, detach: (state: S) => S): S {
  return previous === null || policy === "reset" ? fresh() : detach(previous);
}
