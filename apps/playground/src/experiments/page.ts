/**
 * Experiments, each with what to look for in the seed material's terms: the Highway depth
 * comparison, the long-range memory experiment, and CO2 forecasting. One worker runs one
 * experiment at a time; its curves are drawn as the points arrive.
 */
import type { Series } from "recurrent";
import { drawPlot, el, field, numberInput, select, showError, showInfo } from "../ui.js";
import { CO2_CSV, fashionSlice } from "./data.js";
import type { ExperimentName, FromExperiments, ToExperiments } from "./protocol.js";

const LABEL: Record<string, string> = { rnn: "tanh RNN", lstm: "LSTM", gru: "GRU", plain: "plain", highway: "highway" };

interface Section {
  run: HTMLButtonElement;
  stop: HTMLButtonElement;
  message: HTMLElement;
  curves: Map<string, { x: number[]; y: number[] }>;
  redraw: () => void;
}

export function experimentsPage(root: HTMLElement): void {
  let worker: Worker | null = null;
  const sections = new Map<ExperimentName, Section>();

  const send = (msg: ToExperiments, transfer: Transferable[] = []): void => {
    if (worker === null) {
      worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "recurrent-experiments" });
      worker.onmessage = (e: MessageEvent<FromExperiments>) => onMessage(e.data);
    }
    worker.postMessage(msg, transfer);
  };

  const busy = (on: boolean): void => {
    for (const s of sections.values()) {
      s.run.disabled = on;
      s.stop.disabled = !on;
    }
  };

  const section = (name: ExperimentName, title: string, texts: string[], controls: HTMLElement[], plots: HTMLElement[], start: () => Promise<ToExperiments> | ToExperiments, redraw: () => void): Section => {
    const run = el("button", { type: "button", id: `${name}-run`, class: "primary" }, "Run");
    const stop = el("button", { type: "button", id: `${name}-stop`, disabled: true }, "Stop");
    const message = el("p", { class: "message", role: "status", "aria-live": "polite", id: `${name}-message` });
    const s: Section = { run, stop, message, curves: new Map(), redraw };
    run.addEventListener("click", () => {
      void (async () => {
        try {
          const req = await start();
          s.curves.clear();
          redraw();
          busy(true);
          showInfo(message, "Training…");
          send(req, req.type === "highway" ? [req.images.train, req.images.labels] : []);
        } catch (err) {
          busy(false);
          showError(message, err);
        }
      })();
    });
    stop.addEventListener("click", () => send({ type: "stop" }));
    root.append(
      el(
        "section",
        { class: "experiment", id: `experiment-${name}` },
        el("h2", {}, title),
        el("div", { class: "columns" }, el("div", { class: "explain" }, ...texts.map((t) => el("p", {}, t)), el("form", { onsubmit: (e: Event) => e.preventDefault() }, ...controls, el("div", { class: "controls" }, run, stop)), message), el("div", { class: "live" }, ...plots)),
      ),
    );
    sections.set(name, s);
    return s;
  };

  const seriesOf = (s: Section): Series[] => [...s.curves].map(([name, c]) => ({ name: LABEL[name] ?? name, x: c.x, y: c.y }));

  // Highway depth.
  const depth = numberInput("depth", 30, 3, 100);
  const hwEpochs = numberInput("epochs", 2, 1, 20);
  const hwPlot = el("div", { class: "plot", id: "highway-loss" });
  const hw = section(
    "highway",
    "Highway networks: training a deep network",
    [
      "Two thin fully connected networks of the same depth and about the same number of parameters learn to classify 1,000 Fashion-MNIST images: a plain one (ReLU layers) and a highway one, whose layers compute y = H(x)·T(x) + x·(1 − T(x)) with a learned transform gate T, its bias set to −4 so that every layer starts by carrying its input through.",
      "What to look for: past a few tens of layers the plain network's loss barely moves (its signal and gradients fade through the stack), while the highway network's falls from the first batches, as in figure 1 of the Highway Networks paper. The gate is the same idea as an LSTM's: a sigmoid that mixes a new value with the old one.",
    ],
    [field("depth (layers)", depth.input), field("epochs", hwEpochs.input)],
    [hwPlot],
    async () => ({ type: "highway", depth: depth.read(), epochs: hwEpochs.read(), images: await fashionSlice() }),
    () => drawPlot(hwPlot, seriesOf(hw), { title: `Training loss at depth ${depth.input.value}`, xLabel: "epoch", yLabel: "cross-entropy", logY: true }),
  );

  // Long-range memory.
  const length = numberInput("sequence length T", 50, 5, 200);
  const memEpochs = numberInput("epochs", 5, 1, 50);
  const memLoss = el("div", { class: "plot", id: "memory-loss" });
  const memGrad = el("div", { class: "plot", id: "memory-grad" });
  const grads = new Map<string, number[]>();
  const mem = section(
    "memory",
    "Long-range memory: the adding problem",
    [
      "Each sequence holds T random numbers, two of them marked; the target is their sum, read out after the last step. Always answering 1 scores an MSE of 1/6 ≈ 0.167. To do better, the network must carry the marked numbers across the whole sequence.",
      "What to look for: the plain tanh RNN stays near 0.167 as T grows, because the error signal ‖∂L/∂h_t‖ shrinks geometrically as it travels back through the tanh and the recurrent weights (the vanishing gradient; lower plot, log scale). The LSTM's cell state and the GRU's update gate give the gradient an additive path, so their curves fall below 0.167 and their gradient norms stay flatter over t.",
    ],
    [field("sequence length T", length.input), field("epochs", memEpochs.input)],
    [memLoss, memGrad],
    () => {
      grads.clear();
      return { type: "memory", cells: ["rnn", "lstm", "gru"], length: length.read(), epochs: memEpochs.read() };
    },
    () => {
      drawPlot(memLoss, seriesOf(mem), { title: `Adding problem, T = ${length.input.value}: test MSE`, xLabel: "epoch", yLabel: "MSE", logY: true });
      drawPlot(memGrad, [...grads].map(([name, norms]) => ({ name, x: norms.map((_, t) => t), y: norms })), { title: "‖∂L/∂h_t‖ over time steps t", xLabel: "t", yLabel: "gradient norm", logY: true });
    },
  );

  // CO2 forecasting.
  const cell = select("cell", ["lstm", "gru"] as const, "lstm", { lstm: "LSTM", gru: "GRU" });
  const fcEpochs = numberInput("epochs", 20, 1, 200);
  const fcLoss = el("div", { class: "plot", id: "forecast-loss" });
  const fcPlot = el("div", { class: "plot", id: "forecast-plot" });
  const fc = section(
    "forecast",
    "Forecasting the Mauna Loa CO2 record",
    [
      "An LSTM or GRU reads 36 months of the monthly CO2 record (Scripps CO2 Program, UC San Diego, C. D. Keeling et al., CC BY 4.0) and predicts the next 12; the last 24 months are held out. It is scored against two baselines that know the series' shape: seasonal naive with drift, and a linear trend plus a seasonal profile.",
      "What to look for: the network learns the yearly cycle and the rise from the scaled monthly changes; the recursive forecast (feeding its own predictions back) drifts as errors compound, the direct one (12 outputs at once) does not. On a series this regular the simple baselines are hard to beat: a recurrent network earns its keep where the pattern is less regular.",
    ],
    [field("cell", cell.input), field("epochs", fcEpochs.input)],
    [fcLoss, fcPlot],
    () => {
      fcPlot.replaceChildren();
      return { type: "forecast", cell: cell.read(), epochs: fcEpochs.read(), csv: CO2_CSV };
    },
    () => drawPlot(fcLoss, seriesOf(fc), { title: "Training loss (MSE of scaled monthly changes)", xLabel: "epoch", yLabel: "MSE", logY: true }),
  );

  function onMessage(msg: FromExperiments): void {
    switch (msg.type) {
      case "point": {
        const s = sections.get(msg.experiment)!;
        const c = s.curves.get(msg.series) ?? { x: [], y: [] };
        c.x.push(msg.x);
        c.y.push(msg.y);
        s.curves.set(msg.series, c);
        showInfo(s.message, `${LABEL[msg.series] ?? msg.series}: epoch ${msg.x.toFixed(2)}, ${msg.y.toFixed(4)}`);
        s.redraw();
        return;
      }
      case "gradients":
        grads.set(`${LABEL[msg.cell] ?? msg.cell}, ${msg.when === "init" ? "initial" : "trained"}`, msg.norms);
        mem.redraw();
        return;
      case "forecast":
        drawPlot(fcPlot, msg.series, { title: "Forecasts of the held-out months", xLabel: "year", yLabel: "CO2 (ppm)" });
        return;
      case "done": {
        busy(false);
        const s = sections.get(msg.experiment)!;
        showInfo(s.message, `${msg.aborted ? "Stopped" : "Done"} after ${msg.seconds.toFixed(1)} s.${msg.summary === "" ? "" : ` ${msg.summary}.`}`);
        return;
      }
      case "error":
        busy(false);
        showError(sections.get(msg.experiment)!.message, msg.message);
        return;
    }
  }

  for (const s of sections.values()) s.redraw();
}
