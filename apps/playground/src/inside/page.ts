/**
 * Inside the cell: per character of a typed text, each gate and state of the first layer as a
 * heatmap (units down, characters across); clicking a unit colours the text by that unit's
 * hidden value (LSTMVis-style); clicking a character fills the cell's equations with that
 * step's numbers for the chosen unit.
 */
import { CELL_LABELS } from "recurrent";
import type { LMClient } from "../lm/client.js";
import type { InspectResult, LMOptions } from "../lm/protocol.js";
import { el, showError, showInfo } from "../ui.js";

/** Pixels per heatmap cell: wide enough to click, small enough that six heatmaps fit side by side. */
function cellPx(chars: number): number {
  return Math.max(4, Math.min(14, Math.floor(320 / chars)));
}

/** Diverging colour for v in [-1, 1]: blue below zero, red above, white at zero. */
function color(v: number): string {
  const a = Math.max(-1, Math.min(1, v));
  const k = Math.round(255 * (1 - Math.abs(a)));
  return a >= 0 ? `rgb(255,${k},${k})` : `rgb(${k},${k},255)`;
}

const EQUATIONS: Record<InspectResult["cell"], (v: Record<string, number>, prev: Record<string, number>) => string[]> = {
  lstm: (v, p) => [
    `i = σ(W_ii x + b_ii + W_hi h + b_hi) = ${v["i"]!.toFixed(3)}`,
    `f = σ(W_if x + b_if + W_hf h + b_hf) = ${v["f"]!.toFixed(3)}`,
    `g = tanh(W_ig x + b_ig + W_hg h + b_hg) = ${v["g"]!.toFixed(3)}`,
    `o = σ(W_io x + b_io + W_ho h + b_ho) = ${v["o"]!.toFixed(3)}`,
    `c' = f ⊙ c + i ⊙ g = ${v["f"]!.toFixed(3)} × ${(p["c"] ?? 0).toFixed(3)} + ${v["i"]!.toFixed(3)} × ${v["g"]!.toFixed(3)} = ${v["c"]!.toFixed(3)}`,
    `h' = o ⊙ tanh(c') = ${v["o"]!.toFixed(3)} × ${Math.tanh(v["c"]!).toFixed(3)} = ${v["h"]!.toFixed(3)}`,
  ],
  gru: (v, p) => [
    `r = σ(W_ir x + b_ir + W_hr h + b_hr) = ${v["r"]!.toFixed(3)}`,
    `z = σ(W_iz x + b_iz + W_hz h + b_hz) = ${v["z"]!.toFixed(3)}`,
    `n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)) = ${v["n"]!.toFixed(3)}`,
    `h' = (1 − z) ⊙ n + z ⊙ h = ${(1 - v["z"]!).toFixed(3)} × ${v["n"]!.toFixed(3)} + ${v["z"]!.toFixed(3)} × ${(p["h"] ?? 0).toFixed(3)} = ${v["h"]!.toFixed(3)}`,
  ],
  rnn: (v) => [`h' = tanh(W_ih x + b_ih + W_hh h + b_hh) = ${v["h"]!.toFixed(3)}`],
  peephole_lstm: (v, p) => [
    `i = σ(W_ii x + b_ii + W_hi h + b_hi + p_i ⊙ c) = ${v["i"]!.toFixed(3)}`,
    `f = σ(W_if x + b_if + W_hf h + b_hf + p_f ⊙ c) = ${v["f"]!.toFixed(3)}`,
    `g = tanh(W_ig x + b_ig + W_hg h + b_hg) = ${v["g"]!.toFixed(3)}`,
    `c' = f ⊙ c + i ⊙ g = ${v["f"]!.toFixed(3)} × ${(p["c"] ?? 0).toFixed(3)} + ${v["i"]!.toFixed(3)} × ${v["g"]!.toFixed(3)} = ${v["c"]!.toFixed(3)}`,
    `o = σ(W_io x + b_io + W_ho h + b_ho + p_o ⊙ c') = ${v["o"]!.toFixed(3)}`,
    `h' = o ⊙ tanh(c') = ${v["o"]!.toFixed(3)} × ${Math.tanh(v["c"]!).toFixed(3)} = ${v["h"]!.toFixed(3)}`,
  ],
  layernorm_lstm: (v, p) => {
    // The raw cell value is this unit's own; LN_c normalises it against all H units of the step.
    const raw = v["f"]! * (p["c"] ?? 0) + v["i"]! * v["g"]!;
    return [
      `a = LN_i(W_i x) + LN_h(W_h h), split into a_i | a_f | a_g | a_o`,
      `i = σ(a_i) = ${v["i"]!.toFixed(3)}    f = σ(a_f) = ${v["f"]!.toFixed(3)}`,
      `g = tanh(a_g) = ${v["g"]!.toFixed(3)}    o = σ(a_o) = ${v["o"]!.toFixed(3)}`,
      `c' = LN_c(f ⊙ c + i ⊙ g): ${v["f"]!.toFixed(3)} × ${(p["c"] ?? 0).toFixed(3)} + ${v["i"]!.toFixed(3)} × ${v["g"]!.toFixed(3)} = ${raw.toFixed(3)}, normalised over the layer's units to ${v["c"]!.toFixed(3)}`,
      `h' = o ⊙ tanh(c') = ${v["o"]!.toFixed(3)} × ${Math.tanh(v["c"]!).toFixed(3)} = ${v["h"]!.toFixed(3)}`,
    ];
  },
};

