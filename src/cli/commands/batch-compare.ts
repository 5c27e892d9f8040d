import { readdir } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { FileError } from "medmask";
import { fileIO } from "medmask/internals";
import type { CompareResult, CompareTask } from "../batch-worker.js";
import { exists, isDirectory, maxMemory } from "../io.js";
import { shardOf, type Shard } from "../shard.js";
import { formatTable } from "../table.js";
import { progressBar, workerPool } from "../pool.js";
import { BATCH_INPUT, caseName } from "./batch.js";
import { compareCsv } from "./compare.js";

/** Options of `medmask batch compare`. */
export interface BatchCompareOptions {
  /** Where the rows go (one per case and organ); a `.summary.csv` beside it gets the means and medians per organ. */
  csv: string;
  names?: string;
  workers?: number;
  shard?: Shard;
  force?: boolean;
  percentile?: number;
  toleranceMm?: number;
  /** Redis URL: the cases go through a BullMQ queue there (workers on other machines join). */
  queue?: string;
  queueName?: string;
  retries?: number;
  stallSeconds?: number;
}

/** What a batch compare did. */
export interface BatchCompareSummary {
  cases: number;
  compared: number;
  failed: Array<{ case: string; error: string }>;
  seconds: number;
}

/** The cases of a folder by name: a case folder (organ masks) or a mask file. */
async function casesIn(dir: string): Promise<Map<string, string>> {
  if (!(await isDirectory(dir))) throw new FileError("FILE_NOT_FOUND", `${dir}: no such folder.`);
  const names = (await readdir(dir)).sort((a, b) => a.localeCompare(b));
  const folders = await Promise.all(names.map((n) => isDirectory(join(dir, n))));
  return new Map(names.filter((n, i) => folders[i] || BATCH_INPUT.test(n)).map((n) => [caseName(n), join(dir, n)]));
}

/** Mean and median of the values that are numbers (NaN skipped; Infinity kept out of distances' means). */
function spread(values: number[]): { n: number; mean: number; median: number } {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return { n: 0, mean: NaN, median: NaN };
  const mid = v.length >> 1;
  return { n: v.length, mean: v.reduce((a, b) => a + b, 0) / v.length, median: v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2 };
}

const METRICS = ["dice", "hd95", "assd", "nsd"] as const;

/** Per organ, each metric's count, mean and median over the cases (as nnU-Net reports: NaN skipped). */
export function summarize(rows: ReadonlyArray<Record<string, string | number | null>>): { header: string[]; table: Array<Array<string | number>> } {
  const byOrgan = new Map<string, Array<Record<string, string | number | null>>>();
  for (const r of rows) byOrgan.set(String(r.name), [...(byOrgan.get(String(r.name)) ?? []), r]);
  const header = ["organ", ...METRICS.flatMap((m) => [`${m}_n`, `${m}_mean`, `${m}_median`])];
  const table = [...byOrgan].map(([organ, list]) => [
    organ,
    ...METRICS.flatMap((m) => {
      const s = spread(list.map((r) => Number(r[m])));
      return [s.n, s.mean, s.median];
    }),
  ]);
  return { header, table };
}

/** The cases on a worker pool of this process; their results by case name. */
async function onPool(ready: readonly CompareTask[], workers: number, summary: BatchCompareSummary, log: (line: string) => void, isTTY: boolean): Promise<Map<string, CompareResult>> {
  const pool = await workerPool<CompareTask, CompareResult>(workers);
  const bar = await progressBar(ready.length, isTTY);
  const started = performance.now();
  const byCase = new Map<string, CompareResult>();
  let finished = 0;
  await Promise.all(
    ready.map(async (task) => {
      try {
        const result = await pool.run(task);
        byCase.set(task.name, result);
        summary.compared++;
        if (!bar) for (const w of result.warnings) log(`${task.name}: ${w}`);
        if (!bar) log(`[${finished + 1}/${ready.length}] ${task.name}: ${result.rows.filter((r) => r.empty !== "both").length} organ(s) compared`);
      } catch (error) {
        summary.failed.push({ case: task.name, error: (error as Error).message });
        if (!bar) log(`[${finished + 1}/${ready.length}] ${task.name}: FAILED: ${(error as Error).message}`);
      }
      finished++;
      bar?.update(finished, { rate: (finished / ((performance.now() - started) / 1000)).toFixed(2), last: task.name });
    }),
  );
  bar?.stop();
  await pool.destroy();
  return byCase;
}

