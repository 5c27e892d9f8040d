import { readdir, mkdir } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { basename, join } from "node:path";
import { FileError, InputError, LabelError, niftiSaveComplete } from "medmask";
import { isNiftiPath } from "medmask/internals";
import type { BatchResult, BatchTask } from "../batch-worker.js";
import type { CleanOptions } from "./clean.js";
import type { ReshapeStep } from "./reshape.js";
import type { MeshStep } from "./mesh.js";
import { exists, isDirectory, maxMemory } from "../io.js";
import { BATCH_OUTPUTS, MESH_OUTPUTS } from "../batch-record.js";
import { shardOf, type Shard } from "../shard.js";
import { progressBar, workerPool } from "../pool.js";

export interface BatchOptions {
  to?: string;
  /** `batch clean`: the steps every case goes through. */
  clean?: CleanOptions;
  /** `batch crop | reorient | resample`: the geometry step every case goes through. */
  reshape?: ReshapeStep;
  /** `batch mesh`: every case's surfaces, in the mesh format `to`. */
  mesh?: MeshStep;
  workers?: number;
  resume?: boolean;
  force?: boolean;
  /** Only this shard of the sorted cases (array jobs). */
  shard?: Shard;
}

export interface BatchSummary {
  cases: number;
  converted: number;
  skipped: number;
  failed: Array<{ case: string; error: string }>;
  inputBytes: number;
  outputBytes: number;
  seconds: number;
}

/** The files under a batch folder that are cases (besides case folders). */
export const BATCH_INPUT = /\.(msk|mska|nii|nii\.gz|nrrd)$/i;

/** Case name of an input: a folder's name, or a file name without its extension. */
export function caseName(entry: string): string {
  return entry.replace(/\.seg\.nrrd$|\.nii\.gz$|\.[^.]+$/i, "");
}

/** The output file name of an entry of IN in format `to`. */
export const outputName = (entry: string, to: string): string => `${caseName(entry)}.${to}`;

/**
 * Refuses a batch in which two inputs would write one output (`dup.msk` and `dup.nii.gz`
 * both -> `dup.msk`): both would report ok and one result would be lost. All are listed.
 */
function refuseCollisions(tasks: readonly BatchTask[]): void {
  const byOutput = new Map<string, string[]>();
  for (const t of tasks) byOutput.set(t.output, [...(byOutput.get(t.output) ?? []), t.input]);
  const clashes = [...byOutput].filter(([, inputs]) => inputs.length > 1);
  if (clashes.length === 0) return;
  const list = clashes.map(([output, inputs]) => `${inputs.map((i) => basename(i)).join(" and ")} -> ${basename(output)}`).join("; ");
  throw new LabelError("DUPLICATE_NAME", `${clashes.length} output name(s) would be written by more than one case: ${list}. Rename or move the inputs apart; nothing was converted.`);
}

/** What a batch will do: every case, the ones to convert, and the summary to fill. */
export interface BatchPlan {
  tasks: BatchTask[];
  todo: BatchTask[];
  summary: BatchSummary;
}

/**
 * Lists the cases under IN_DIR (one shard of them with `shard`), refuses colliding outputs
 * and, without --resume or --force, existing ones; with --resume the finished cases are
 * skipped.
 */
