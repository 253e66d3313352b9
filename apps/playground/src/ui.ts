/** Small DOM helpers shared by the pages, and the line plot drawn with the library's SVG renderer. */
import { linePlotSvg, type Series } from "recurrent";

type Attrs = Record<string, string | number | boolean | ((e: Event) => void)>;

/** `el("button", { onclick: f, class: "x" }, "Start")`: an element with attributes, handlers and children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === "function") e.addEventListener(k.replace(/^on/, ""), v);
    else if (v === true) e.setAttribute(k, "");
    else if (v !== false) e.setAttribute(k, String(v));
  }
  e.append(...children);
  return e;
}

/** A labelled form control in one grid row. */
export function field(label: string, control: HTMLElement, hint = ""): HTMLLabelElement {
  return el("label", { class: "field" }, el("span", {}, label), control, ...(hint === "" ? [] : [el("small", { class: "muted" }, hint)]));
}

/** A number input with bounds; `read()` returns its value or throws naming the field. */
export function numberInput(name: string, value: number, min: number, max: number, step: number | "any" = 1): { input: HTMLInputElement; read: () => number } {
  const input = el("input", { type: "number", name, value, min, max, step, inputmode: "decimal" });
  const read = (): number => {
    const v = Number(input.value);
    if (input.value.trim() === "" || !Number.isFinite(v) || v < min || v > max || (step === 1 && !Number.isInteger(v))) {
      throw new Error(`${name} must be ${step === 1 ? "an integer" : "a number"} in [${min}, ${max}], got ${JSON.stringify(input.value)}`);
    }
    return v;
  };
  return { input, read };
}

export function select<T extends string>(name: string, choices: readonly T[], value: T, labels: Partial<Record<T, string>> = {}): { input: HTMLSelectElement; read: () => T } {
  const input = el("select", { name }, ...choices.map((c) => el("option", { value: c, ...(c === value ? { selected: true } : {}) }, labels[c] ?? c)));
  const read = (): T => {
    const v = choices.find((c) => c === input.value);
    if (v === undefined) throw new Error(`${name} must be one of ${choices.join(", ")}, got ${JSON.stringify(input.value)}`);
    return v;
  };
  return { input, read };
}

/** Replaces the content of `box` with a line plot of `series` (nothing when every series is empty). */
export function drawPlot(box: HTMLElement, series: Series[], opts: { title: string; xLabel: string; yLabel: string; logY?: boolean }): void {
  const nonEmpty = series.filter((s) => s.x.length > 0);
  if (nonEmpty.length === 0) {
    box.replaceChildren(el("p", { class: "muted" }, "No points yet."));
    return;
  }
  box.innerHTML = linePlotSvg({ ...opts, series: nonEmpty, width: 560, height: 300 });
  const svg = box.querySelector("svg");
  svg?.setAttribute("role", "img");
  svg?.setAttribute("aria-label", opts.title);
  svg?.removeAttribute("width");
  svg?.removeAttribute("height");
}

/** Shows an error in the page's message line instead of throwing it at the console. */
export function showError(box: HTMLElement, err: unknown): void {
  box.textContent = err instanceof Error ? err.message : String(err);
  box.className = "message error";
}

export function showInfo(box: HTMLElement, text: string): void {
  box.textContent = text;
  box.className = "message";
}
