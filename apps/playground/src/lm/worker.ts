/**
 * The language model's training worker: the page never trains on its own thread. It runs the
 * char LM of `recurrent train charlm` on the wasm backend (on several threads when the page is
 * cross-origin isolated), writes the same run files as the CLI into browser storage (config.json,
 * vocab.json, metrics.jsonl, checkpoints/epoch-XXXX.{json,safetensors}, final.*), and answers the
 * page's requests: pause, resume, stop, samples, opening a stored or dropped-in run, exporting one,
 * and the gate traces of the "Inside the cell" page.
 */
import {
  Adam,
  CHARLM_SCHEMA,
  Checkpoint,
  Generator,
  MetricsLog,
  SGD,
  SeqDataLoader,
  Vocab,
  buildModel,
  charLMLoopOptions,
  charLMParameterCount,
  checkVocabulary,
  configToJson,
  describeModel,
  fitLoop,
  latestCheckpointRef,
  loadCorpus,
  loadWasmBackend,
  loadWeights,
  manualSeed,
  parseCharLMConfig,
  parseJsonChecked,
  predict,
  readCheckpointFrom,
  resolveCharLMConfig,
  schemaConfigDifference,
  setBackend,
  sha256Hex,
  toEpochMetrics,
  wasmSimdSupported,
  type CharLMConfig,
  type LoadedCheckpoint,
  type Optimizer,
  type RNNLM,
  type TrainLoop,
} from "recurrent";
import { traceGates } from "../inside/gates.js";
import { IdbStore } from "./idb-store.js";
import { PROGRESS_INTERVAL_MS, type FromWorker, type LMOptions, type RunFile, type TextSource, type ToWorker } from "./protocol.js";
import { TIME_MACHINE } from "./text.js";

/** The run the worker holds: trained here, reopened from storage, or dropped in. */
interface Current {
  runId: string;
  config: CharLMConfig;
  vocab: Vocab;
  model: RNNLM;
  /** Epochs the model has been trained for. */
  epoch: number;
}

let current: Current | null = null;
let busy = false;
let paused: { resume: () => void; promise: Promise<void> } | null = null;
let loopRef: TrainLoop | null = null;
let stopRequested = false;
let sampleTemperature = 0.8;
/** What the idle status after a request says, when the request has something to say. */
let note: string | null = null;

