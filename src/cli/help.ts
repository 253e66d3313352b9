/** The --help texts. */
import { START_EPOCHS } from "./defaults.js";

export const MAIN_HELP = `recurrent: recurrent neural networks (RNN, LSTM, GRU) in TypeScript

Usage:
  recurrent train charlm [options]   train a character language model (see recurrent train --help)
  recurrent generate [options]       generate text from a trained model (see recurrent generate --help)
  recurrent start [options]          a few-minute demo: train the book's LSTM, then generate
  recurrent --help                   this text

Errors print one line and exit with code 1 (code 2 for bad flags).
`;

export const TRAIN_HELP = `Usage: recurrent train charlm [options]

Trains a character-level language model on a text, as in the recurrent-network chapter of
Dive into Deep Learning, and writes a run folder: config.json, vocab.json, metrics.jsonl,
perplexity.svg/.png, checkpoints/epoch-XXXX.{json,safetensors} (the last 3 kept) and
final.{json,safetensors}.

Model
  --cell lstm|gru|rnn        recurrent cell (default lstm)
  --hidden N                 hidden units per layer (default 256)
  --layers N                 stacked layers (default 1)
  --bidirectional            read the text both ways (low perplexity, useless for generation)
  --embed N                  learn an N-wide embedding instead of one-hot inputs (default 0: one-hot)

Data
  --text PATH                training text (default: the bundled data/timemachine.txt)
  --max-tokens N             use the first N characters; 0 for all (default 10000)
  --batch N                  rows per minibatch (default 32)
  --steps N                  time steps per minibatch (default 35)
  --sampler sequential|random
                             sequential carries the state across batches (truncated BPTT);
                             random restarts it every batch (default sequential)

Optimisation
  --epochs N                 epochs (default 500)
  --optimizer sgd|adam       (default sgd)
  --lr X                     learning rate (default 1 for sgd, 0.01 for adam)
  --clip X                   largest gradient norm (default 1)
  --seed N                   seeds the initialisation and the sampler (default 0)

Run
  --out DIR                  run folder; must not hold files yet (default runs/charlm-CELL-DATE-TIME)
  --resume DIR               continue the run in DIR from its latest checkpoint; its settings are
                             kept (only --epochs, --checkpoint-every and --text may change)
  --checkpoint-every N       periodic checkpoint every N epochs (default 10)
  --backend reference|wasm   kernels (default: wasm when available, else reference)
  --json                     one JSON object per line on stdout, nothing else
  --quiet                    no per-epoch output
  -h, --help                 this text
`;

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
