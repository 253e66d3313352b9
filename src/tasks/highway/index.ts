/**
 * The Highway Networks depth experiment (`recurrent train highway`): plain and highway fully
 * connected networks at depths 10 to 100 on Fashion-MNIST, with the same optimiser budget.
 */
import type { TaskDefinition } from "../task.js";
import { HIGHWAY_SCHEMA } from "./schema.js";
import { evaluateHighway, trainHighway } from "./train.js";

/** The highway task for the CLI: schema, train, evaluate (no predict). */
export const HIGHWAY_TASK: TaskDefinition = {
  schema: HIGHWAY_SCHEMA,
  train: (config, ctx) => trainHighway(config, ctx),
  evaluate: (runDir) => evaluateHighway(runDir),
};

export * from "./browser.js";
export { trainHighway, evaluateHighway, buildDeepNet, writeHighwayPlots, type NetResult } from "./train.js";
