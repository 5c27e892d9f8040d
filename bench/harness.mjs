// Shared bench plumbing: benchmark.js timing, the real mask, and the ratio table.
import Benchmark from "benchmark";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { combineBinaryMasks, setBackend } from "../dist/index.js";
import { readNiftiFolder } from "../dist/node.js";

export const DATA_DIR = fileURLToPath(new URL("../data/totalsegmentator-s0000/", import.meta.url));

/** Median of numbers. */
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Median ms of `repeats` calls of `fn` on each backend (after one warm-up call), each call
 * after a garbage collection where `npm run bench` exposes gc: `{ wasm, js }`.
 */
export function timedBackends(fn, repeats) {
  const out = {};
  for (const backend of ["wasm", "js"]) {
    setBackend(backend);
    fn();
    const t = [];
    for (let r = 0; r < repeats; r++) {
      globalThis.gc?.();
      const started = performance.now();
      fn();
      t.push(performance.now() - started);
    }
    out[backend] = median(t);
  }
  setBackend("auto");
  return out;
}

/**
 * Time of `fn` in ms, measured by benchmark.js. `mean` is the median of its samples (each
 * sample is the mean of a cycle of calls): this VM's memory management (DAMON reclaim,
 * slow page faults) throws the odd sample off by 2-5x, which would drag a mean along.
 */
export function measure(name, fn, { maxTime = 1 } = {}) {
  const bench = new Benchmark(name, fn, { maxTime, minSamples: 10, initCount: 1 });
  bench.run();
  if (bench.error) throw bench.error;
  return { mean: median(bench.stats.sample) * 1000, rme: bench.stats.rme, samples: bench.stats.sample.length };
}

/** Mean time in ms of an async `fn` (benchmark.js deferred mode). */
export function measureAsync(name, fn, { maxTime = 1 } = {}) {
  return new Promise((resolve, reject) => {
    const bench = new Benchmark(name, {
      defer: true,
      maxTime,
      minSamples: 10,
      fn: (deferred) => fn().then(() => deferred.resolve(), reject),
      onComplete: () => resolve({ mean: median(bench.stats.sample) * 1000, rme: bench.stats.rme }),
      onError: (event) => reject(event.target.error),
    });
    bench.run({ async: true });
  });
}

/** Times `fn` on each backend and a plain copy of `bytes`, in one run. */
export function compare(name, fn, bytes) {
  const row = { name };
  for (const backend of ["wasm", "js"]) {
    setBackend(backend);
    row[backend] = measure(`${name} [${backend}]`, fn).mean;
  }
  setBackend("auto");
  const copy = new Uint8Array(bytes.byteLength);
  const source = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  row.copy = measure(`${name} [copy]`, () => copy.set(source)).mean;
  row.bytes = bytes.byteLength;
  return row;
}

/**
 * The 117 TotalSegmentator organs combined into one uint8 mask of one layer (where organs
 * share voxels the later wins, as Python paints them), the same organs in layers (every
 * voxel kept), and the binaries.
 */
export async function loadRealMask() {
  const { space, masks } = await readNiftiFolder(DATA_DIR);
  const { mask } = combineBinaryMasks(space, masks, { onOverlap: "overwrite" });
  const { mask: layered } = combineBinaryMasks(space, masks);
  return { mask, layered, masks, space };
}

const f = (v) => (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));

/**
 * Prints rows as the ratio table the performance issue asks for. Rows of one volume copy
 * the same bytes, so their copy column is the median of all their copy timings: one row's
 * copy alone moves by up to 1.5x on this VM, and a ratio should not move with it.
 */
export function printTable(title, rows) {
  const pooled = new Map();
  for (const r of rows) pooled.set(r.bytes, [...(pooled.get(r.bytes) ?? []), r.copy]);
  rows = rows.map((r) => ({ ...r, copy: median(pooled.get(r.bytes)) }));
  const header = ["operation", "wasm ms", "js ms", "copy ms", "wasm/js", "wasm/copy", "reference (numpy, the Python library and naive JS, measured in this run)"];
  const cells = rows.map((r) => [
    r.name,
    f(r.wasm),
    r.js === undefined ? "" : f(r.js),
    f(r.copy),
    r.js === undefined ? "" : (r.wasm / r.js).toFixed(3),
    (r.wasm / r.copy).toFixed(2),
    r.python ?? "",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => String(c[i]).length)));
  const line = (c) => c.map((v, i) => (i === 0 || i === c.length - 1 ? String(v).padEnd(widths[i]) : String(v).padStart(widths[i]))).join("  ");
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const c of cells) console.log(line(c));
}

export function machine() {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  return `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}
