// The worker pool and the progress bar of batch runs: piscina and cli-progress imported when a
// batch starts, so a single command (`medmask info`, `convert`) never loads them. In the
// folder of batch-worker.js, so the worker's URL is right in the built tree and the bundle alike.
import type { SingleBar } from "cli-progress";
import type { Piscina } from "piscina";

/** The module each worker thread runs (src/cli/batch-worker.ts). */
export const WORKER_URL = new URL("./batch-worker.js", import.meta.url).href;

/**
 * A pool of `threads` worker threads running batch-worker.js.
 * @example const pool = await workerPool<BatchTask, BatchResult>(4); await pool.run(task);
 */
export async function workerPool<T, R>(threads: number): Promise<Piscina<T, R>> {
  const { Piscina } = await import("piscina");
  return new Piscina<T, R>({ filename: WORKER_URL, minThreads: threads, maxThreads: threads });
}

/**
 * A progress bar over `total` cases on a terminal, else null (then each case is logged).
 * @example const bar = await progressBar(cases.length, process.stderr.isTTY);
 */
export async function progressBar(total: number, isTTY: boolean): Promise<SingleBar | null> {
  if (!isTTY) return null;
  const { SingleBar } = await import("cli-progress");
  const bar = new SingleBar({ format: "{bar} {value}/{total} cases | {rate} cases/s | ETA {eta_formatted} | {last}", hideCursor: true });
  bar.start(total, 0, { rate: "0.0", last: "" });
  return bar;
}
