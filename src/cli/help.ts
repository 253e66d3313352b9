/** The --help texts. */
import { optionsHelp, resumableFlags, type TaskSchema } from "../tasks/schema.js";
import { START_EPOCHS } from "./defaults.js";

export const MAIN_HELP = `recurrent: recurrent neural networks (RNN, LSTM, GRU) in TypeScript

Usage:
  recurrent train TASK [options]         train a task; recurrent train lists the tasks
  recurrent evaluate TASK RUN_DIR        score a trained run on the task's held-out data
  recurrent predict TASK RUN_DIR INPUT   run a trained run's model on an input
  recurrent generate [options]           generate text from a trained char LM
  recurrent start [options]              a few-minute demo: train the book's LSTM, then generate
  recurrent inspect [options]            heatmaps of a trained run's gates over a text
  recurrent export RUN_DIR [options]     a char LM run as PyTorch, ONNX or TF.js files
  recurrent import PATH [options]        a PyTorch, ONNX or TF.js char LM as a run folder
  recurrent help COMMAND [TASK]          the --help of a command (and task)
  recurrent --help                       this text

Errors print one line and exit with code 1 (code 2 for bad flags); with --json they are one
JSON object on stderr: {"error": {"command": ..., "message": ..., "exitCode": ...}}.
Progress is a live bar on a terminal, plain lines elsewhere or when NO_COLOR is set or TERM=dumb.
`;

/** Lines of the flags every task has, listed under "Run". */
const RUN_HELP = [
  "  --out DIR                  run folder; must not hold files yet (default runs/TASK-...-DATE-TIME)",
  "  --resume DIR               continue the run in DIR from its latest checkpoint; its settings are",
  "                             kept (only RESUMABLE may change)",
  "  --backend reference|wasm   kernels (default: wasm when available, else reference)",
  "  --json                     one JSON object per line on stdout, nothing else",
  "  --quiet                    no per-epoch output",
  "  -h, --help                 this text",
];

/** `recurrent train TASK --help`, built from the task's schema, with the list of tasks at the end. */
export function trainHelp(schema: TaskSchema, tasks: readonly TaskSchema[]): string {
  const run = RUN_HELP.map((l) => l.replace("RESUMABLE", resumableFlags(schema)));
  const width = Math.max(...tasks.map((t) => t.task.length)) + 2;
  return (
    `Usage: recurrent train ${schema.task} [options]\n\n${schema.description}\n\n` +
    optionsHelp(schema, { Run: run }) +
    `Tasks (recurrent train TASK --help):\n${tasks.map((t) => `  ${t.task.padEnd(width)}${t.summary}`).join("\n")}\n`
  );
}

export const GENERATE_HELP = `Usage: recurrent generate --checkpoint RUN_DIR [options]

Warms a trained model up on a prefix, then writes the prefix and what the model adds to it.

  --checkpoint PATH          a run folder (its final checkpoint, else its latest) or a
                             checkpoint's .json file (required)
  --prefix TEXT              text to start from (default "time traveller"); characters the
                             model never saw are read as <unk>, with a warning
  --length N                 characters to add (default 50)
  --temperature X            0 picks the most likely character (default); higher values sample,
                             more randomly the higher
  --top-k N                  sample only among the N most likely characters; 0 for all (default 0)
  --seed N                   seed of the sampling (default 0)
  --backend reference|wasm   kernels (default: wasm when available, else reference)
  --json                     print {"text": ..., ...} instead of the plain text
  -h, --help                 this text
`;

export const START_HELP = `Usage: recurrent start [options]

Trains the book's LSTM (256 hidden, batch 32, 35 steps, 10,000 characters of The Time Machine,
SGD lr 1, clip 1) for a few minutes on two cores (${START_EPOCHS["wasm"]} epochs with the wasm backend,
${START_EPOCHS["reference"]} with the reference one), then prints the final perplexity, two generated lines and
where the plot and the checkpoint are. The book trains 500 epochs: recurrent train charlm does.

  --epochs N                 epochs (default: ${START_EPOCHS["wasm"]} on wasm, ${START_EPOCHS["reference"]} on reference)
  --out DIR                  run folder (default runs/start-DATE-TIME)
  --backend reference|wasm   kernels (default: wasm when available, else reference)
  --quiet                    no per-epoch output
  -h, --help                 this text
`;

export const INSPECT_HELP = `Usage: recurrent inspect --checkpoint RUN_DIR --text TEXT [options]

Runs a trained run's recurrent layer over TEXT and draws, for the units whose hidden state h
varies most over the text, heatmaps of every gate (LSTM i, f, g, o; GRU r, z, n), the cell state c
and h: one row per unit, one column per character (char LM runs) or word (sentiment runs; the
best recurrent model by validation accuracy). Sigmoid gates are drawn on [0, 1], the others on
plus or minus their largest absolute value. Spaces are labelled "_", line breaks "|".
Writes DIR/lLAYER[-reverse]-SERIES.svg and .png for each series, and DIR/inspect.json: the text,
the units shown, and the whole trace of every layer, direction, series and unit (the layout of
traceGates, which the playground reads).

  --checkpoint RUN_DIR       a run folder of a task that reads text: charlm or sentiment (required)
  --text TEXT                the text to run through the model (required)
  --task NAME                the run's task (default: found from its config.json)
  --top K                    units shown, by variance of h over the text (default 16, at most 256)
  --layer L                  layer shown, 0-based (default: the top one)
  --out DIR                  where the files go (default RUN_DIR/inspect)
  --backend reference|wasm   kernels (default: wasm when available, else reference)
  --json                     print a JSON summary (files, units) instead of the plain text
  -h, --help                 this text
`;
