import { test } from "node:test";
import assert from "node:assert/strict";
import { browserColumns, browserJobs, browserPeers, parseBrowserArgs, parseWhere } from "../../bench/browser/plan.js";
import { jobQuery, parseJobQuery, peerName, type PageJob } from "../../bench/browser/protocol.js";
import { isEntryModule } from "../../bench/entry.js";
import type { MachineInfo } from "../../bench/machine.js";
import { DEFAULT_MEASURE } from "../../bench/measure.js";
import { parseBenchArgs } from "../../bench/options.js";
import { renderTable } from "../../bench/report.js";
import { selectWorkloads } from "../../bench/workloads.js";

const job: PageJob = { runner: "ours", threads: 2, where: "worker", measure: { windowS: 1.5, warmup: 2, minSteps: 3, maxSteps: Infinity }, only: ["W1", "W4"] };

test("a page job survives its query string, maxSteps Infinity included", () => {
  assert.deepEqual(parseJobQuery(`?${jobQuery(job)}`), job);
  const capped: PageJob = { ...job, runner: "tfjs-cpu", where: "main", measure: { ...job.measure, maxSteps: 2 }, only: null };
  assert.deepEqual(parseJobQuery(jobQuery(capped)), capped);
});

test("a bad page query names the parameter, what it expects and what came", () => {
  const q = new URLSearchParams(jobQuery(job));
  q.set("runner", "torch");
  assert.throws(() => parseJobQuery(q.toString()), /"runner" must be one of ours, tfjs-wasm, tfjs-cpu, got "torch"/);
  q.set("runner", "ours");
  q.set("threads", "1.5");
  assert.throws(() => parseJobQuery(q.toString()), /"threads" must be an integer >= 1, got "1.5"/);
  q.delete("threads");
  assert.throws(() => parseJobQuery(q.toString()), /query parameter "threads" is missing/);
  q.set("threads", "1");
  q.set("warmup", "Infinity");
  assert.throws(() => parseJobQuery(q.toString()), /"warmup" must be an integer >= 0/);
});

test("peerName: ours on one thread is ours, on N is ours-Nt; peers keep their names", () => {
  assert.equal(peerName({ runner: "ours", threads: 1 }), "ours");
  assert.equal(peerName({ runner: "ours", threads: 4 }), "ours-4t");
  assert.equal(peerName({ runner: "tfjs-wasm", threads: 4 }), "tfjs-wasm");
});

test("browserJobs: ours on 1 and every core, then TF.js wasm on every core and cpu; --threads and --peers narrow it", () => {
  const all = browserJobs(parseBenchArgs(["--quick"]), "worker", 4);
  assert.deepEqual(all.map((j) => [j.runner, j.threads]), [["ours", 1], ["ours", 4], ["tfjs-wasm", 4], ["tfjs-cpu", 1]]);
  assert.ok(all.every((j) => j.where === "worker" && j.measure.windowS === 1));
  const one = browserJobs(parseBenchArgs(["--threads", "1", "--peers", "tfjs-cpu", "--only", "W5"]), "main", 2);
  assert.deepEqual(one.map((j) => [j.runner, j.threads, j.where, j.only]), [["ours", 1, "main", ["W5"]], ["tfjs-cpu", 1, "main", ["W5"]]]);
  assert.equal(one[0]!.measure.windowS, DEFAULT_MEASURE.windowS);
  // One core: ours on one thread only once.
  assert.deepEqual(browserJobs(parseBenchArgs([]), "worker", 1).filter((j) => j.runner === "ours").length, 1);
});

test("browserPeers and parseWhere reject what the browser cannot run", () => {
  assert.deepEqual(browserPeers(null), ["tfjs-wasm", "tfjs-cpu"]);
  assert.deepEqual(browserPeers(["tfjs-cpu"]), ["tfjs-cpu"]);
  assert.throws(() => browserPeers(["torch-1t", "tfjs-wasm"]), /--peers: torch-1t: PyTorch runs only in Node \(npm run bench\)/);
  assert.equal(parseWhere("main"), "main");
  assert.throws(() => parseWhere("gpu"), /--where must be worker or main, got "gpu"/);
  assert.throws(() => parseWhere(undefined), /got nothing/);
});

