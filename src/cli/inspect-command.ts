/**
 * `recurrent inspect --checkpoint RUN_DIR --text "..."`: runs a trained run's recurrent layer over
 * a text (traceGates), picks the units whose h varies most over the text, and writes one heatmap
 * per gate, cell state and hidden state (rows = units, columns = the text's characters or words)
 * as SVG and PNG, plus inspect.json, the whole trace for the playground.
 *
 * Which runs: any task whose definition has `inspect` (char LM and sentiment runs, whose input is
 * text). The task is found from the run folder's config.json (the first task whose schema accepts
 * it), or named with --task. Runs of tasks whose input is numbers (forecast, memory, seqmnist,
 * highway) are refused with a message saying so.
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { TRACE_MAX_STEPS, topUnitsByVariance, traceGates, type DirectionTrace, type GateTrace, type TraceSeries } from "../nn/trace.js";
import { listTaskDefinitions } from "../tasks/registry.js";
import type { TaskDefinition } from "../tasks/task.js";
import { jsonLine } from "../train/progress.js";
import { FileStore } from "../train/store/file-store.js";
import { heatmapPng, heatmapSvg } from "../viz/heatmap.js";
import type { HeatmapOptions } from "../viz/heatmap-layout.js";
import { choice, guardParse, nonEmpty, nonNegativeInt } from "./args.js";
import { BACKEND_NAMES, selectBackend } from "./backend.js";
import { UsageError } from "./errors.js";
import { INSPECT_HELP } from "./help.js";
import type { CliIO } from "./io.js";
import { savedConfig } from "./task-train.js";
import { lookupTask } from "./tasks.js";

const OPTIONS = {
  checkpoint: { type: "string" },
  text: { type: "string" },
  task: { type: "string" },
  top: { type: "string" },
  layer: { type: "string" },
  out: { type: "string" },
  backend: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Units shown by default, and at most. */
export const INSPECT_DEFAULT_TOP = 16;
export const INSPECT_MAX_TOP = 256;

/** Gates squashed by a sigmoid: drawn on [0, 1]. Every other series on ±(its largest |value|). */
const SIGMOID_GATES = new Set(["i", "f", "o", "r", "z"]);

const SERIES_TITLES: Record<string, string> = {
  i: "input gate i",
  f: "forget gate f",
  g: "candidate g",
  o: "output gate o",
  c: "cell state c",
  h: "hidden state h",
  r: "reset gate r",
  z: "update gate z",
  n: "candidate n",
};

/** The schema version of inspect.json. */
export const INSPECT_JSON_VERSION = 1;

/** The task a run folder belongs to: the one named, else the first whose schema accepts its config.json. */
function findTask(runDir: string, named: string | undefined): TaskDefinition {
  if (named !== undefined) {
    const def = lookupTask(named);
    if (typeof def === "string") throw new UsageError(def);
    return def;
  }
  for (const def of listTaskDefinitions()) {
    try {
      savedConfig(def, runDir);
      return def;
    } catch {
      // Not this task's config; try the next.
    }
  }
  throw new Error(`${runDir} is not a run folder of any task (its config.json matches none); name the task with --task`);
}

/** A step label the plot font can draw: space as "_", line breaks and tabs as "|". */
function stepLabel(token: string): string {
  return token.replace(/ /g, "_").replace(/[\n\r\t]/g, "|");
}

/** The heatmap of `units` of one series over the text. */
function seriesHeatmap(series: TraceSeries, units: readonly number[], tokens: readonly string[], title: string): HeatmapOptions {
  const T = tokens.length;
  const values = new Float32Array(units.length * T);
  units.forEach((u, r) => values.set(series.values[u]!, r * T));
  let range: [number, number] = [0, 1];
  if (!SIGMOID_GATES.has(series.name)) {
    let m = 0;
    for (const v of values) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
    range = [-(m || 1), m || 1];
  }
  return {
    values,
    rows: units.length,
    cols: T,
    title,
    xLabel: "step (the text)",
    yLabel: "unit (top by var h)",
    min: range[0],
    max: range[1],
    rowLabels: units.map(String),
    colLabels: tokens.map(stepLabel),
    // Wide enough for every column label when that stays under 2,400 pixels (6 pixels per character).
    width: Math.min(2400, Math.max(560, 150 + T * Math.max(12, 6 * Math.max(...tokens.map((t) => [...t].length)) + 6))),
    height: Math.max(220, 90 + 14 * units.length),
  };
}