export function insidePage(root: HTMLElement, client: LMClient, readOptions: () => LMOptions): void {
  const input = el("input", { type: "text", id: "inside-text", value: "the time traveller held up his hand", "aria-label": "text to trace", maxlength: 400 });
  const trace = el("button", { type: "button", id: "inside-trace", class: "primary" }, "Show the gates");
  const message = el("p", { class: "message", role: "status", "aria-live": "polite" });
  const maps = el("div", { class: "heatmaps", id: "inside-heatmaps" });
  const textView = el("p", { class: "trace-text", id: "inside-chars" });
  const equations = el("pre", { class: "equations", id: "inside-equations" }, "Click a character in the text or a column of a heatmap to fill in the equations.");
  let result: InspectResult | null = null;
  let unit = 0;
  let step = 0;

  const valueAt = (name: string, t: number): number => {
    const tr = result?.traces.find((x) => x.name === name);
    return tr === undefined || t < 0 ? 0 : tr.values[t * result!.hiddenSize + unit]!;
  };

  const showEquations = (): void => {
    if (result === null) return;
    const v: Record<string, number> = {};
    const p: Record<string, number> = {};
    for (const tr of result.traces) {
      v[tr.name] = valueAt(tr.name, step);
      p[tr.name] = valueAt(tr.name, step - 1);
    }
    equations.textContent = `unit ${unit}, step ${step} (character ${JSON.stringify(result.chars[step])}), ${CELL_LABELS[result.cell]}:\n` + EQUATIONS[result.cell](v, p).join("\n");
  };

  const showText = (): void => {
    if (result === null) return;
    textView.replaceChildren(
      ...result.chars.map((ch, t) => {
        const s = el("span", { title: `h[${unit}] = ${valueAt("h", t).toFixed(3)}`, tabindex: 0 }, ch === " " ? "\u00a0" : ch);
        s.style.background = color(valueAt("h", t));
        if (t === step) s.className = "chosen";
        const choose = (): void => {
          step = t;
          showText();
          showEquations();
        };
        s.addEventListener("click", choose);
        s.addEventListener("keydown", (e) => (e.key === "Enter" || e.key === " ") && choose());
        return s;
      }),
    );
  };

  /** Redraws for the chosen unit and step, keeping the focus on the heatmap of `gate` (redrawing replaces it). */
  const choose = (gate: string): void => {
    draw();
    showText();
    showEquations();
    maps.querySelector<HTMLCanvasElement>(`canvas[data-gate="${gate}"]`)?.focus();
  };

  const draw = (): void => {
    if (result === null) return;
    const r = result;
    const T = r.chars.length;
    const H = r.hiddenSize;
    const shown = Math.min(H, 64);
    const CELL_PX = cellPx(T);
    maps.replaceChildren(
      ...r.traces.map((tr) => {
        const canvas = el("canvas", { width: T * CELL_PX, height: shown * CELL_PX, "aria-label": `${tr.name} over ${T} characters and ${shown} units`, role: "img", "data-gate": tr.name });
        const ctx = canvas.getContext("2d");
        if (ctx !== null) {
          for (let t = 0; t < T; t++) {
            for (let j = 0; j < shown; j++) {
              ctx.fillStyle = color(tr.values[t * H + j]!);
              ctx.fillRect(t * CELL_PX, j * CELL_PX, CELL_PX, CELL_PX);
            }
          }
          ctx.strokeStyle = "#000";
          ctx.strokeRect(0, unit * CELL_PX + 0.5, T * CELL_PX, CELL_PX - 1);
        }
        // Keyboard: arrows move the chosen unit (up, down) and step (left, right).
        canvas.tabIndex = 0;
        canvas.addEventListener("keydown", (e: KeyboardEvent) => {
          const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
          const m = moves[e.key];
          if (m === undefined) return;
          e.preventDefault();
          unit = Math.max(0, Math.min(shown - 1, unit + m[0]));
          step = Math.max(0, Math.min(T - 1, step + m[1]));
          choose(tr.name);
        });
        canvas.addEventListener("click", (e: MouseEvent) => {
          const box = canvas.getBoundingClientRect();
          unit = Math.min(shown - 1, Math.floor(((e.clientY - box.top) / box.height) * shown));
          step = Math.min(T - 1, Math.floor(((e.clientX - box.left) / box.width) * T));
          choose(tr.name);
        });
        return el("figure", {}, el("figcaption", {}, tr.name), canvas);
      }),
    );
  };

  client.on((msg) => {
    if (msg.type === "inspected") {
      result = msg.result;
      unit = Math.min(unit, result.hiddenSize - 1);
      step = Math.min(step, result.chars.length - 1);
      showInfo(message, `${CELL_LABELS[result.cell]}, ${result.hiddenSize} units (the first ${Math.min(64, result.hiddenSize)} shown), layer 1${result.trained ? "" : ": an untrained model; train one on the language-model page to see the gates learn"}. Click a unit (a row), or focus a heatmap and use the arrow keys, to colour the text by its hidden value.`);
      draw();
      showText();
      showEquations();
    } else if (msg.type === "error" && result === null) showError(message, msg.message);
  });
  const request = (): void => {
    try {
      client.send({ type: "inspect", text: input.value, options: readOptions() });
    } catch (err) {
      showError(message, err);
    }
  };
  trace.addEventListener("click", request);
  input.addEventListener("keydown", (e) => e.key === "Enter" && request());

  root.append(
    el("section", { class: "intro" }, el("h2", {}, "Inside the cell"), el("p", {}, "Type a text and see, per character, what each gate of the language model's first layer does: i, f, g, o and the cell state c for an LSTM (plain, peephole or layer-norm); r, z, n for a GRU; and the hidden units h. Values near 1 are red, near −1 blue, near 0 white.")),
    el("div", { class: "controls" }, input, trace),
    message,
    textView,
    maps,
    equations,
  );
}
