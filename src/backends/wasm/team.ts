/**
 * A team of threads running the kernels on one shared WebAssembly memory: the calling thread is
 * part 0, each worker one more part. The protocol (control block, program streams) is described
 * in control.ts; the workers' half is worker-source.ts.
 *
 * The team is used only once every worker has started (until then, and after dispose() or a
 * failure, the backend runs on the calling thread alone, with the same results).
 */
import * as Control from "./control.js";
import { KERNEL_INDEX, MAX_KERNEL_ARGS, PROGRAM_KERNELS, programFunctions, type Executor, type Kernel, type ProgramKernel } from "./exec.js";
import type { ThreadHost, WorkerInit } from "./host.js";
import { instantiateKernels, type KernelExports } from "./module.js";
import { WORKER_SOURCE } from "./worker-source.js";

// Local copies of the protocol's constants: the polling loops read them constantly, and a module
// namespace read is not always a plain constant (it is a getter call under some loaders).
const {
  BARRIER_COUNT,
  BARRIER_GENERATION,
  BARRIER_POLL_MS,
  BARRIER_SLEEPERS,
  CALLER_WAITING,
  CONTROL_INTS,
  ERROR_TEXT,
  ERROR_TEXT_LENGTH,
  FAILED,
  GENERATION,
  IDLE,
  OP_BARRIER,
  OP_END,
  PENDING,
  READY,
  STOP,
  STREAM_INTS,
} = Control;

const PAGE = 65536;
/** Largest memory the shared build declares (its maximumMemory in wasm/asconfig.json): 4 GiB. */
const MAX_PAGES = 65536;

const alignUp = (n: number, to: number): number => Math.ceil(n / to) * to;

type TeamState = "starting" | "running" | "stopped" | "failed";

export class Team {
  /** The calling thread's instance of the kernels, on the shared memory. */
  readonly kernels: KernelExports;
  /** First byte past the control block and streams: the backend's own buffers start here. */
  readonly end: number;
  private readonly ctl: Int32Array;
  private readonly streams: Int32Array[];
  private readonly fns: Kernel[];
  private readonly stops: (() => void)[] = [];
  private readonly recorder: TeamExecutor;
  private state: TeamState = "starting";

