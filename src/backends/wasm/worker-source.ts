/**
 * The worker's program, as source text: a classic script with no imports, so that it starts the
 * same way from src (tsx) and from dist, in Node (eval) and in browsers (a Blob URL). It joins the
 * team described by its WorkerInit (host.ts) and runs the protocol of control.ts; the caller's half
 * is team.ts.
 */
import * as C from "./control.js";
import { MAX_KERNEL_ARGS } from "./exec.js";

const args = Array.from({ length: MAX_KERNEL_ARGS }, (_, i) => `s[p + ${i}]`).join(", ");

export const WORKER_SOURCE = `"use strict";
function barrier(ctl, parts) {
  const gen = Atomics.load(ctl, ${C.BARRIER_GENERATION});
  if (Atomics.add(ctl, ${C.BARRIER_COUNT}, 1) === parts - 1) {
    Atomics.store(ctl, ${C.BARRIER_COUNT}, 0);
    Atomics.add(ctl, ${C.BARRIER_GENERATION}, 1);
    if (Atomics.load(ctl, ${C.BARRIER_SLEEPERS}) > 0) Atomics.notify(ctl, ${C.BARRIER_GENERATION});
    return;
  }
  const until = performance.now() + ${C.BARRIER_POLL_MS};
  let n = 0;
  while (Atomics.load(ctl, ${C.BARRIER_GENERATION}) === gen) {
    if ((++n & 63) === 0 && performance.now() > until) {
      Atomics.add(ctl, ${C.BARRIER_SLEEPERS}, 1);
      Atomics.wait(ctl, ${C.BARRIER_GENERATION}, gen);
      Atomics.sub(ctl, ${C.BARRIER_SLEEPERS}, 1);
    }
  }
}
function fail(ctl, error) {
  if (Atomics.compareExchange(ctl, ${C.FAILED}, 0, 1) !== 0) return;
  const text = String(error && error.message ? error.message : error);
  for (let i = 0; i < ${C.ERROR_TEXT_LENGTH}; i++) ctl[${C.ERROR_TEXT} + i] = i < text.length ? text.charCodeAt(i) : 0;
}
// Runs one program; after a failure it skips the calls but still meets every barrier.
function run(s, fns, ctl, parts) {
  let at = 0;
  for (;;) {
    const op = s[at];
    if (op === ${C.OP_END}) return;
    if (op === ${C.OP_BARRIER}) {
      barrier(ctl, parts);
      at++;
      continue;
    }
    const p = at + 2;
    if (fns !== null) {
      try {
        fns[op](${args});
      } catch (e) {
        fail(ctl, e);
        fns = null;
      }
    }
    at = p + s[at + 1];
  }
}
function start(init) {
  const memory = init.memory;
  const ctl = new Int32Array(memory.buffer, init.control, ${C.CONTROL_INTS});
  const stream = new Int32Array(memory.buffer, init.streams + init.part * init.streamInts * 4, init.streamInts);
  let fns = null;
  try {
    const exports = new WebAssembly.Instance(init.module, { env: { memory } }).exports;
    fns = init.kernels.map((name) => exports[name]);
  } catch (e) {
    fail(ctl, e);
  }
  let seen = Atomics.load(ctl, ${C.GENERATION});
  Atomics.add(ctl, ${C.READY}, 1);
  Atomics.notify(ctl, ${C.READY});
  for (;;) {
    const until = performance.now() + ${C.IDLE_POLL_MS};
    let n = 0;
    let gen;
    while ((gen = Atomics.load(ctl, ${C.GENERATION})) === seen) {
      if ((++n & 63) === 0 && performance.now() > until) {
        Atomics.add(ctl, ${C.IDLE}, 1);
        Atomics.wait(ctl, ${C.GENERATION}, seen);
        Atomics.sub(ctl, ${C.IDLE}, 1);
      }
    }
    seen = gen;
    if (Atomics.load(ctl, ${C.STOP}) !== 0) return;
    run(stream, Atomics.load(ctl, ${C.FAILED}) === 0 ? fns : null, ctl, init.parts);
    if (Atomics.sub(ctl, ${C.PENDING}, 1) === 1 && Atomics.load(ctl, ${C.CALLER_WAITING}) !== 0) {
      Atomics.notify(ctl, ${C.PENDING});
    }
  }
}
if (typeof process === "object" && process.versions && process.versions.node) {
  start(require("node:worker_threads").workerData);
} else {
  self.onmessage = (event) => {
    self.onmessage = null;
    start(event.data);
  };
}
`;