function post(msg: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(msg, { transfer });
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function status(s: "idle" | "training" | "paused" | "stopping", text: string): void {
  post({ type: "status", status: s, runId: current?.runId ?? null, message: text });
}

async function init(threads: number): Promise<void> {
  if (!wasmSimdSupported()) throw new Error("this browser runs WebAssembly without SIMD; the playground needs it (any current Chrome, Firefox or Safari has it)");
  const backend = await loadWasmBackend({ threads: self.crossOriginIsolated ? threads : 1 });
  setBackend(backend);
  post({ type: "ready", threads: backend.threads, isolated: self.crossOriginIsolated, backend: backend.name });
}

function optionsOf(config: CharLMConfig): LMOptions {
  const { cell, hiddenSize, numLayers, bidirectional, lr, clip, numEpochs, batchSize, numSteps, maxTokens, checkpointEvery, seed } = config;
  return { cell, hiddenSize, numLayers, bidirectional, lr, clip, numEpochs, batchSize, numSteps, maxTokens, checkpointEvery, seed };
}

function makeOptimizer(config: CharLMConfig, model: RNNLM): Optimizer {
  return config.optimizer === "adam" ? new Adam(model.parameters(), { lr: config.lr }) : new SGD(model.parameters(), { lr: config.lr });
}

function sample(prefix: string, temperature: number, length: number): string {
  if (current === null) throw new Error("sample: no model yet; start training or open a run first");
  const generator = new Generator(current.epoch + 1);
  return predict(current.model, current.vocab, prefix, { numPreds: length, temperature, generator }).text;
}

/**
 * Trains the run in `store` to `config.numEpochs`, from `resumeFrom` when given: the same
 * model, optimiser, seeds and step as trainCharLM, so a run continues here exactly as the CLI
 * would continue it, and the CLI can continue a run trained here.
 */
async function train(store: IdbStore, config: CharLMConfig, text: string, resumeFrom: LoadedCheckpoint | null): Promise<void> {
  const { corpus, vocab } = loadCorpus(text, { token: "char", maxTokens: config.maxTokens });
  const loader = new SeqDataLoader(corpus, { batchSize: config.batchSize, numSteps: config.numSteps, sampler: config.sampler });
  manualSeed(config.seed);
  const model = buildModel(config, vocab.length);
  const optimizer = makeOptimizer(config, model);
  const samplerRng = new Generator((config.seed + 1) >>> 0);
  current = { runId: store.runId, config, vocab, model, epoch: resumeFrom?.meta.epoch ?? 0 };
  if (resumeFrom !== null) checkVocabulary(vocab, resumeFrom, store.locate("vocab.json"));
  let lastPost = 0;
  const epochStart = { time: performance.now(), tokens: 0 };
  stopRequested = false;
  status("training", `training ${describeModel(config)}`);
  await fitLoop(model, {
    ...charLMLoopOptions(config, model, optimizer, loader, samplerRng, vocab),
    store,
    resumeFrom,
    callbacks: [
      {
        onTrainBegin: (loop) => {
          loopRef = loop;
        },
        onEpochBegin: () => {
          epochStart.time = performance.now();
        },
        onBatchEnd: async (logs, loop) => {
          const now = performance.now();
          if (now - lastPost >= PROGRESS_INTERVAL_MS) {
            lastPost = now;
            const seconds = (now - epochStart.time) / 1000;
            post({ type: "progress", epoch: logs.epoch, batch: logs.batch, numBatches: loop.numBatches, tokensPerSecond: seconds > 0 ? logs.seen / seconds : 0, loss: logs.loss });
          }
          if (paused !== null) {
            status("paused", `paused in epoch ${logs.epoch}`);
            const pausedAt = performance.now();
            await paused.promise;
            // Time spent paused is not training time: the speed readout leaves it out.
            epochStart.time += performance.now() - pausedAt;
            status("training", `training ${describeModel(config)}`);
          }
        },
        onEpochEnd: (epoch, row, loop) => {
          if (current !== null) current.epoch = epoch;
          post({ type: "epoch", metrics: toEpochMetrics(row) });
          if (epoch % 2 === 0 || epoch === loop.epochs) {
            post({ type: "sample", epoch, text: sample("time traveller ", sampleTemperature, 120), temperature: sampleTemperature });
          }
          if (stopRequested) loop.stopTraining = true;
        },
      },
      new MetricsLog(),
      new Checkpoint({ every: config.checkpointEvery, keep: 3 }),
    ],
  });
  loopRef = null;
}

/** The training text of a stored config: the bundled book, or the text the page holds when its hash matches. */
function textFor(config: CharLMConfig, source: TextSource | null): string {
  if (sha256Hex(new TextEncoder().encode(TIME_MACHINE)) === config.textSha256) return TIME_MACHINE;
  if (source !== null && sha256Hex(new TextEncoder().encode(source.text)) === config.textSha256) return source.text;
  throw new Error(
    `this run was trained on ${config.textPath} (SHA-256 ${config.textSha256.slice(0, 12)}...), which is neither the bundled Time Machine nor the text in the text box; paste or drop that text to continue it`,
  );
}

async function readConfig(store: IdbStore): Promise<CharLMConfig> {
  const bytes = await store.read("config.json");
  return parseCharLMConfig(parseJsonChecked(bytes, store.locate("config.json")), `run config ${store.locate("config.json")}`);
}

async function readVocab(store: IdbStore): Promise<Vocab> {
  const bytes = await store.read("vocab.json");
  try {
    return Vocab.fromJSON(parseJsonChecked(bytes, store.locate("vocab.json")));
  } catch (err) {
    throw new Error(`vocabulary ${store.locate("vocab.json")}: ${message(err)}`);
  }
}

/** Opens a stored run at its latest checkpoint (the model for sampling and inspecting) and posts its history. */
async function open(runId: string): Promise<void> {
  const store = new IdbStore(runId);
  const config = await readConfig(store);
  const vocab = await readVocab(store);
  const ref = await latestCheckpointRef(store);
  if (ref === null) throw new Error(`run ${runId} has no checkpoint yet`);
  const ckpt = await readCheckpointFrom(store, ref.name);
  const saved = parseCharLMConfig(ckpt.meta.config, `checkpoint ${ckpt.path}: config`);
  const diff = schemaConfigDifference(CHARLM_SCHEMA, { ...saved }, { ...config });
  if (diff !== null) throw new Error(`checkpoint ${ckpt.path} was written with another config than ${store.locate("config.json")} (${diff})`);
  checkVocabulary(vocab, ckpt, store.locate("vocab.json"));
  const stored = Object.values(ckpt.params).reduce((n, t) => n + t.data.length, 0);
  const expected = charLMParameterCount(saved, vocab.length);
  if (stored !== expected) throw new Error(`checkpoint ${ckpt.path}: its config describes ${expected} parameters but its weights hold ${stored}`);
  const model = buildModel(saved, vocab.length);
  loadWeights(model, ckpt);
  model.eval();
  current = { runId, config: saved, vocab, model, epoch: ckpt.meta.epoch };
  post({ type: "history", metrics: ckpt.meta.metrics.map((row) => toEpochMetrics(row)), description: describeModel(saved) });
  post({ type: "opened", runId, epoch: ckpt.meta.epoch, description: describeModel(saved), options: optionsOf(saved), canContinue: true });
  note = `opened ${runId} at epoch ${ckpt.meta.epoch} (${ref.name})`;
}

async function start(options: LMOptions, source: TextSource, runId: string): Promise<void> {
  const store = new IdbStore(runId);
  const config = resolveCharLMConfig({ ...options, textPath: source.name, textSha256: sha256Hex(new TextEncoder().encode(source.text)) });
  const { vocab } = loadCorpus(source.text, { token: "char", maxTokens: config.maxTokens });
  // The CLI's order: config.json first, then vocab.json.
  await store.write("config.json", `${JSON.stringify(configToJson(config), null, 2)}\n`);
  await store.write("vocab.json", `${JSON.stringify(vocab.toJSON())}\n`);
  post({ type: "history", metrics: [], description: describeModel(config) });
  await train(store, config, source.text, null);
}

async function continueRun(runId: string, numEpochs: number, source: TextSource | null): Promise<void> {
  const store = new IdbStore(runId);
  const stored = await readConfig(store);
  const config = parseCharLMConfig({ ...configToJson(stored), numEpochs }, "continue");
  const text = textFor(config, source);
  const ref = await latestCheckpointRef(store);
  const ckpt = ref === null ? null : await readCheckpointFrom(store, ref.name);
  if (ckpt !== null && ckpt.meta.epoch >= numEpochs) throw new Error(`run ${runId} is already at epoch ${ckpt.meta.epoch}; ask for more epochs than that`);
  if (ckpt !== null) {
    const saved = parseCharLMConfig(ckpt.meta.config, `checkpoint ${ckpt.path}: config`);
    const diff = schemaConfigDifference(CHARLM_SCHEMA, { ...saved }, { ...config });
    if (diff !== null) throw new Error(`checkpoint ${ckpt.path} was written with another config (${diff})`);
  }
  await store.write("config.json", `${JSON.stringify(configToJson(config), null, 2)}\n`);
  post({ type: "history", metrics: ckpt?.meta.metrics.map((row) => toEpochMetrics(row)) ?? [], description: describeModel(config) });
  await train(store, config, text, ckpt);
}

/** Stores the files of a dropped-in run folder under a new id, then opens it. */
async function importRun(runId: string, files: RunFile[]): Promise<void> {
  const names = new Set(files.map((f) => f.name));
  for (const need of ["config.json", "vocab.json"]) {
    if (!names.has(need)) throw new Error(`a run folder needs ${need}; the files dropped were ${[...names].join(", ") || "none"}`);
  }
  const store = new IdbStore(runId);
  for (const f of files) await store.write(f.name, f.bytes);
  await open(runId);
}

async function exportRun(runId: string): Promise<void> {
  const store = new IdbStore(runId);
  const files: RunFile[] = [];
  for (const name of await store.names()) files.push({ name, bytes: await store.read(name) });
  post({ type: "exported", runId, files }, files.map((f) => f.bytes.buffer));
}

function inspect(text: string, options: LMOptions): void {
  let trained = true;
  if (current === null) {
    // No run yet: a fresh model of the form's settings on the book's characters shows untrained gates.
    const config = resolveCharLMConfig({ ...options, textPath: "data/timemachine.txt", textSha256: sha256Hex(new TextEncoder().encode(TIME_MACHINE)) });
    const { vocab } = loadCorpus(TIME_MACHINE, { token: "char", maxTokens: config.maxTokens });
    manualSeed(config.seed);
    current = { runId: "", config, vocab, model: buildModel(config, vocab.length), epoch: 0 };
    trained = false;
  } else if (current.epoch === 0) trained = false;
  const result = traceGates(current.model, current.vocab, text);
  post({ type: "inspected", result: { ...result, trained } }, result.traces.map((t) => t.values.buffer));
}

/** Runs a long request; one at a time, the others are refused with a message. */
async function exclusive(what: string, run: () => Promise<void>): Promise<void> {
  if (busy) throw new Error(`${what}: training is running; stop it first`);
  busy = true;
  try {
    await run();
  } finally {
    busy = false;
    paused = null;
    status("idle", note ?? (current === null ? "ready" : `run ${current.runId || "(unsaved)"} at epoch ${current.epoch}`));
    note = null;
  }
}

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case "init":
      return init(msg.threads);
    case "start":
      return exclusive("start", () => start(msg.options, msg.source, msg.runId));
    case "continue":
      return exclusive("continue", () => continueRun(msg.runId, msg.numEpochs, msg.source));
    case "open":
      return exclusive("open", () => open(msg.runId));
    case "import":
      return exclusive("import", () => importRun(msg.runId, msg.files));
    case "export":
      return exportRun(msg.runId);
    case "pause":
      if (busy && paused === null) {
        let resume = (): void => {};
        const promise = new Promise<void>((r) => (resume = r));
        paused = { resume, promise };
      }
      return;
    case "resume":
      paused?.resume();
      paused = null;
      return;
    case "stop":
      if (busy) {
        stopRequested = true;
        if (loopRef !== null) status("stopping", "stopping after this epoch (its checkpoint is saved)");
        paused?.resume();
        paused = null;
      }
      return;
    case "sample":
      sampleTemperature = msg.temperature;
      if (current !== null) post({ type: "sample", epoch: current.epoch, text: sample(msg.prefix, msg.temperature, msg.length), temperature: msg.temperature });
      return;
    case "inspect":
      return inspect(msg.text, msg.options);
  }
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  handle(e.data).catch((err: unknown) => post({ type: "error", message: message(err) }));
};
