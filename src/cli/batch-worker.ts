// One batch case, run in a worker thread by piscina: read, convert, write atomically.
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { compareMasks, saveMesh } from "medmask";
import { cleanMask, type CleanOptions } from "./commands/clean.js";
import { meshesOf, type MeshStep } from "./commands/mesh.js";
import { reshapeMask, type ReshapeStep } from "./commands/reshape.js";
import { asMask, readInput, useMaxMemory, writeOutput } from "./io.js";

export interface BatchTask {
  input: string;
  output: string;
  /** `batch clean`: the cleaning steps applied between reading and writing. */
  clean?: CleanOptions;
  /** `batch crop | reorient | resample`: the geometry step applied between reading and writing. */
  reshape?: ReshapeStep;
  /** `batch mesh`: the case's surfaces written instead of a mask. */
  mesh?: MeshStep;
  /** The run's --max-memory (a worker thread does not share the main thread's modules). */
  maxBytes?: number;
}

export interface BatchResult {
  inputBytes: number;
  outputBytes: number;
  warnings: string[];
}

async function sizeOf(path: string): Promise<number> {
  const s = await stat(path);
  if (!s.isDirectory()) return s.size;
  let total = 0;
  for (const name of await readdir(path)) total += await sizeOf(join(path, name));
  return total;
}

/**
 * A case of `batch convert` (and `batch clean`, `batch crop | reorient | resample`: changed
 * on the way; `batch mesh`: its surfaces): read, convert, write atomically.
 */
export async function convertCase({ input, output, maxBytes, clean, reshape, mesh }: BatchTask): Promise<BatchResult> {
  useMaxMemory(maxBytes);
  const warnings: string[] = [];
  const warn = (line: string) => warnings.push(line);
  const quiet = (): void => undefined;
  const read = await readInput(input);
  if (mesh) {
    // The batch refused existing outputs (or was told to replace them) before it started.
    await saveMesh(await meshesOf(await asMask(read, warn), mesh, quiet), output, { overwrite: true });
    return { inputBytes: await sizeOf(input), outputBytes: await sizeOf(output), warnings };
  }
  const data = clean ? { kind: "mask" as const, mask: cleanMask(await asMask(read, warn), clean, warn) } : reshape ? { kind: "mask" as const, mask: reshapeMask(await asMask(read, warn), reshape, quiet) } : read;
  await writeOutput(output, data, warn);
  return { inputBytes: await sizeOf(input), outputBytes: await sizeOf(output), warnings };
}

/** A case of `batch compare`: the prediction against its reference, one row per organ. */
export interface CompareTask {
  op: "compare";
  /** The case's name (as both folders call it). */
  name: string;
  prediction: string;
  truth: string;
  maxBytes?: number;
  names?: string[];
  percentile?: number;
  toleranceMm?: number;
}

/** A compared case: its rows (numbers that JSON cannot hold as strings: "NaN", "Infinity") and its voxel volume. */
export interface CompareResult {
  rows: Array<Record<string, string | number | null>>;
  voxelMl: number;
  warnings: string[];
}

/** Numbers JSON has no form for, as text (a worker's result crosses by structured clone, a queue's as JSON). */
const jsonSafe = (value: unknown): string | number | null => (typeof value === "number" && !Number.isFinite(value) ? String(value) : (value as string | number | null));

export async function compareCase(task: CompareTask): Promise<CompareResult> {
  useMaxMemory(task.maxBytes);
  const warnings: string[] = [];
  const warn = (line: string) => warnings.push(line);
  const truth = await asMask(await readInput(task.truth), warn);
  const prediction = await asMask(await readInput(task.prediction), warn);
  const rows = compareMasks(truth, prediction, { names: task.names, percentile: task.percentile, toleranceMm: task.toleranceMm });
  return { rows: rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, jsonSafe(v)]))), voxelMl: truth.space.voxelVolume / 1000, warnings };
}

/** The piscina entry: one case of any batch operation. */
export default function runCase(task: BatchTask | CompareTask): Promise<BatchResult | CompareResult> {
  return "op" in task && task.op === "compare" ? compareCase(task) : convertCase(task as BatchTask);
}
