/**
 * Experiments: the long-range memory experiment of the memory task, live. What to look for is
 * written on the page, in the terms of the seed material (vanishing gradients, the gates as a
 * path for the error signal).
 */
import type { MemoryCell, Series } from "recurrent";
import { drawPlot, el, field, numberInput, showError, showInfo } from "../ui.js";
import type { FromExperiments } from "./protocol.js";

const CELLS: readonly MemoryCell[] = ["rnn", "lstm", "gru"];
const LABEL: Record<MemoryCell, string> = { rnn: "tanh RNN", relu: "relu RNN", lstm: "LSTM", gru: "GRU" };

export function experimentsPage(root: HTMLElement): void {
  let worker: Worker | null = null;
  const length = numberInput("sequence length T", 50, 5, 200);
  const epochs = numberInput("epochs", 5, 1, 50);
  const run = el("button", { type: "button", id: "memory-run", class: "primary" }, "Run");
  const stop = el("button", { type: "button", id: "memory-stop", disabled: true }, "Stop");
  const message = el("p", { class: "message", role: "status", "aria-live": "polite" });
  const lossPlot = el("div", { class: "plot", id: "memory-loss" });
  const gradPlot = el("div", { class: "plot", id: "memory-grad" });
  const curves = new Map<MemoryCell, { x: number[]; y: number[] }>();
  const grads = new Map<string, number[]>();

  const redraw = (): void => {
    const loss: Series[] = [...curves].map(([cell, c]) => ({ name: LABEL[cell], x: c.x, y: c.y }));
    drawPlot(lossPlot, loss, { title: `Adding problem, T = ${length.input.value}: test MSE (0.167 = always guessing 1)`, xLabel: "epoch", yLabel: "MSE", logY: true });
    const g: Series[] = [...grads].map(([name, norms]) => ({ name, x: norms.map((_, t) => t), y: norms }));
    drawPlot(gradPlot, g, { title: "‖∂L/∂h_t‖ over time steps t", xLabel: "t", yLabel: "gradient norm", logY: true });
  };

  const onMessage = (msg: FromExperiments): void => {
    switch (msg.type) {
      case "curve": {
        const c = curves.get(msg.cell) ?? { x: [], y: [] };
        c.x.push(msg.epoch);
        c.y.push(msg.testMse);
        curves.set(msg.cell, c);
        showInfo(message, `${LABEL[msg.cell]}: epoch ${msg.epoch}, test MSE ${msg.testMse.toFixed(4)}`);
        redraw();
        return;
      }
      case "gradients":
        grads.set(`${LABEL[msg.cell]}, ${msg.when === "init" ? "initial" : "trained"}`, msg.norms);
        redraw();
        return;
      case "done":
        run.disabled = false;
        stop.disabled = true;
        showInfo(message, `${msg.aborted ? "Stopped" : "Done"} after ${msg.seconds.toFixed(1)} s.`);
        return;
      case "error":
        run.disabled = false;
        stop.disabled = true;
        showError(message, msg.message);
        return;
    }
  };

  run.addEventListener("click", () => {
    try {
      const req = { type: "memory" as const, cells: [...CELLS], length: length.read(), epochs: epochs.read() };
      if (worker === null) {
        worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "recurrent-experiments" });
        worker.onmessage = (e: MessageEvent<FromExperiments>) => onMessage(e.data);
      }
      curves.clear();
      grads.clear();
      redraw();
      run.disabled = true;
      stop.disabled = false;
      showInfo(message, "Training the tanh RNN, then the LSTM, then the GRU…");
      worker.postMessage(req);
    } catch (err) {
      showError(message, err);
    }
  });
  stop.addEventListener("click", () => worker?.postMessage({ type: "stop" }));

  root.append(
    el("section", { class: "intro" }, el("h2", {}, "Long-range memory: the adding problem")),
    el(
      "div",
      { class: "columns" },
      el(
        "div",
        { class: "explain" },
        el("p", {}, "Each sequence holds T random numbers, two of them marked; the target is their sum, read out after the last step. Always answering 1 scores an MSE of 1/6 ≈ 0.167. To do better, the network must carry the marked numbers across the whole sequence."),
        el("p", {}, "What to look for: the plain tanh RNN stays near 0.167 as T grows, because the error signal ‖∂L/∂h_t‖ shrinks geometrically as it travels back through the tanh and the recurrent weights (the vanishing gradient; see the lower plot, log scale). The LSTM's cell state and the GRU's update gate give the gradient an additive path, so their curves fall below 0.167 and their gradient norms stay flat over t."),
        el("form", { onsubmit: (e: Event) => e.preventDefault() }, field("sequence length T", length.input), field("epochs", epochs.input), el("div", { class: "controls" }, run, stop)),
        message,
      ),
      el("div", { class: "live" }, lossPlot, gradPlot),
    ),
  );
  redraw();
}