/** What `--json` prints and inspect.json holds besides the trace. */
type InspectSummary = {
  version: number;
  runDir: string;
  task: string;
  model: string;
  text: string;
  tokens: string[];
  /** The layer the heatmaps show (0-based). */
  layer: number;
  /** Per direction of that layer, the units shown (by variance of h over the text, largest first). */
  units: { direction: DirectionTrace["direction"]; units: number[] }[];
  files: string[];
};

export async function runInspect(args: string[], io: CliIO): Promise<number> {
  const { values: v } = guardParse("inspect", () => parseArgs({ args, options: OPTIONS, allowPositionals: false, strict: true }), Object.keys(OPTIONS));
  if (v.help === true) {
    io.stdout.write(INSPECT_HELP);
    return 0;
  }
  const runDir = nonEmpty("--checkpoint", v.checkpoint);
  if (runDir === undefined) throw new UsageError(`--checkpoint RUN_DIR is required (a run folder written by recurrent train charlm or sentiment)`);
  if (v.text === undefined) throw new UsageError(`--text is required: the text to run through the model`);
  if (v.text.length === 0) throw new UsageError(`--text must not be empty`);
  const top = nonNegativeInt("--top", v.top, INSPECT_MAX_TOP) ?? INSPECT_DEFAULT_TOP;
  if (top < 1) throw new UsageError(`--top must be a positive integer up to ${INSPECT_MAX_TOP}, got ${JSON.stringify(v.top)}`);
  const layerFlag = nonNegativeInt("--layer", v.layer);
  selectBackend(choice("--backend", v.backend, BACKEND_NAMES), (m) => io.stderr.write(`recurrent inspect: ${m}\n`));
  if (!existsSync(runDir)) throw new Error(`run folder ${runDir} does not exist`);
  if (!statSync(runDir).isDirectory()) throw new Error(`${runDir} is a file; --checkpoint takes a run folder`);

  const def = findTask(runDir, v.task);
  const task = def.schema.task;
  if (def.inspect === undefined) {
    const able = listTaskDefinitions().filter((t) => t.inspect !== undefined).map((t) => t.schema.task);
    throw new Error(`${runDir} is a ${task} run; its model reads numbers, not text, so there is nothing to label the steps with (inspect works on ${able.join(" and ")} runs)`);
  }
  const input = await def.inspect(runDir, v.text);
  if (input.tokens.length > TRACE_MAX_STEPS) throw new Error(`the text has ${input.tokens.length} steps; at most ${TRACE_MAX_STEPS}`);
  input.layer.eval();
  const trace: GateTrace = traceGates(input.layer, input.x);
  const layer = layerFlag ?? trace.numLayers - 1;
  if (layer >= trace.numLayers) throw new UsageError(`--layer must be below the model's ${trace.numLayers} layer${trace.numLayers === 1 ? "" : "s"} (0-based), got ${layer}`);

  const outDir = v.out ?? join(runDir, "inspect");
  const store = new FileStore(outDir);
  const files: string[] = [];
  const units: InspectSummary["units"] = [];
  for (const dir of trace.directions.filter((d) => d.layer === layer)) {
    const h = dir.series.find((s) => s.name === "h")!;
    const chosen = topUnitsByVariance(h.values, top);
    units.push({ direction: dir.direction, units: chosen });
    const tag = `l${layer}${dir.direction === "reverse" ? "-reverse" : ""}`;
    for (const s of dir.series) {
      const title = `${SERIES_TITLES[s.name] ?? s.name}, ${trace.cell} layer ${layer}${dir.direction === "reverse" ? " reverse" : ""}`;
      const opts = seriesHeatmap(s, chosen, input.tokens, title);
      await store.write(`${tag}-${s.name}.svg`, heatmapSvg(opts));
      await store.write(`${tag}-${s.name}.png`, heatmapPng(opts));
      files.push(store.locate(`${tag}-${s.name}.svg`), store.locate(`${tag}-${s.name}.png`));
    }
  }
  const summary: InspectSummary = { version: INSPECT_JSON_VERSION, runDir, task, model: input.model, text: v.text, tokens: input.tokens, layer, units, files: [...files, store.locate("inspect.json")] };
  await store.write("inspect.json", `${JSON.stringify({ ...summary, trace })}\n`);
  if (v.json === true) io.stdout.write(jsonLine(summary));
  else {
    const shown = units.map((u) => `${u.direction} units ${u.units.join(", ")}`).join("; ");
    io.stdout.write(`${task} run ${runDir}: ${input.model}\nlayer ${layer}, ${input.tokens.length} steps; ${shown}\n${summary.files.filter((f) => !f.endsWith(".png")).join("\n")}\n`);
  }
  return 0;
}
