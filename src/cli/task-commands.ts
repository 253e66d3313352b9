/**
 * `recurrent evaluate TASK RUN_DIR` and `recurrent predict TASK RUN_DIR [INPUT]`: a trained run
 * of any registered task, scored on the task's held-out data or run on an input the task defines.
 */
import { parseArgs } from "node:util";
import { listTaskDefinitions } from "../tasks/registry.js";
import type { TaskDefinition } from "../tasks/task.js";
import { jsonLine } from "../train/progress.js";
import { choice, guardParse } from "./args.js";
import { BACKEND_NAMES, selectBackend } from "./backend.js";
import { UsageError } from "./errors.js";
import type { CliIO } from "./io.js";
import { formatNumber } from "./task-train.js";
import { lookupTask, taskList } from "./tasks.js";

const OPTIONS = {
  backend: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

const COMMON_HELP = `  --backend reference|wasm   kernels (default: wasm when available, else reference)
  --json                     one JSON object on stdout instead of the plain text
  -h, --help                 this text
`;

function tasksHelp(): string {
  return `Tasks:\n${listTaskDefinitions().map((t) => `  ${t.schema.task.padEnd(12)}${t.schema.summary}`).join("\n")}\n`;
}

/** `recurrent evaluate --help`. */
export function evaluateHelp(): string {
  return `Usage: recurrent evaluate TASK RUN_DIR [options]

Scores a trained run (its final checkpoint, else its latest) on the task's held-out data and
prints one "name value" line per number.

${COMMON_HELP}
${tasksHelp()}`;
}

/** `recurrent predict --help`. */
export function predictHelp(): string {
  const inputs = listTaskDefinitions()
    .filter((t) => t.predict !== undefined)
    .map((t) => `  ${t.schema.task.padEnd(12)}INPUT: ${t.predictInput ?? "the input"}`);
  return `Usage: recurrent predict TASK RUN_DIR [INPUT] [options]

Runs a trained run's model on an input the task defines and prints what it gives.

${COMMON_HELP}
Tasks that predict:
${inputs.join("\n")}
`;
}

interface Parsed {
  def: TaskDefinition;
  runDir: string;
  rest: string[];
  json: boolean;
}

function parse(command: "evaluate" | "predict", args: string[], io: CliIO): Parsed | null {
  const { values: v, positionals } = guardParse(command, () => parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true }), Object.keys(OPTIONS));
  if (v.help === true) {
    io.stdout.write(command === "evaluate" ? evaluateHelp() : predictHelp());
    return null;
  }
  const [name, runDir, ...rest] = positionals;
  if (name === undefined) throw new UsageError(`which task? ${taskList(`recurrent ${command} `)} (see recurrent ${command} --help)`);
  const def = lookupTask(name);
  if (typeof def === "string") throw new UsageError(def);
  if (runDir === undefined || runDir.trim() === "") throw new UsageError(`RUN_DIR is required: recurrent ${command} ${name} RUN_DIR (a folder written by recurrent train ${name})`);
  selectBackend(choice("--backend", v.backend, BACKEND_NAMES), (m) => io.stderr.write(`recurrent ${command}: ${m}\n`));
  return { def, runDir, rest, json: v.json === true };
}

export async function runEvaluate(args: string[], io: CliIO): Promise<number> {
  const p = parse("evaluate", args, io);
  if (p === null) return 0;
  if (p.rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(p.rest[0])} (see recurrent evaluate --help)`);
  const scores = await p.def.evaluate(p.runDir, { log: (m) => io.stderr.write(`recurrent evaluate: ${m}\n`) });
  if (p.json) io.stdout.write(jsonLine({ task: p.def.schema.task, runDir: p.runDir, ...scores }));
  else io.stdout.write(Object.entries(scores).map(([k, v]) => `${k.padEnd(28)} ${formatNumber(v)}\n`).join(""));
  return 0;
}

export async function runPredict(args: string[], io: CliIO): Promise<number> {
  const p = parse("predict", args, io);
  if (p === null) return 0;
  const predict = p.def.predict;
  if (predict === undefined) throw new UsageError(`task ${p.def.schema.task} has no predict; see recurrent evaluate ${p.def.schema.task} RUN_DIR`);
  if (p.rest.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(p.rest[1])}; give INPUT as one argument (quote it)`);
  const out = await predict.call(p.def, p.runDir, p.rest[0] ?? "", { log: (m) => io.stderr.write(`recurrent predict: ${m}\n`) });
  io.stdout.write(p.json ? jsonLine({ task: p.def.schema.task, runDir: p.runDir, result: out.json }) : `${out.text}\n`);
  return 0;
}