export async function planBatch(inDir: string, outDir: string, options: BatchOptions): Promise<BatchPlan> {
  const to = (options.to ?? "msk").replace(/^\./, "");
  const outputs: readonly string[] = options.mesh ? MESH_OUTPUTS : BATCH_OUTPUTS;
  if (!outputs.includes(to)) throw new InputError("INVALID_ARGUMENT", `--to ${to}: use one of ${outputs.join(", ")}.`);
  if (!(await isDirectory(inDir))) throw new FileError("FILE_NOT_FOUND", `${inDir}: no such folder.`);
  const names = (await readdir(inDir)).sort((a, b) => a.localeCompare(b));
  // stat, not Dirent: case folders are often symlinks.
  const folders = await Promise.all(names.map((n) => isDirectory(join(inDir, n))));
  const entries = names.filter((n, i) => folders[i] || BATCH_INPUT.test(n)).map((name) => ({ name }));
  const steps = { ...(options.clean ? { clean: options.clean } : {}), ...(options.reshape ? { reshape: options.reshape } : {}), ...(options.mesh ? { mesh: options.mesh } : {}) };
  const all: BatchTask[] = entries.map((e) => ({ input: join(inDir, e.name), output: join(outDir, outputName(e.name, to)), maxBytes: maxMemory(), ...steps }));
  // Collisions are checked over every case: two inputs of one output may fall in two shards.
  refuseCollisions(all);
  const tasks = options.shard ? shardOf(all, options.shard) : all;
  await mkdir(outDir, { recursive: true });
  const done = await Promise.all(tasks.map((t) => outputDone(t.output)));
  const existing = done.filter((d) => d !== "absent").length;
  if (existing > 0 && !options.resume && !options.force) {
    throw new FileError("FILE_EXISTS", `${existing} output(s) already exist in ${outDir}; pass --resume to skip them or --force to replace them.`);
  }
  const todo = tasks.filter((_, i) => !(options.resume && done[i] === "done"));
  return { tasks, todo, summary: { cases: tasks.length, converted: 0, skipped: tasks.length - todo.length, failed: [], inputBytes: 0, outputBytes: 0, seconds: 0 } };
}

/**
 * Whether a case's output is there and finished: a NIfTI case is done when its sidecar was
 * put in place after its image (a run killed between the two left it unfinished).
 */
export async function outputDone(output: string): Promise<"absent" | "partial" | "done"> {
  if (!(await exists(output))) return "absent";
  return !isNiftiPath(output) || (await niftiSaveComplete(output)) ? "done" : "partial";
}

/** The case name of a task, as the log and the summary call it. */
export const taskName = (task: BatchTask): string => caseName(basename(task.input));

/** The batch's closing line (the same for a local pool and a queue). */
export function summaryLine(summary: BatchSummary, workers: string, shard?: Shard): string {
  const ratio = summary.outputBytes > 0 ? (summary.inputBytes / summary.outputBytes).toFixed(2) : "-";
  return (
    `${shard ? `shard ${shard.index}/${shard.count}: ` : ""}${summary.cases} cases: ${summary.converted} converted, ${summary.skipped} skipped, ${summary.failed.length} failed; ` +
    `${summary.inputBytes} -> ${summary.outputBytes} bytes (ratio ${ratio}); ${summary.seconds.toFixed(1)} s, ` +
    `${(summary.converted / Math.max(summary.seconds, 1e-9)).toFixed(2)} cases/s with ${workers}`
  );
}

/**
 * `medmask batch convert IN_DIR OUT_DIR`: every case folder or mask file under IN_DIR,
 * converted in parallel worker threads; per-case errors are reported and the run goes on.
 */
export async function batchConvert(inDir: string, outDir: string, options: BatchOptions, log: (line: string) => void, isTTY: boolean): Promise<BatchSummary> {
  const { todo, summary } = await planBatch(inDir, outDir, options);
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), Math.max(1, todo.length)));
  const pool = await workerPool<BatchTask, BatchResult>(workers);
  const bar = await progressBar(todo.length, isTTY);
  const started = performance.now();
  let finished = 0;
  await Promise.all(
    todo.map(async (task) => {
      const name = taskName(task);
      try {
        const result = await pool.run(task);
        summary.converted++;
        summary.inputBytes += result.inputBytes;
        summary.outputBytes += result.outputBytes;
        for (const w of result.warnings) if (!bar) log(`${name}: ${w}`);
        if (!bar) log(`[${finished + 1}/${todo.length}] ${name}: ok (${result.inputBytes} -> ${result.outputBytes} bytes)`);
      } catch (error) {
        const message = (error as Error).message;
        summary.failed.push({ case: name, error: message });
        if (!bar) log(`[${finished + 1}/${todo.length}] ${name}: FAILED: ${message}`);
      }
      finished++;
      const seconds = (performance.now() - started) / 1000;
      bar?.update(finished, { rate: (finished / seconds).toFixed(2), last: name });
    }),
  );
  bar?.stop();
  await pool.destroy();
  summary.seconds = (performance.now() - started) / 1000;
  for (const f of summary.failed) if (bar) log(`${f.case}: FAILED: ${f.error}`);
  log(summaryLine(summary, `${workers} worker(s)`, options.shard));
  return summary;
}
