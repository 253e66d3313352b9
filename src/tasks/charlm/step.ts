/**
 * The char LM's training step for the shared loop, d2l's `train_epoch_ch8` body: the state a
 * batch starts from follows the sampler's policy (carried and detached for the sequential one,
 * fresh for the random one; see data/text/state-policy.ts), the loss is the mean cross-entropy
 * over every step of every row, and `count` is the batch's B·T target tokens.
 */
import { crossEntropy } from "../../losses/cross-entropy.js";
import type { Batch } from "../../data/text/samplers.js";
import { nextState, type StatePolicy } from "../../data/text/state-policy.js";
import type { StepFn } from "../../train/fit.js";
import { detachState, timeMajor, type RNNLM, type RNNLMState } from "./model.js";

export function charLMStep(model: RNNLM, policy: StatePolicy): StepFn<Batch, RNNLMState> {
  return (ctx, batch) => {
    const { batchSize: B, numSteps: T } = batch;
    const state = nextState(policy, ctx.state, () => model.beginState(B), detachState);
    const [logits, next] = model.forward(batch.x, [B, T], state);
    const loss = crossEntropy(logits, timeMajor(batch.y, B, T));
    return { loss, count: B * T, state: next };
  };
}
