// `npm run bench python`: the Python library's own files against the ones medmask writes in
// its layout, for the same masks (the real case: the multi-label .msk and the 117 organs as
// a .mska of bool entries), both ways, in one run: sizes, write times, and each side reading
// its own files and the other's. The Python figures are measured here, by the real library
// (../shared/peers/python-medmask with Debian's python3-numpy and python3-zstandard).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { MaskArchive, SegmentationMask, decodeMask, encodeMask, initZstd, saveMask } from "../dist/node.js";
import { measure, median } from "./harness.mjs";
import { pythonEnv } from "./huge-pages.mjs";

const PEER = process.env.MEDMASK_PYTHON_PEER ?? fileURLToPath(new URL("../../shared/peers/python-medmask", import.meta.url));
const THEIRS = { msk: fileURLToPath(new URL("./data/totalseg-multilabel.python.msk", import.meta.url)), mska: fileURLToPath(new URL("./data/totalseg-117.python.mska", import.meta.url)) };
const REPEATS = 5;

/** The Python library's timings (ms, medians of `repeats`) of writing and reading these files. */
function pythonTimes(ours, dir, repeats) {
  const script = `
import json, sys, time, statistics
from medmask.storage import MaskArchive, load_mask, save_mask
ours_msk, ours_mska, theirs_msk, theirs_mska, out, repeats = sys.argv[1:7]
repeats = int(repeats)
def timed(fn):
    times = []
    for _ in range(repeats):
        t = time.perf_counter(); fn(); times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)
mask = load_mask(theirs_msk)
archive = MaskArchive(theirs_mska)
masks = [(n, archive.load_segmask(n)) for n in archive.all_names()]
def write_archive():
    a = MaskArchive(out + "/py.mska", mode="w", space=archive.space)
    for n, m in masks: a.add_segmask(m, n)
read_all = lambda path: MaskArchive(path).read_all_masks()
print(json.dumps({
    "writeMsk": timed(lambda: save_mask(mask, out + "/py.msk")),
    "readOwnMsk": timed(lambda: load_mask(theirs_msk)),
    "readOursMsk": timed(lambda: load_mask(ours_msk)),
    "writeMska": timed(write_archive),
    "readOwnMska": timed(lambda: read_all(theirs_mska)),
    "readOursMska": timed(lambda: read_all(ours_mska)),
}))
`;
  const text = execFileSync("/usr/bin/python3", ["-c", script, ours.msk, ours.mska, THEIRS.msk, THEIRS.mska, dir, String(repeats)], { env: pythonEnv({ PYTHONPATH: PEER }), encoding: "utf8" });
  return JSON.parse(text);
}

async function timedAsync(fn, repeats) {
  const times = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  return median(times);
}

/**
 * Rows for the multi-label mask and the 117 organs: bytes and write ms on each side, and
 * read ms of each side's file by each side. `zstd` says which zstd medmask used. The
 * archive is written with the organs' binaries alive (as a batch holds them); everything
 * else is timed once they are released (`release`), since 1.2 GB of live arrays make the
 * collector's external-memory pressure tax every fresh 10 MB volume (what Python's reads,
 * which keep no such set alive, do not pay).
 */
export async function pythonRows(mask, masks, space, release) {
  await initZstd();
  const dir = mkdtempSync(join(tmpdir(), "medmask-bench-python-"));
  const ours = { msk: join(dir, "ours.msk"), mska: join(dir, "ours.mska") };
  const organs = masks.length;
  const binaries = masks.map((m) => ({ name: m.name, seg: new SegmentationMask(m.data, { [m.name]: 1 }, space, { bitDepth: 1 }) }));
  const writeArchive = async (path) => {
    rmSync(path, { force: true });
    const archive = await MaskArchive.create(path, { space, format: "python" });
    for (const { name, seg } of binaries) archive.add(name, seg);
    await archive.close();
  };
  const readAll = async (path) => {
    const archive = await MaskArchive.open(path);
    for await (const entry of archive.entries()) void entry;
    await archive.close();
  };
  const writeMska = await timedAsync(() => writeArchive(join(dir, "again.mska")), REPEATS);
  await writeArchive(ours.mska);
  binaries.length = 0;
  await release();
  const mskEncodeMs = measure("encode python .msk", () => encodeMask(mask, { format: "python" })).mean;
  await saveMask(mask, ours.msk, { format: "python", overwrite: true });
  const mskBytes = { ours: readFileSync(ours.msk), theirs: readFileSync(THEIRS.msk) };
  const out = new Uint8Array(space.voxelCount);
  const ms = {
    writeMsk: mskEncodeMs,
    readOwnMsk: measure("read our .msk", () => decodeMask(mskBytes.ours)).mean,
    readTheirsMsk: measure("read Python's .msk", () => decodeMask(mskBytes.theirs)).mean,
    readTheirsMskOut: measure("read Python's .msk into a buffer", () => decodeMask(mskBytes.theirs, { out })).mean,
    writeMska,
    readOwnMska: await timedAsync(() => readAll(ours.mska), REPEATS),
    readTheirsMska: await timedAsync(() => readAll(THEIRS.mska), REPEATS),
  };
  const python = pythonTimes(ours, dir, REPEATS);
  const rows = [
    { what: "multi-label .msk (uint8)", bytes: mskBytes.ours.length, pythonBytes: mskBytes.theirs.length, write: ms.writeMsk, pyWrite: python.writeMsk, readOwn: ms.readOwnMsk, readTheirs: ms.readTheirsMsk, readTheirsOut: ms.readTheirsMskOut, pyReadOwn: python.readOwnMsk, pyReadOurs: python.readOursMsk },
    { what: `${organs} organs .mska (bool)`, bytes: statSync(ours.mska).size, pythonBytes: statSync(THEIRS.mska).size, write: ms.writeMska, pyWrite: python.writeMska, readOwn: ms.readOwnMska, readTheirs: ms.readTheirsMska, pyReadOwn: python.readOwnMska, pyReadOurs: python.readOursMska },
  ];
  rmSync(dir, { recursive: true, force: true });
  const zstd = typeof (await import("node:zlib")).zstdCompressSync === "function" ? "node:zlib zstd" : "WASM zstd (zstddec, @hpcc-js/wasm-zstd)";
  return { rows, zstd };
}
