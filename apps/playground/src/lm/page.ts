/**
 * The language-model page: options, the training text (the bundled Time Machine, or pasted or
 * dropped text), start/pause/resume/stop with a speed readout, the live perplexity curve, samples
 * with a temperature slider, and the runs kept in the browser (open, continue, download as the
 * CLI's run folder, or drop a CLI run folder in).
 */
import { CELL_KINDS, CELL_LABELS, CHARLM_DEFAULTS, type EpochMetrics } from "recurrent";
import { drawPlot, el, field, numberInput, select, showError, showInfo } from "../ui.js";
import type { LMClient } from "./client.js";
import { newRunId, storedRuns } from "./idb-store.js";
import type { LMOptions, TextSource } from "./protocol.js";
import { downloadZip, droppedFiles, inputFiles, readRunFiles, type PathedFile } from "./run-files.js";
import { TIME_MACHINE, TIME_MACHINE_NAME } from "./text.js";

/** The playground's default run: the CLI's model (LSTM, 256 hidden, batch 32, 35 steps, SGD lr 1), fewer epochs. */
const DEFAULTS: LMOptions = {
  cell: CHARLM_DEFAULTS.cell,
  hiddenSize: CHARLM_DEFAULTS.hiddenSize,
  numLayers: CHARLM_DEFAULTS.numLayers,
  bidirectional: CHARLM_DEFAULTS.bidirectional,
  lr: 1,
  clip: CHARLM_DEFAULTS.clip,
  numEpochs: 100,
  batchSize: CHARLM_DEFAULTS.batchSize,
  numSteps: CHARLM_DEFAULTS.numSteps,
  maxTokens: CHARLM_DEFAULTS.maxTokens,
  checkpointEvery: 5,
  seed: 0,
};

