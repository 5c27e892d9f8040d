// Files: the native codec against the Python library's figures (same data, same kind of
// machine), and the zstd decoders compared on a CT-sized frame.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { decompress as fzstd } from "fzstd";
import { ZSTDDecoder } from "zstddec";
import { MaskArchive, SegmentationMask, decodeMask, encodeMask, initZstd, setBackend } from "../dist/node.js";
import { measure, measureAsync, median } from "./harness.mjs";

const PYTHON = { maskBytes: 112780, saveMs: 12.4, loadMs: 3.5, archiveBytes: 193190, archiveWriteMs: 1270, archiveReadAllMs: 2826, archiveOneMs: 1.3 };
const REPEATS = 3;
/**
 * Lets the last run's 1.2 GB of masks be collected before the next run allocates as much
 * again (`npm run bench` exposes gc): otherwise the next run meets an RSS of twice that,
 * and this VM faults fresh pages in so slowly that one read took 4.2 s instead of 0.3.
 */
const settle = async () => {
  for (let i = 0; i < 2; i++) {
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
const sha = (a) => createHash("sha256").update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest("hex");

export async function fileRows(mask, masks, space) {
  const rows = [];
  const copy = new Uint8Array(mask.data.length);
  const copyMs = measure("copy", () => copy.set(mask.data)).mean;
  // A decoder returns new memory: the fair floor is a copy into a fresh buffer.
  const sliceMs = measure("slice", () => mask.data.slice()).mean;
  for (const backend of ["wasm", "js"]) {
    setBackend(backend);
    const bytes = encodeMask(mask);
    const lossless = sha(decodeMask(bytes).data) === sha(mask.data);
    const enc = measure("encode", () => encodeMask(mask)).mean;
    const dec = measure("decode", () => decodeMask(bytes)).mean;
    const into = new Uint8Array(mask.data.length);
    const decInto = measure("decode into a buffer", () => decodeMask(bytes, { out: into })).mean;
    rows.push({ what: `multi-label mask [${backend}]`, bytes: bytes.length, vsPython: bytes.length / PYTHON.maskBytes, encodeMs: enc, decodeMs: dec, decodePerCopy: dec / copyMs, decodePerSlice: dec / sliceMs, decodeIntoMs: decInto, decodeIntoPerCopy: decInto / copyMs, lossless, python: `${PYTHON.maskBytes} B, save ${PYTHON.saveMs} ms, load ${PYTHON.loadMs} ms` });
  }
  for (const backend of ["wasm", "js"]) {
    setBackend(backend);
    // A whole-archive write or read is one long operation: time it a few times and report
    // the median (the first run also pays for fresh memory pages, which a VM faults slowly).
    const writes = [], reads = [];
    let size = 0, lossless = true, oneMs = 0, oneIntoMs = 0;
    for (let run = 0; run < REPEATS; run++) {
      const dir = mkdtempSync(join(tmpdir(), "medmask-bench-"));
      const path = join(dir, "case.mska");
      let t = performance.now();
      const archive = await MaskArchive.create(path, { space });
      for (const m of masks) archive.add(m.name, new SegmentationMask(m.data, { [m.name]: 1 }, space));
      const addMs = performance.now() - t;
      await archive.close();
      writes.push({ total: performance.now() - t, addMs });
      size = readFileSync(path).length;
      t = performance.now();
      const reader = await MaskArchive.open(path);
      let all = await reader.loadAll();
      reads.push(performance.now() - t);
      if (run === 0) lossless = masks.every((m) => sha(all.get(m.name).data) === sha(m.data));
      all = null;
      if (run === 0) {
        // Timed with the 117 loaded masks released: while 1.2 GB of them are alive, each
        // new 10 MB array meets the collector's external-memory pressure (4.8 ms, not 1.8).
        await settle();
        oneMs = (await measureAsync("one entry", () => reader.load("urinary_bladder"))).mean;
        const into = new Uint8Array(space.voxelCount);
        oneIntoMs = (await measureAsync("one entry into a buffer", () => reader.load("urinary_bladder", { out: into }))).mean;
      }
      await reader.close();
      rmSync(dir, { recursive: true, force: true });
      await settle();
    }
    const write = median(writes.map((w) => w.total)), add = median(writes.map((w) => w.addMs));
    rows.push({
      what: `archive of ${masks.length} [${backend}]`,
      bytes: size,
      vsPython: size / PYTHON.archiveBytes,
      encodeMs: write,
      encodeNote: `(adds ${add.toFixed(0)} + commit with fsync ${(write - add).toFixed(0)})`,
      decodeMs: median(reads),
      runs: `median of ${REPEATS}: writes ${writes.map((w) => w.total.toFixed(0)).join("/")}, reads ${reads.map((r) => r.toFixed(0)).join("/")}`,
      oneMs,
      oneIntoMs,
      lossless,
      python: `${PYTHON.archiveBytes} B, write ${PYTHON.archiveWriteMs} ms, read all ${PYTHON.archiveReadAllMs} ms, one ${PYTHON.archiveOneMs} ms`,
    });
  }
  setBackend("auto");
  return { rows, copyMs, sliceMs };
}

/**
 * The 117 organs in the Python library's archive layout (bool entries, numpy.packbits, zstd
 * -3; made by scripts/make-python-files.mjs): read all (median of REPEATS) and one entry,
 * and the multi-label mask as a Python .msk, on each backend, beside the Python library's
 * own figures for its files of them.
 */
export async function pythonArchiveRows() {
  const path = fileURLToPath(new URL("./data/totalseg-117.python.mska", import.meta.url));
  const msk = new Uint8Array(readFileSync(new URL("./data/totalseg-multilabel.python.msk", import.meta.url)));
  await initZstd(); // the async loaders start it; decodeMask alone would use the pure-JS zstd
  const rows = [];
  for (const backend of ["wasm", "js"]) {
    setBackend(backend);
    const archive = await MaskArchive.open(path);
    const reads = [];
    for (let run = 0; run < REPEATS; run++) {
      const t = performance.now();
      await archive.loadAll(); // dropped at once, for settle() to collect
      reads.push(performance.now() - t);
      await settle();
    }
    const oneMs = (await measureAsync("one Python entry", () => archive.load("urinary_bladder"))).mean;
    await archive.close();
    // The multi-label mask as a Python .msk (uint8), decoded from memory like decodeMask's rows above.
    const mskMs = measure("Python .msk", () => decodeMask(msk)).mean;
    rows.push({ backend, bytes: readFileSync(path).length, readAllMs: median(reads), reads, oneMs, mskMs, mskBytes: msk.length });
  }
  setBackend("auto");
  return { rows, python: PYTHON };
}

/** zstddec (WASM) vs fzstd (pure JS) on the real mask as a zstd frame (zstd -3, like Python). */
export async function zstdRows() {
  const frame = new Uint8Array(readFileSync(new URL("./data/totalseg-multilabel.uint8.zst", import.meta.url)));
  const size = 179 * 192 * 294;
  const wasm = new ZSTDDecoder();
  await wasm.init();
  return [
    { decoder: "zstddec (WASM)", ms: measure("zstddec", () => wasm.decode(frame, size)).mean },
    { decoder: "fzstd (pure JS)", ms: measure("fzstd", () => fzstd(frame, new Uint8Array(size))).mean },
  ];
}
