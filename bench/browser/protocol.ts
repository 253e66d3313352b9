/**
 * What bench/browser/run.ts asks a page to run (the job, carried in the page's query string) and
 * what the page sends back (the JSON lines of bench/result.ts, then a done message).
 * Browser-safe and pure, so both sides and the tests share it.
 */
import type { MeasureOptions } from "../measure.js";

/** The runners a page can host. */
export type PageRunner = "ours" | "tfjs-wasm" | "tfjs-cpu";
export const PAGE_RUNNERS: readonly PageRunner[] = ["ours", "tfjs-wasm", "tfjs-cpu"];

/** Where the page runs the benchmark: in a dedicated worker it starts, or on its own main thread. */
export type Where = "worker" | "main";
export const WHERES: readonly Where[] = ["worker", "main"];

export interface PageJob {
  runner: PageRunner;
  /** ours: the wasm backend's threads; tfjs-wasm: setThreadsCount; tfjs-cpu: ignored (1). */
  threads: number;
  where: Where;
  measure: MeasureOptions;
  /** Workload ids or groups, null for all of the browser's workloads. */
  only: string[] | null;
}

/** What the page (or its worker) posts: a protocol line of bench/result.ts, or the end of the job. */
export type PageMessage = { kind: "line"; line: string } | { kind: "done"; error: string | null };

/** The workloads the browser benchmark runs by default: W1, W4 (both batches) and W5. */
export const BROWSER_WORKLOADS: readonly string[] = ["W1", "W4", "W5"];

/** The column a job's results go to: `ours` on one thread, `ours-Nt` on N; the peers by name. */
export function peerName(job: Pick<PageJob, "runner" | "threads">): string {
  if (job.runner !== "ours") return job.runner;
  return job.threads === 1 ? "ours" : `ours-${job.threads}t`;
}

/** The job as a query string (without `?`). */
export function jobQuery(job: PageJob): string {
  const q = new URLSearchParams({
    runner: job.runner,
    threads: String(job.threads),
    where: job.where,
    window: String(job.measure.windowS),
    warmup: String(job.measure.warmup),
    minSteps: String(job.measure.minSteps),
    maxSteps: String(job.measure.maxSteps),
  });
  if (job.only !== null) q.set("only", job.only.join(","));
  return q.toString();
}

/** Reads a job back from a page's query string; throws naming the parameter that is wrong. */
export function parseJobQuery(search: string): PageJob {
  const q = new URLSearchParams(search);
  const get = (name: string): string => {
    const v = q.get(name);
    if (v === null) throw new Error(`bench page: query parameter "${name}" is missing in "${search}"`);
    return v;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[]): T => {
    const v = get(name);
    const found = allowed.find((a) => a === v);
    if (found === undefined) throw new Error(`bench page: "${name}" must be one of ${allowed.join(", ")}, got "${v}"`);
    return found;
  };
  const num = (name: string, min: number, integer: boolean): number => {
    const text = get(name);
    const v = Number(text);
    const ok = text === "Infinity" ? !integer || name === "maxSteps" : Number.isFinite(v) && (!integer || Number.isInteger(v));
    if (!ok || v < min) throw new Error(`bench page: "${name}" must be ${integer ? "an integer" : "a number"} >= ${min}, got "${text}"`);
    return v;
  };
  const only = q.get("only");
  return {
    runner: oneOf("runner", PAGE_RUNNERS),
    threads: num("threads", 1, true),
    where: oneOf("where", WHERES),
    measure: { windowS: num("window", 0, false), warmup: num("warmup", 0, true), minSteps: num("minSteps", 1, true), maxSteps: num("maxSteps", 1, true) },
    only: only === null ? null : only.split(",").filter((s) => s.length > 0),
  };
}