/** Builds the page into `root`; the form is shared with the "Inside the cell" page through `readOptions`. */
export function lmPage(root: HTMLElement, client: LMClient): { readOptions: () => LMOptions } {
  // The char LM task's cells, so that a cell the task learns appears here (its gates in inside/gates.ts).
  const cell = select("cell", CELL_KINDS, DEFAULTS.cell, { ...CELL_LABELS, rnn: "RNN (tanh)" });
  const hidden = numberInput("hidden size", DEFAULTS.hiddenSize, 1, 1024);
  const layers = numberInput("layers", DEFAULTS.numLayers, 1, 4);
  const bidirectional = el("input", { type: "checkbox", name: "bidirectional" });
  const biWarning = el(
    "p",
    { class: "warning", hidden: true, role: "note" },
    "A bidirectional model cheats at this task: the backward direction has already read the character it must predict, so its perplexity is low, " +
      "but it has no future to read while generating and falls into loops like “trtrtr”. Bidirectional layers suit tasks where the whole sequence is known.",
  );
  bidirectional.addEventListener("change", () => (biWarning.hidden = !bidirectional.checked));
  const lr = numberInput("learning rate", DEFAULTS.lr, 1e-6, 100, "any");
  const clip = numberInput("clipping", DEFAULTS.clip, 1e-6, 1e6, "any");
  const epochs = numberInput("epochs", DEFAULTS.numEpochs, 1, 100000);
  const maxTokens = numberInput("characters", DEFAULTS.maxTokens, 0, 10_000_000);
  const batch = numberInput("batch size", DEFAULTS.batchSize, 1, 1024);
  const steps = numberInput("time steps", DEFAULTS.numSteps, 1, 1000);
  const every = numberInput("checkpoint every", DEFAULTS.checkpointEvery, 1, 100000);

  const readOptions = (): LMOptions => ({
    cell: cell.read(),
    hiddenSize: hidden.read(),
    numLayers: layers.read(),
    bidirectional: bidirectional.checked,
    lr: lr.read(),
    clip: clip.read(),
    numEpochs: epochs.read(),
    batchSize: batch.read(),
    numSteps: steps.read(),
    maxTokens: maxTokens.read(),
    checkpointEvery: every.read(),
    seed: 0,
  });

  // The text: the book unless the user pastes or drops their own.
  const textBox = el("textarea", { name: "text", rows: 5, placeholder: "Paste a text here, or drop a .txt file, to train on it instead of The Time Machine." });
  let textName = "pasted text";
  textBox.addEventListener("dragover", (e) => e.preventDefault());
  textBox.addEventListener("drop", (e) => {
    e.preventDefault();
    const f = e.dataTransfer?.files[0];
    if (f === undefined) return;
    textName = f.name;
    void f.text().then((t) => (textBox.value = t));
  });
  const source = (): TextSource => (textBox.value.trim() === "" ? { name: TIME_MACHINE_NAME, text: TIME_MACHINE } : { name: textName, text: textBox.value });

  const message = el("p", { class: "message", role: "status", "aria-live": "polite" }, "Starting the training worker…");
  const statusLine = el("span", { id: "lm-status" }, "idle");
  const speed = el("span", { id: "lm-speed" }, "–");
  const epochLine = el("span", { id: "lm-epoch" }, "–");
  const pplLine = el("span", { id: "lm-ppl" }, "–");
  const plot = el("div", { class: "plot", id: "lm-plot" });
  const sampleBox = el("pre", { class: "sample", id: "lm-sample" }, "Samples appear here every 2 epochs.");
  const temperature = el("input", { type: "range", min: 0, max: 2, step: 0.05, value: 0.8, name: "temperature", id: "lm-temperature" });
  const tempValue = el("output", {}, "0.80");
  const prefix = el("input", { type: "text", value: "time traveller ", name: "prefix" });

  const start = el("button", { type: "button", id: "lm-start", class: "primary" }, "Start");
  const pause = el("button", { type: "button", id: "lm-pause", disabled: true }, "Pause");
  const resume = el("button", { type: "button", id: "lm-resume", disabled: true }, "Resume");
  const stop = el("button", { type: "button", id: "lm-stop", disabled: true }, "Stop");
  const sampleNow = el("button", { type: "button", id: "lm-sample-now" }, "Sample");

  const runs = el("select", { id: "lm-runs", name: "stored runs", "aria-label": "stored runs" });
  const open = el("button", { type: "button", id: "lm-open" }, "Open");
  const more = numberInput("train to epoch", 200, 1, 1_000_000);
  more.input.id = "lm-more";
  const cont = el("button", { type: "button", id: "lm-continue" }, "Continue");
  const download = el("button", { type: "button", id: "lm-download" }, "Download run (.zip)");
  const folderInput = el("input", { type: "file", id: "lm-folder", webkitdirectory: true, multiple: true, "aria-label": "CLI run folder" });
  const filesInput = el("input", { type: "file", id: "lm-files", multiple: true, accept: ".json,.jsonl,.safetensors", "aria-label": "CLI run files" });
  const dropZone = el("div", { class: "drop", tabindex: 0, id: "lm-drop" }, "Drop a run folder made by ", el("code", {}, "recurrent train charlm"), " here");

  let history: EpochMetrics[] = [];
  let description = "";

  const redraw = (): void => {
    // The numbers behind the curve, for scripts and tests that read the page.
    plot.dataset["perplexities"] = JSON.stringify(history.map((m) => m.perplexity));
    plot.dataset["speeds"] = JSON.stringify(history.map((m) => m.tokensPerSecond));
    drawPlot(plot, [{ name: "perplexity", x: history.map((m) => m.epoch), y: history.map((m) => m.perplexity) }], {
      title: `Perplexity${description === "" ? "" : `: ${description}`}`,
      xLabel: "epoch",
      yLabel: "perplexity",
      logY: true,
    });
  };

  const refreshRuns = async (select?: string): Promise<void> => {
    const ids = await storedRuns();
    runs.replaceChildren(...ids.map((id) => el("option", { value: id, ...(id === select ? { selected: true } : {}) }, id)));
    open.disabled = cont.disabled = download.disabled = ids.length === 0;
  };

  const buttons = (s: string): void => {
    const running = s === "training" || s === "paused" || s === "stopping";
    start.disabled = running;
    pause.disabled = s !== "training";
    resume.disabled = s !== "paused";
    stop.disabled = !running || s === "stopping";
    open.disabled = cont.disabled = running || runs.options.length === 0;
  };

  client.on((msg) => {
    switch (msg.type) {
      case "ready":
        showInfo(message, `Ready: wasm backend on ${msg.threads} thread${msg.threads === 1 ? "" : "s"}${msg.isolated ? "" : " (the page is not cross-origin isolated, so one thread)"}.`);
        return;
      case "status":
        statusLine.textContent = msg.status;
        buttons(msg.status);
        showInfo(message, msg.message);
        if (msg.status === "idle") void refreshRuns(msg.runId ?? undefined);
        return;
      case "progress":
        speed.textContent = `${Math.round(msg.tokensPerSecond).toLocaleString("en")} tokens/s`;
        epochLine.textContent = `${msg.epoch} (batch ${msg.batch}/${msg.numBatches})`;
        return;
      case "epoch":
        history.push(msg.metrics);
        speed.textContent = `${Math.round(msg.metrics.tokensPerSecond).toLocaleString("en")} tokens/s`;
        epochLine.textContent = String(msg.metrics.epoch);
        pplLine.textContent = msg.metrics.perplexity.toFixed(2);
        redraw();
        return;
      case "history":
        history = [...msg.metrics];
        description = msg.description;
        pplLine.textContent = history.length === 0 ? "–" : history[history.length - 1]!.perplexity.toFixed(2);
        redraw();
        return;
      case "sample":
        sampleBox.textContent = `epoch ${msg.epoch}, temperature ${msg.temperature.toFixed(2)}:\n${msg.text}`;
        return;
      case "opened":
        epochLine.textContent = String(msg.epoch);
        more.input.value = String(Math.max(msg.options.numEpochs, msg.epoch) + 50);
        return;
      case "exported":
        downloadZip(msg.runId, msg.files);
        return;
      case "error":
        showError(message, msg.message);
        return;
      case "inspected":
        return;
    }
  });

  const guard = (f: () => void) => () => {
    try {
      f();
    } catch (err) {
      showError(message, err);
    }
  };
  start.addEventListener("click", guard(() => {
    const options = readOptions();
    const runId = newRunId();
    history = [];
    client.send({ type: "start", options, source: source(), runId });
  }));
  pause.addEventListener("click", () => client.send({ type: "pause" }));
  resume.addEventListener("click", () => client.send({ type: "resume" }));
  stop.addEventListener("click", () => client.send({ type: "stop" }));
  temperature.addEventListener("input", () => (tempValue.textContent = Number(temperature.value).toFixed(2)));
  sampleNow.addEventListener("click", () => client.send({ type: "sample", prefix: prefix.value || "t", temperature: Number(temperature.value), length: 200 }));
  open.addEventListener("click", () => runs.value !== "" && client.send({ type: "open", runId: runs.value }));
  cont.addEventListener("click", guard(() => {
    if (runs.value === "") throw new Error("no stored run to continue");
    client.send({ type: "continue", runId: runs.value, numEpochs: more.read(), source: textBox.value.trim() === "" ? null : source() });
  }));
  download.addEventListener("click", () => runs.value !== "" && client.send({ type: "export", runId: runs.value }));
  const importFiles = async (files: PathedFile[]): Promise<void> => {
    try {
      const runFiles = await readRunFiles(files);
      const runId = `import-${newRunId().slice(4)}`;
      client.send({ type: "import", runId, files: runFiles }, runFiles.map((f) => f.bytes.buffer));
    } catch (err) {
      showError(message, err);
    }
  };
  folderInput.addEventListener("change", () => folderInput.files !== null && void importFiles(inputFiles(folderInput.files)));
  filesInput.addEventListener("change", () => filesInput.files !== null && void importFiles(inputFiles(filesInput.files)));
  dropZone.addEventListener("dragover", (e) => {
    e.preventDefault();
    dropZone.classList.add("over");
  });
  dropZone.addEventListener("dragleave", () => dropZone.classList.remove("over"));
  dropZone.addEventListener("drop", (e) => {
    e.preventDefault();
    dropZone.classList.remove("over");
    if (e.dataTransfer !== null) void droppedFiles(e.dataTransfer).then(importFiles, (err: unknown) => showError(message, err));
  });

  root.append(
    el("section", { class: "intro" }, el("h2", {}, "A character language model"), el("p", {}, "Train d2l's character-level language model on The Time Machine (or your own text) in this page, on the WebAssembly backend in a worker. The form's settings are the ones ", el("code", {}, "recurrent train charlm"), " takes; a run here is the same run there.")),
    el(
      "div",
      { class: "columns" },
      el(
        "form",
        { class: "options", onsubmit: (e: Event) => e.preventDefault() },
        el("fieldset", {}, el("legend", {}, "Model"), field("cell", cell.input), field("hidden size", hidden.input), field("layers", layers.input), field("bidirectional", bidirectional), biWarning),
        el("fieldset", {}, el("legend", {}, "Training"), field("learning rate", lr.input, "SGD"), field("clip gradient norm at", clip.input), field("epochs", epochs.input), field("batch size", batch.input), field("time steps", steps.input), field("characters used", maxTokens.input, "0: all"), field("checkpoint every", every.input, "epochs")),
        el("fieldset", {}, el("legend", {}, "Text"), textBox),
      ),
      el(
        "div",
        { class: "live" },
        el("div", { class: "controls" }, start, pause, resume, stop),
        el("dl", { class: "readout" }, el("dt", {}, "status"), el("dd", {}, statusLine), el("dt", {}, "epoch"), el("dd", {}, epochLine), el("dt", {}, "perplexity"), el("dd", {}, pplLine), el("dt", {}, "speed"), el("dd", {}, speed)),
        message,
        plot,
        el("div", { class: "controls" }, field("temperature", temperature), tempValue, field("prefix", prefix), sampleNow),
        sampleBox,
        el(
          "fieldset",
          { class: "runs" },
          el("legend", {}, "Runs kept in this browser"),
          el("div", { class: "controls" }, runs, open, download),
          el("div", { class: "controls" }, field("train to epoch", more.input), cont),
          dropZone,
          el("div", { class: "controls" }, field("or choose its folder", folderInput), field("or its files", filesInput)),
        ),
      ),
    ),
  );
  redraw();
  void refreshRuns();
  return { readOptions };
}