/**
 * `medmask batch compare PRED_DIR TRUTH_DIR --csv OUT.csv`: every case of PRED_DIR against
 * the case of the same name in TRUTH_DIR (any mask file, or a folder of NIfTI organ masks),
 * on every core; one CSV row per case and organ, and per organ the mean and median of each
 * metric (NaN skipped) in OUT.summary.csv and on the terminal. A case without its partner,
 * or that fails to read, is reported and the run goes on (exit 3). With `queue`, the cases go
 * through a BullMQ queue (`medmask worker` on other machines joins; the rows come back here).
 */
export async function batchCompare(predDir: string, truthDir: string, options: BatchCompareOptions, print: (text: string) => void, log: (line: string) => void, isTTY: boolean): Promise<BatchCompareSummary> {
  const summaryPath = options.csv.replace(/(\.csv)?$/i, ".summary.csv");
  for (const path of [options.csv, summaryPath]) {
    if (!options.force && (await exists(path))) throw new FileError("FILE_EXISTS", `${path} already exists; pass --force to replace it.`);
  }
  const [preds, truths] = await Promise.all([casesIn(predDir), casesIn(truthDir)]);
  const all = [...new Set([...preds.keys(), ...truths.keys()])].sort((a, b) => a.localeCompare(b));
  const cases = options.shard ? shardOf(all, options.shard) : all;
  const names = options.names?.split(",").map((s) => s.trim()).filter(Boolean);
  const summary: BatchCompareSummary = { cases: cases.length, compared: 0, failed: [], seconds: 0 };
  const rows: Array<Record<string, string | number | null>> = [];
  const ready: CompareTask[] = [];
  for (const name of cases) {
    const prediction = preds.get(name), truth = truths.get(name);
    if (prediction && truth) ready.push({ op: "compare", name, prediction, truth, maxBytes: maxMemory(), names, percentile: options.percentile, toleranceMm: options.toleranceMm });
    else summary.failed.push({ case: name, error: prediction ? `no reference in ${truthDir}` : `no prediction in ${predDir}` });
  }
  const started = performance.now();
  let byCase: Map<string, CompareResult>;
  let workers: number;
  if (options.queue) {
    // BullMQ (and its Redis client) loads only for a queue.
    const { queueCompare } = await import("../queue.js");
    const queued = await queueCompare(ready, predDir, truthDir, { names, percentile: options.percentile, toleranceMm: options.toleranceMm }, { ...options, queue: options.queue }, log, isTTY);
    byCase = queued.results;
    summary.failed.push(...queued.failed);
    summary.compared = byCase.size;
    workers = options.workers ?? availableParallelism();
  } else {
    workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), Math.max(1, ready.length)));
    byCase = await onPool(ready, workers, summary, log, isTTY);
  }
  // Rows in case order, whatever order the threads finished in.
  const lines: string[] = [];
  for (const name of cases) {
    const result = byCase.get(name);
    if (!result) continue;
    rows.push(...result.rows);
    const csv = compareCsv(result.rows as never, result.voxelMl, { case: name }).split("\n");
    if (lines.length === 0) lines.push(csv[0]!);
    lines.push(...csv.slice(1));
  }
  const { header, table } = summarize(rows);
  const encoder = new TextEncoder();
  await fileIO("Writing the comparison").writeAtomicAll(
    [
      { path: options.csv, chunks: [encoder.encode(lines.join("\n") + "\n")] },
      { path: summaryPath, chunks: [encoder.encode([header.join(","), ...table.map((r) => r.join(","))].join("\n") + "\n")] },
    ],
    { overwrite: true },
  );
  summary.seconds = (performance.now() - started) / 1000;
  for (const f of summary.failed) log(`${f.case}: FAILED: ${f.error}`);
  const f = (v: string | number, digits: number) => (typeof v === "number" ? (Number.isNaN(v) ? "-" : v.toFixed(digits)) : v);
  const shown = table.filter((r) => (r[1] as number) > 0);
  if (shown.length > 0) print(formatTable(["organ", "cases", "Dice mean", "Dice median", "HD95 mean", "HD95 median", "NSD mean"], shown.map((r) => [r[0]!, r[1]!, f(r[2]!, 4), f(r[3]!, 4), f(r[5]!, 2), f(r[6]!, 2), f(r[11]!, 4)])));
  log(
    `${options.shard ? `shard ${options.shard.index}/${options.shard.count}: ` : ""}${summary.cases} cases: ${summary.compared} compared, ${summary.failed.length} failed; ` +
      `${rows.length} rows in ${options.csv}, per organ in ${summaryPath}; ${summary.seconds.toFixed(1)} s with ${workers} worker(s)`,
  );
  return summary;
}
