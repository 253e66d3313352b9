/**
 * The experiment's combined plots: test MSE per epoch for each cell against the trivial 1/6
 * (loss), ‖∂L/∂h_t‖ against t at initialisation and after training (gradnorm, log scale), and
 * the exploding case's training loss and gradient norm with and without clipping (exploding).
 */
import type { RunStore } from "../../train/store/store.js";
import type { LinePlotOptions, Series } from "../../viz/lineplot.js";
import { linePlotPng } from "../../viz/png.js";
import { linePlotSvg } from "../../viz/svg.js";
import type { MemoryResults } from "./train.js";

async function write(store: RunStore, name: string, plot: LinePlotOptions): Promise<void> {
  await store.write(`${name}.svg`, linePlotSvg(plot));
  await store.write(`${name}.png`, linePlotPng(plot));
}

const epochs = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
/** Values for a log axis: non-positive or non-finite ones become gaps. */
const positive = (v: readonly number[]): number[] => v.map((x) => (Number.isFinite(x) && x > 0 ? x : NaN));

export async function writeMemoryPlots(store: RunStore, results: MemoryResults): Promise<void> {
  const T = results.length;
  const main = results.runs.filter((r) => !r.name.startsWith("relu-"));
  const n = Math.max(1, ...main.map((r) => r.testMse.length));
  await write(store, "loss", {
    title: `Adding problem, T=${T}: test MSE per epoch`,
    xLabel: "epoch",
    yLabel: "test MSE",
    logY: true,
    series: [
      ...main.map((r): Series => ({ name: r.name === "rnn" ? "tanh RNN" : r.name.toUpperCase(), x: epochs(r.testMse.length), y: positive(r.testMse) })),
      { name: "trivial (always 1)", x: [1, n], y: [results.trivialMse, results.trivialMse], color: "#888888" },
    ],
  });
  const steps = Array.from({ length: T }, (_, t) => t + 1);
  const grad: Series[] = [];
  for (const r of results.runs) {
    if (r.name === "relu-noclip") continue;
    const label = r.name === "rnn" ? "tanh RNN" : r.name === "relu-clip" ? "relu RNN (large init)" : r.name.toUpperCase();
    grad.push({ name: `${label}, init`, x: steps, y: positive(r.gradInit) });
    if (r.gradTrained.length > 0) grad.push({ name: `${label}, trained`, x: steps, y: positive(r.gradTrained) });
  }
  await write(store, "gradnorm", { title: `||dL/dh_t|| against t (T=${T}, one test batch)`, xLabel: "t", yLabel: "gradient norm", logY: true, width: 800, height: 450, series: grad });
  const exp = results.runs.filter((r) => r.name.startsWith("relu-"));
  if (exp.some((r) => r.loss.length > 0)) {
    await write(store, "exploding", {
      title: `relu RNN, large recurrent init, T=${T}: with and without clipping`,
      xLabel: "epoch",
      yLabel: "training MSE / mean gradient norm",
      logY: true,
      width: 800,
      height: 450,
      series: exp
        .flatMap((r): Series[] => [
          { name: `${r.name} loss`, x: epochs(r.loss.length), y: positive(r.loss) },
          { name: `${r.name} gradient norm`, x: epochs(r.gradNorm.length), y: positive(r.gradNorm) },
        ])
        .filter((s) => s.x.length > 0),
    });
  }
}