  private constructor(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    /** Parts: the calling thread plus the workers. */
    readonly size: number,
    private readonly host: ThreadHost,
  ) {
    this.kernels = instantiateKernels(module, memory);
    const control = alignUp(this.kernels.heapBase(), 128);
    const streams = alignUp(control + CONTROL_INTS * 4, 128);
    this.end = streams + size * STREAM_INTS * 4;
    const have = memory.buffer.byteLength;
    if (this.end > have) memory.grow(Math.ceil((this.end - have) / PAGE));
    // Views of a shared buffer stay valid when the memory grows.
    this.ctl = new Int32Array(memory.buffer, control, CONTROL_INTS);
    this.streams = Array.from({ length: size }, (_, p) => new Int32Array(memory.buffer, streams + p * STREAM_INTS * 4, STREAM_INTS));
    this.fns = programFunctions(this.kernels);
    this.recorder = new TeamExecutor(this, this.streams);
    try {
      for (let part = 1; part < size; part++) {
        const init: WorkerInit = { module, memory, control, streams, streamInts: STREAM_INTS, part, parts: size, kernels: PROGRAM_KERNELS };
        this.stops.push(host.start(WORKER_SOURCE, init));
      }
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  /**
   * Starts `threads - 1` workers on a new shared memory, or returns null where the engine cannot
   * make one (the caller then runs on one thread).
   */
  static start(module: WebAssembly.Module, threads: number, host: ThreadHost): Team | null {
    let memory: WebAssembly.Memory;
    try {
      memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    } catch {
      return null;
    }
    try {
      return new Team(module, memory, threads, host);
    } catch {
      return null;
    }
  }

  /** Parts a call may use now: all of them once every worker runs, else 1. */
  get parts(): number {
    if (this.state === "starting" && Atomics.load(this.ctl, READY) === this.size - 1) {
      // A worker that could not instantiate the kernels has reported it before counting itself ready.
      this.state = Atomics.load(this.ctl, FAILED) === 0 ? "running" : "failed";
    }
    return this.state === "running" ? this.size : 1;
  }

  /**
   * Blocks until every worker has started or `timeoutMs` passes, where blocking lets them start
   * (Node); elsewhere returns at once, and the team joins in once this thread has yielded to its
   * event loop. Returns parts.
   */
  waitReady(timeoutMs: number): number {
    if (!this.host.canBlock || !this.host.startsWhileBlocked) return this.parts;
    const until = performance.now() + timeoutMs;
    for (;;) {
      const ready = Atomics.load(this.ctl, READY);
      const left = until - performance.now();
      if (ready === this.size - 1 || left <= 0 || this.state !== "starting") return this.parts;
      Atomics.wait(this.ctl, READY, ready, left);
    }
  }

  /** Resolves with parts once every worker has started, or when `timeoutMs` passes. */
  async whenReady(timeoutMs: number): Promise<number> {
    const until = performance.now() + timeoutMs;
    while (this.parts === 1 && this.state === "starting" && performance.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return this.parts;
  }

  /** The executor that records programs for the whole team, or null when the team cannot run one now. */
  executor(): Executor | null {
    return this.parts > 1 ? this.recorder : null;
  }

  /** Stops the workers; later calls run on the calling thread. Safe to call more than once. */
  dispose(): void {
    if (this.state === "stopped") return;
    this.state = "stopped";
    Atomics.store(this.ctl, STOP, 1);
    Atomics.add(this.ctl, GENERATION, 1);
    Atomics.notify(this.ctl, GENERATION);
    for (const stop of this.stops.splice(0)) stop();
  }

  /** Runs the programs written in the streams (each ended by OP_END) on every part. */
  execute(): void {
    const ctl = this.ctl;
    Atomics.store(ctl, PENDING, this.size - 1);
    Atomics.add(ctl, GENERATION, 1);
    if (Atomics.load(ctl, IDLE) > 0) Atomics.notify(ctl, GENERATION);
    const error = this.runOwn();
    const until = performance.now() + BARRIER_POLL_MS;
    let n = 0;
    let pending: number;
    while ((pending = Atomics.load(ctl, PENDING)) !== 0) {
      if (this.host.canBlock && (++n & 63) === 0 && performance.now() > until) {
        Atomics.store(ctl, CALLER_WAITING, 1);
        Atomics.wait(ctl, PENDING, pending);
        Atomics.store(ctl, CALLER_WAITING, 0);
      }
    }
    if (error !== null) throw error;
    if (Atomics.load(ctl, FAILED) !== 0) {
      this.state = "failed";
      throw new Error(`wasm backend: a worker thread failed (${this.errorText()}); the backend now runs on one thread`);
    }
  }

  /** Part 0's program; after a failure it skips the calls but still meets every barrier. */
  private runOwn(): Error | null {
    const s = this.streams[0]!;
    let error: Error | null = null;
    let at = 0;
    for (;;) {
      const op = s[at]!;
      if (op === OP_END) return error;
      if (op === OP_BARRIER) {
        this.barrier();
        at++;
        continue;
      }
      const p = at + 2;
      if (error === null) {
        try {
          const fn = this.fns[op]!;
          fn(s[p]!, s[p + 1]!, s[p + 2]!, s[p + 3]!, s[p + 4]!, s[p + 5]!, s[p + 6]!, s[p + 7]!, s[p + 8]!, s[p + 9]!, s[p + 10]!, s[p + 11]!, s[p + 12]!, s[p + 13]!, s[p + 14]!);
        } catch (e) {
          error = e instanceof Error ? e : new Error(String(e));
        }
      }
      at = p + s[at + 1]!;
    }
  }

  private barrier(): void {
    const ctl = this.ctl;
    const gen = Atomics.load(ctl, BARRIER_GENERATION);
    if (Atomics.add(ctl, BARRIER_COUNT, 1) === this.size - 1) {
      Atomics.store(ctl, BARRIER_COUNT, 0);
      Atomics.add(ctl, BARRIER_GENERATION, 1);
      if (Atomics.load(ctl, BARRIER_SLEEPERS) > 0) Atomics.notify(ctl, BARRIER_GENERATION);
      return;
    }
    const until = performance.now() + BARRIER_POLL_MS;
    let n = 0;
    while (Atomics.load(ctl, BARRIER_GENERATION) === gen) {
      if (this.host.canBlock && (++n & 63) === 0 && performance.now() > until) {
        Atomics.add(ctl, BARRIER_SLEEPERS, 1);
        Atomics.wait(ctl, BARRIER_GENERATION, gen);
        Atomics.sub(ctl, BARRIER_SLEEPERS, 1);
      }
    }
  }

  private errorText(): string {
    let text = "";
    for (let i = 0; i < ERROR_TEXT_LENGTH; i++) {
      const code = this.ctl[ERROR_TEXT + i]!;
      if (code === 0) break;
      text += String.fromCharCode(code);
    }
    return text;
  }
}

/** Records each part's calls into its stream; a full stream runs the program so far first. */
class TeamExecutor implements Executor {
  readonly parts: number;
  private readonly at: number[];
  /** Nothing has been recorded since the last barrier (or the last run). */
  private synced = true;

  constructor(
    private readonly team: Team,
    private readonly streams: Int32Array[],
  ) {
    this.parts = streams.length;
    this.at = streams.map(() => 0);
  }

  call(part: number, kernel: ProgramKernel, ...args: number[]): void {
    if (args.length > MAX_KERNEL_ARGS) throw new Error(`wasm backend: ${kernel} called with ${args.length} arguments, at most ${MAX_KERNEL_ARGS}`);
    // Room for the call, a barrier and the end mark. The end of a run is a barrier for every part,
    // so a program may be cut anywhere.
    if (this.at[part]! + args.length + 4 > STREAM_INTS) this.run();
    const s = this.streams[part]!;
    let at = this.at[part]!;
    s[at++] = KERNEL_INDEX.get(kernel)!;
    s[at++] = args.length;
    for (const a of args) s[at++] = a;
    this.at[part] = at;
    this.synced = false;
  }

  sync(): void {
    if (this.synced) return;
    for (let p = 0; p < this.parts; p++) this.streams[p]![this.at[p]!++] = OP_BARRIER;
    this.synced = true;
  }

  finish(): void {
    this.run();
  }

  private run(): void {
    if (this.at.every((n) => n === 0)) return;
    // A barrier just before the end is implied by the end.
    if (this.synced) for (let p = 0; p < this.parts; p++) this.at[p]!--;
    for (let p = 0; p < this.parts; p++) this.streams[p]![this.at[p]!] = OP_END;
    this.at.fill(0);
    this.synced = true;
    this.team.execute();
  }
}
