import { test } from "node:test";
import assert from "node:assert/strict";
import { CHARLM_SCHEMA, checkConfig, getTask, listTasks, optionsHelp, parseFlag, registerTask, resumableFlags, resumeConflict, schemaConfigDifference, type OptionSpec } from "recurrent";

const spec = (name: string): OptionSpec => {
  const s = CHARLM_SCHEMA.options.find((o) => o.name === name);
  assert.ok(s !== undefined, name);
  return s;
};

test("flags are read and checked from the schema, with errors naming the flag", () => {
  assert.equal(parseFlag(spec("hiddenSize"), "64"), 64);
  assert.equal(parseFlag(spec("hiddenSize"), undefined), undefined);
  assert.throws(() => parseFlag(spec("hiddenSize"), "0"), /^Error: --hidden must be a positive integer, got "0"$/);
  assert.throws(() => parseFlag(spec("seed"), "4294967296"), /--seed must be at most 4294967295, got "4294967296"/);
  assert.throws(() => parseFlag(spec("hiddenSize"), "5000"), /^Error: --hidden must be at most 4096, got "5000"$/);
  assert.throws(() => parseFlag(spec("lr"), "-1"), /--lr must be a positive number, got "-1"/);
  assert.equal(parseFlag(spec("lr"), "2e-3"), 0.002);
  assert.throws(() => parseFlag(spec("cell"), "tcn"), /--cell must be one of rnn, gru, lstm, peephole_lstm, layernorm_lstm, got "tcn"/);
  assert.equal(parseFlag(spec("bidirectional"), true), true);
  assert.throws(() => parseFlag(spec("textPath"), " "), /--text must not be empty/);
});

test("config validation, the resume check and the fields a resume may change all come from the schema", () => {
  const good = { cell: "gru", hiddenSize: 8, numLayers: 1, bidirectional: false, embedSize: 0, textPath: "/t.txt", maxTokens: 0, batchSize: 2, numSteps: 5, sampler: "random", numEpochs: 3, optimizer: "sgd", lr: 1, clip: 1, seed: 0, checkpointEvery: 1 };
  assert.equal(checkConfig(CHARLM_SCHEMA, good, "here")["hiddenSize"], 8);
  assert.throws(() => checkConfig(CHARLM_SCHEMA, { ...good, hidden: 3 }, "here"), /here: unknown config field "hidden"/);
  // A hostile file's field name is cut in the message, not quoted whole.
  assert.throws(() => checkConfig(CHARLM_SCHEMA, { ...good, ["x".repeat(5000)]: 3 }, "here"), (e: unknown) => e instanceof Error && /^here: unknown config field "x{80}\.\.\."$/.test(e.message));
  assert.throws(() => checkConfig(CHARLM_SCHEMA, { ...good, numSteps: 0 }, "here"), /here: numSteps must be a positive integer, got 0/);
  assert.equal(resumableFlags(CHARLM_SCHEMA), "--text, --epochs and --checkpoint-every");
  assert.equal(resumeConflict(CHARLM_SCHEMA, { numEpochs: 9, checkpointEvery: 5, textPath: "/other" }, good), null);
  assert.equal(
    resumeConflict(CHARLM_SCHEMA, { hiddenSize: 16 }, good),
    "--hidden 16 differs from the run's 8; a resumed run keeps its settings (only --text, --epochs and --checkpoint-every may change)",
  );
  assert.equal(schemaConfigDifference(CHARLM_SCHEMA, good, { ...good, numEpochs: 50 }), null);
  assert.equal(schemaConfigDifference(CHARLM_SCHEMA, good, { ...good, sampler: "sequential" }), 'sampler "random" vs "sequential"');
});

test("--help lists every flag once under its group, and the registry lists the tasks", () => {
  const help = optionsHelp(CHARLM_SCHEMA, { Run: ["  --out DIR"] });
  for (const o of CHARLM_SCHEMA.options) assert.equal(help.split(`  ${o.flag} `).length + help.split(`  ${o.flag}\n`).length - 2, 1, `${o.flag ?? o.name} once`);
  assert.match(help, /^Model\n {2}--cell lstm\|gru\|rnn\|peephole_lstm\|layernorm_lstm\n {29}recurrent cell \(peephole_lstm and layernorm_lstm export to PyTorch only\) \(default lstm\)\n/);
  assert.match(help, /Run\n {2}--checkpoint-every N {7}periodic checkpoint every N epochs \(default 10\)\n {2}--out DIR\n/);
  assert.deepEqual(listTasks().map((t) => t.task), ["charlm"]);
  assert.equal(getTask("charlm"), CHARLM_SCHEMA);
  assert.throws(() => registerTask(CHARLM_SCHEMA), /a task named "charlm" is already registered/);
});

test("a number option with min 0 takes zero (a dropout rate) and still refuses negatives; others must be above zero", () => {
  const rate: OptionSpec = { name: "dropout", flag: "--dropout", type: "number", min: 0, doc: "", resumable: false, group: "Model" };
  const lr: OptionSpec = { name: "lr", flag: "--lr", type: "number", doc: "", resumable: true, group: "Optimisation" };
  assert.equal(parseFlag(rate, "0"), 0);
  assert.equal(parseFlag(rate, "0.25"), 0.25);
  assert.throws(() => parseFlag(rate, "-0.1"), /^Error: --dropout must be a non-negative number, got "-0.1"$/);
  assert.throws(() => parseFlag(lr, "0"), /^Error: --lr must be a positive number, got "0"$/);
});