test("parseBrowserArgs: npm run bench's flags plus --where and --peers none; W1, W4 and W5 by default", () => {
  const d = parseBrowserArgs([]);
  assert.equal(d.where, "worker");
  assert.equal(d.options.peers, null);
  assert.deepEqual(d.workloads.map((w) => w.id), ["W1", "W4-b1", "W4-b64", "W5"]);
  const m = parseBrowserArgs(["--quick", "--where=main", "--peers", "none", "--only", "W5", "--threads", "1,2"]);
  assert.equal(m.where, "main");
  assert.deepEqual(m.options.peers, []);
  assert.deepEqual(m.options.threads, [1, 2]);
  assert.equal(m.options.measure.windowS, 1);
  assert.deepEqual(m.workloads.map((w) => w.id), ["W5"]);
  assert.deepEqual(parseBrowserArgs(["--peers=tfjs-cpu"]).options.peers, ["tfjs-cpu"]);
  assert.throws(() => parseBrowserArgs(["--where", "gpu"]), /--where must be worker or main, got "gpu"/);
  assert.throws(() => parseBrowserArgs(["--peers", "torch"]), /--peers: torch-1t, torch-2t: PyTorch runs only in Node/);
  assert.throws(() => parseBrowserArgs(["--peers", "none", "--peers", "tfjs"]), /none cannot be combined/);
  assert.throws(() => parseBrowserArgs(["--backend", "reference"]), /--backend: the browser benchmark runs ours on the wasm backend only, got "reference"/);
  assert.throws(() => parseBrowserArgs(["--only", "W9"]), /unknown workload "W9"/);
});

test("the browser table has a column per runner and ratios against each TF.js backend", () => {
  const jobs = browserJobs(parseBenchArgs([]), "worker", 2);
  const columns = browserColumns(jobs);
  assert.deepEqual(columns, { values: ["ours", "ours-2t", "tfjs-wasm", "tfjs-cpu"], ratios: ["tfjs-wasm", "tfjs-cpu"], efficiency: ["ours", "ours-2t"], pairs: [["ours-2t", "tfjs-wasm"]] });
  const machine: MachineInfo = { cpu: "Test CPU", cores: 2, memoryGiB: 8, node: "v20.0.0", os: "linux", load1: 0 };
  const res = (peer: string, value: number) => ({ peer, workload: "W5", metric: "steps/s", value, higherIsBetter: true, steps: 5, medianMs: 1000 / value });
  const text = renderTable({ machine, workloads: selectWorkloads(["W5"]), results: [res("ours", 30), res("ours-2t", 40), res("tfjs-wasm", 10)], metas: [], skips: [], missing: [], columns, header: ["Browser: Test 1.0"] });
  const lines = text.split("\n");
  assert.equal(lines[1], "Browser: Test 1.0");
  const head = lines.find((l) => l.startsWith("workload "))!;
  assert.deepEqual(head.split(/\s{2,}/), ["workload", "metric", "ours", "ours-2t", "tfjs-wasm", "tfjs-cpu", "ours/tfjs-wasm", "ours/tfjs-cpu", "ours-2t/tfjs-wasm"]);
  const w5 = lines.find((l) => l.startsWith("W5 "))!;
  assert.deepEqual(w5.split(/\s{2,}/), ["W5", "steps/s (higher better)", "30.00", "40.00", "10.00", "n/a", "3.00x", "n/a", "4.00x"]);
  assert.doesNotMatch(text, /torch/);
  assert.doesNotMatch(text, /Peak RSS/);
});

test("isEntryModule: only the script Node was started with, never without a script", () => {
  assert.equal(isEntryModule("file:///repo/bench/ours.ts", "/repo/bench/ours.ts"), true);
  assert.equal(isEntryModule("file:///repo/bench/ours.ts", "/repo/bench/run.ts"), false);
  assert.equal(isEntryModule("file:///repo/my%20bench/ours.ts", "/repo/my bench/ours.ts"), true);
  assert.equal(isEntryModule("http://127.0.0.1/page.js", "/page.js"), false);
  assert.equal(isEntryModule("file:///repo/bench/ours.ts", undefined), false);
  // node --test starts each test file as the script, through whatever path it was given.
  assert.equal(isEntryModule(import.meta.url), true);
});
