// One batch case, run in a worker thread by piscina: read, convert, write atomically.
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { readInput, useMaxMemory, writeOutput } from "./io.js";

export interface BatchTask {
  input: string;
  output: string;
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

export default async function convertCase({ input, output, maxBytes }: BatchTask): Promise<BatchResult> {
  useMaxMemory(maxBytes);
  const warnings: string[] = [];
  const data = await readInput(input);
  await writeOutput(output, data, (line) => warnings.push(line));
  return { inputBytes: await sizeOf(input), outputBytes: await sizeOf(output), warnings };
}
