/**
 * A second task on the shared loop, for the generic resume tests: a linear regression with
 * input noise drawn from the global generator (so that stream matters), shuffled batches (the
 * "sampler" stream), a validation split, clipping, Adam, a StepLR schedule, early stopping (its
 * patience never runs out here), a metrics log and a checkpoint after every epoch.
 */
import { Adam, Generator, Linear, manualSeed, mseLoss, randn, tensor, type Tensor } from "recurrent";
import {
  Checkpoint,
  EarlyStopping,
  LearningRateScheduler,
  MAE,
  MetricsLog,
  RMSE,
  StepLR,
  TensorDataset,
  fit,
  latestCheckpoint,
  tensorLoader,
  type Callback,
  type History,
  type RunStore,
  type TensorBatch,
} from "recurrent/node";

export interface RegressionRunOptions {
  store: RunStore;
  epochs: number;
  /** Continue from the store's latest checkpoint. */
  resume?: boolean;
  signal?: AbortSignal;
  callbacks?: Callback[];
}

function target(b: TensorBatch): Tensor {
  if (b.y === undefined) throw new Error("regression batch without targets");
  return b.y;
}

/** 320 samples of y = x·w + 0.3 + noise, x in R^4, from a fixed generator. */
function makeData(): TensorDataset {
  const g = new Generator(99);
  const n = 320;
  const w = [0.5, -1, 2, 0.25];
  const x = new Float32Array(n * 4);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0.3;
    for (let j = 0; j < 4; j++) {
      const v = g.normal();
      x[i * 4 + j] = v;
      s += v * w[j]!;
    }
    y[i] = s + 0.1 * g.normal();
  }
  return new TensorDataset(tensor(x, [n, 4]), tensor(y, [n, 1]));
}

export async function regressionRun(opts: RegressionRunOptions): Promise<{ model: Linear; history: History }> {
  manualSeed(3);
  const model = new Linear({ inFeatures: 4, outFeatures: 1 });
  const optimizer = new Adam(model.parameters(), { lr: 0.05 });
  const loader = tensorLoader(makeData(), { batchSize: 16, shuffle: true, seed: 5 });
  const resumeFrom = opts.resume === true ? await latestCheckpoint(opts.store) : null;
  const history = await fit(model, {
    data: loader,
    validationSplit: 0.25,
    epochs: opts.epochs,
    optimizer,
    trainStep: (ctx, b: TensorBatch) => {
      // Input noise while training: draws from the global generator every batch.
      const x = ctx.training ? b.x.add(randn(b.x.shape).mul(0.05)) : b.x;
      const output = model.forward(x);
      return { loss: mseLoss(output, target(b)), output, target: target(b) };
    },
    metrics: [new MAE(), new RMSE()],
    clipNorm: 5,
    store: opts.store,
    resumeFrom,
    config: { task: "regression" },
    ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
    callbacks: [
      new LearningRateScheduler(new StepLR(optimizer, { stepSize: 3, gamma: 0.5 })),
      new EarlyStopping({ monitor: "val_loss", patience: 1000 }),
      new MetricsLog(),
      new Checkpoint({ every: 1, keep: 2 }),
      ...(opts.callbacks ?? []),
    ],
  });
  return { model, history };
}
